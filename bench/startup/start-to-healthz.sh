#!/usr/bin/env bash
# Starts a Parley build, waits for its first /healthz answer and prints the milliseconds that took; with --rss, then
# waits idle for 5 s and prints its resident memory (VmRSS). Stops it with SIGTERM and waits for it.
# usage: start-to-healthz.sh [--rss] COMMAND [ARG ...]   e.g.  start-to-healthz.sh /tmp/parley/Parley.Server
#        start-to-healthz.sh dotnet src/Parley.Server/bin/Release/net10.0/Parley.Server.dll
# Used with farm-bench for docs/benchmarks.md ("Start-up and memory of the native binary").
set -euo pipefail
rss=0
if [ "${1:-}" = --rss ]; then rss=1; shift; fi
port=${PORT:-18080}
turn=${TURN_PORT:-13478}
data=$(mktemp -d)
start=$(date +%s%N)
"$@" --urls "http://127.0.0.1:$port" --Turn:Port=$turn --Turn:TlsPort=$((turn + 1)) --Turn:ListenAddress=127.0.0.1 \
  --Server:DataPath="$data" --Logging:LogLevel:Default=Warning >/dev/null 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
until curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; do
  kill -0 $pid 2>/dev/null || { echo "the server exited before answering" >&2; exit 1; }
  sleep 0.005
done
echo "healthz_ms $(( ($(date +%s%N) - start) / 1000000 ))"
if [ $rss -eq 1 ]; then
  sleep 5
  echo "idle_rss_kib $(awk '/^VmRSS/ {print $2}' /proc/$pid/status)"
fi
