#!/usr/bin/env bash
# Builds Parley and runs every test suite: unit, integration (real sockets), web SDK (node), and real
# Chromium calls inside a loopback-only network namespace. Installs what a fresh Debian machine lacks.
# Ends with one line summing every suite: "N passed, N failed, N skipped"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

log() { printf '\n== %s\n' "$*"; }

install_missing() {
  local packages=()
  command -v chromium >/dev/null 2>&1 || packages+=(chromium)
  command -v sox >/dev/null 2>&1 || packages+=(sox)
  command -v turnutils_uclient >/dev/null 2>&1 || packages+=(coturn)
  command -v node >/dev/null 2>&1 || packages+=(nodejs)
  command -v npm >/dev/null 2>&1 || packages+=(npm)
  command -v unshare >/dev/null 2>&1 || packages+=(util-linux)
  command -v ip >/dev/null 2>&1 || packages+=(iproute2)
  [ -x /usr/sbin/nginx ] || packages+=(nginx) # HTTP signaling behind a real reverse proxy
  command -v redis-server >/dev/null 2>&1 || packages+=(redis-server) # several nodes sharing rooms (tests/Parley.Server.Tests/Scale)
  if [ ${#packages[@]} -gt 0 ]; then
    log "Installing ${packages[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${packages[@]}" >/dev/null
    # Debian's package starts redis-server as a service on port 6379; the tests start their own on free ports, so
    # the one installed here is stopped and kept from starting at boot (a Redis that was already there is left alone).
    if [[ " ${packages[*]} " == *" redis-server "* ]]; then
      { $sudo systemctl disable --now redis-server || $sudo service redis-server stop; } >/dev/null 2>&1 || true
    fi
  fi
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "The .NET 10 SDK is required (https://dot.net); it is not a Debian package." >&2
    exit 1
  fi
}

passed=0; failed=0; skipped=0; broken=0
results_dir=$(mktemp -d)
trap 'rm -rf "$results_dir"' EXIT

# Adds one dotnet test run's counts from its summary line; a run with no summary counts as broken.
count_dotnet() {
  local output=$1 line
  line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$output" | tail -n 1)
  if [ -z "$line" ]; then
    broken=$((broken + 1)); return
  fi
  failed=$((failed + $(sed -E 's/.*Failed: +([0-9]+).*/\1/' <<<"$line")))
  passed=$((passed + $(sed -E 's/.*Passed: +([0-9]+).*/\1/' <<<"$line")))
  skipped=$((skipped + $(sed -E 's/.*Skipped: +([0-9]+).*/\1/' <<<"$line")))
}

run_dotnet_suite() {
  local project=$1; shift
  local output="$results_dir/$(basename "$project").log"
  log "Testing $project"
  "$@" dotnet test "$project" --no-build --nologo 2>&1 | tee "$output"
  [ "${PIPESTATUS[0]}" -eq 0 ] || grep -qE '(Passed|Failed)! +-' "$output" || broken=$((broken + 1))
  count_dotnet "$output"
}

# Runs a command in a fresh network namespace with only loopback up: nothing leaves the machine and
# ICE sees only 127.0.0.1 and ::1 (shared/docs/browser-testing.md, "Isolation").
loopback_only() {
  unshare -n sh -c 'ip link set lo up && exec "$@"' sh "$@"
}

# Linux on arm64 (a Raspberry Pi, an Ampere or Graviton server) runs the same UDP event loop with another struct
# layout; Arm64Tests (tests/Parley.Turn.Tests) run an arm64 build of Parley.Server under qemu-user to check it.
# On an x86-64 Debian host this installs qemu-user-static and arm64 runtime libraries; elsewhere, or if they
# cannot be had, those tests are skipped (and counted so).
prepare_arm64() {
  [ "$(uname -m)" = x86_64 ] && command -v dpkg >/dev/null 2>&1 || return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local libraries=(libc6:arm64 libstdc++6:arm64 libssl3:arm64 zlib1g:arm64)
  if ! command -v qemu-aarch64-static >/dev/null 2>&1 || ! dpkg -s "${libraries[@]}" >/dev/null 2>&1; then
    log "Installing qemu-user-static and arm64 runtime libraries"
    { $sudo dpkg --add-architecture arm64 && $sudo apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq qemu-user-static "${libraries[@]}" >/dev/null; } \
      || { echo "Could not install them; the arm64 tests will be skipped." >&2; return 0; }
  fi
  log "Building Parley.Server for linux-arm64"
  dotnet publish src/Parley.Server -r linux-arm64 --self-contained -c Release -p:InvariantGlobalization=true \
    --artifacts-path "$results_dir/arm64-build" -o "$results_dir/arm64" --nologo -v quiet -clp:ErrorsOnly \
    || { echo "The arm64 build failed." >&2; broken=$((broken + 1)); return 0; }
  export PARLEY_ARM64_SERVER="$results_dir/arm64/Parley.Server"
}

# The native (AOT) binary, as operators download it: NativeBinaryTests (tests/Parley.Server.Tests) run their smoke test
# against it (PARLEY_NATIVE_SERVER). The AOT compiler links with clang and zlib: Debian's clang-14 package (which
# Parley.Server.csproj picks when there is no clang) or clang, installed here if missing. If they cannot be had, those
# tests are skipped (and counted so); a build that fails with them (a trim or AOT warning is an error) is a failure.
prepare_native() {
  local rid
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) rid=linux-x64 ;;
    Linux-aarch64) rid=linux-arm64 ;;
    *) return 0 ;;
  esac
  if ! { command -v clang >/dev/null 2>&1 || command -v clang-14 >/dev/null 2>&1; } || [ ! -e /usr/include/zlib.h ]; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    log "Installing clang and zlib1g-dev for the native build"
    { command -v apt-get >/dev/null 2>&1 && $sudo apt-get update -qq \
      && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang zlib1g-dev >/dev/null; } \
      || { echo "Could not install clang and zlib1g-dev; the native binary's tests will be skipped." >&2; return 0; }
  fi
  log "Building the native binary (Native AOT, $rid)"
  dotnet publish src/Parley.Server -c Release -r "$rid" -p:PublishAot=true \
    --artifacts-path "$results_dir/native-build" -o "$results_dir/native" --nologo -v quiet -clp:ErrorsOnly \
    || { echo "The native build failed." >&2; broken=$((broken + 1)); return 0; }
  export PARLEY_NATIVE_SERVER="$results_dir/native/Parley.Server"
}

# The reference implementations the interop tests run against (livekit-server-sdk, peerjs and peer,
# bittorrent-tracker, Trystero: tests/interop/package-lock.json). Installed again whenever the lock file changes; if
# npm fails, the tests that need them fail and say so (tests/Shared/InteropNode.cs). --ignore-scripts: no package
# here needs its install script, and bittorrent-tracker's optional native WebRTC (node-datachannel) would try to
# compile libdatachannel; the tests stub the client's WebRTC, as bittorrent-tracker's own tests do.
install_interop() {
  local stamp=tests/interop/node_modules/.installed-lock
  cmp -s tests/interop/package-lock.json "$stamp" && return 0
  log "Installing tests/interop (npm ci)"
  if npm ci --prefix tests/interop --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null; then
    cp tests/interop/package-lock.json "$stamp"
  else
    echo "npm ci --prefix tests/interop failed; the tests that run those packages will fail." >&2
  fi
}

install_missing
install_interop

log "Building"
dotnet build Parley.slnx --nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed, 0 skipped"; exit 1; }
prepare_arm64
prepare_native

isolated=""
if unshare -n true 2>/dev/null; then
  isolated=loopback_only
else
  echo "Cannot create a network namespace here (needs root or user namespaces); network tests run on loopback without isolation." >&2
fi

run_dotnet_suite tests/Parley.Stun.Tests
run_dotnet_suite tests/Parley.Turn.Tests $isolated
run_dotnet_suite tests/Parley.Access.Tests
run_dotnet_suite tests/Parley.Signaling.Tests
run_dotnet_suite tests/Parley.Server.Tests

log "Testing web/ (node --test)"
node_output="$results_dir/web.log"
node --test web/tests/ 2>&1 | tee "$node_output"
node_status=${PIPESTATUS[0]}
if grep -qE '^# pass [0-9]+' "$node_output"; then
  passed=$((passed + $(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$node_output")))
  failed=$((failed + $(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$node_output")))
  skipped=$((skipped + $(sed -nE 's/^# skipped ([0-9]+)$/\1/p' "$node_output")))
else
  [ "$node_status" -eq 0 ] || broken=$((broken + 1))
fi

run_dotnet_suite tests/Parley.Browser.Tests $isolated

# Repeats the names of failed tests just above the summary, so a long log's failure is found at its end.
failures=$(grep -hE '^\s*Failed [A-Za-z_][A-Za-z0-9_.]*' "$results_dir"/*.log 2>/dev/null; grep -hE '^not ok [0-9]+' "$node_output" 2>/dev/null)
if [ -n "$failures" ]; then
  log "Failed tests"
  sed -E 's/^\s+//' <<<"$failures"
fi

failed=$((failed + broken))
[ "$broken" -eq 0 ] || echo "$broken suite(s) ended without a test summary (crashed or failed to start)." >&2
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
