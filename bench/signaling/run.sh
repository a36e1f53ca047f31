#!/usr/bin/env bash
# Builds Parley and the signaling benchmark, installs the Node servers, raises the open-file limit as far as this
# machine allows, and runs the benchmark. Usage: bench/signaling/run.sh throughput|memory [options...]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
dotnet build src/Parley.Server -c Release -nologo -v q
dotnet build bench/Parley.Bench.Signaling -c Release -nologo -v q
(cd bench/signaling && npm ci --no-audit --no-fund --silent)
# Each connection is a file descriptor in the client and in the server: 20,000 need more than the usual 1024.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
echo "open files: $(ulimit -n) (hard $(ulimit -Hn)); ephemeral ports: $(cat /proc/sys/net/ipv4/ip_local_port_range)"
exec bench/Parley.Bench.Signaling/bin/Release/net10.0/Parley.Bench.Signaling "$@"
