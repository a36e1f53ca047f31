#!/bin/sh
# Builds and runs syscall_cost.c (needs gcc and Debian's liburing-dev; installs the latter when missing).
set -e
cd "$(dirname "$0")"
[ -f /usr/include/liburing.h ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq liburing-dev; }
gcc -O2 -o /tmp/parley-syscall-cost syscall_cost.c -luring
exec /tmp/parley-syscall-cost
