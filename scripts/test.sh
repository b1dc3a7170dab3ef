#!/usr/bin/env bash
# Runs every test of every module, then the network tests in scripts/nettest/. Exits non-zero on any failure.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
find_jdk
echo "JDK: $JAVA_HOME"
cd "$JWGD_ROOT"

if [ "$(id -u)" -eq 0 ]; then
  need_pkgs ip:iproute2 ping:iputils-ping wg:wireguard-tools wireguard-go:wireguard-go iperf3:iperf3 gcc:gcc
fi

echo "== unit and kernel tests (mvn verify)"
mvn -B verify

echo "== network tests (scripts/nettest)"
failed=0; passed=0
for t in scripts/nettest/*.sh; do
  [ -e "$t" ] || continue
  echo "-- $t"
  if bash "$t"; then passed=$((passed+1)); else echo "FAILED: $t"; failed=$((failed+1)); fi
done
echo "nettest: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
