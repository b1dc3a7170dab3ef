#!/usr/bin/env bash
# Malformed datagrams and malformed UAPI requests from a third namespace while a tunnel carries
# traffic: no ping is lost, and the daemon keeps answering `wg`.
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b; ns m
read -r VA VB < <(veth a b 192.0.2.1/26 192.0.2.2/26)
read -r VA2 VM < <(veth a m 192.0.2.65/26 192.0.2.66/26)
genkeys A; genkeys B
IA="ma$$"; IB="mb$$"
start_jwgd a "$IA"
start_wggo b "$IB"
setkey a "$IA" "$A_priv"; setkey b "$IB" "$B_priv"
n a wg set "$IA" listen-port 51820 peer "$B_pub" allowed-ips 10.3.0.2/32 endpoint 192.0.2.2:51821
n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.3.0.1/32 endpoint 192.0.2.1:51820
n a ip addr add 10.3.0.1/24 dev "$IA"; n a ip link set "$IA" up
n b ip addr add 10.3.0.2/24 dev "$IB"; n b ip link set "$IB" up
expect_ping a 10.3.0.2 "tunnel up"

check "300 malformed datagrams from m while a pings b 150 times"
n a ping -c 150 -i 0.02 -W 2 10.3.0.2 > "$NT_TMP/ping.log" 2>&1 &
PING_PID=$!
junk() { n m bash -c "printf '$1' > /dev/udp/192.0.2.65/51820" 2>/dev/null || true; }
for i in $(seq 1 30); do
  n m bash -c 'head -c $((RANDOM % 300 + 1)) /dev/urandom > /dev/udp/192.0.2.65/51820' 2>/dev/null || true
  junk '\x04\x00\x00\x00'                                   # transport header cut short
  junk '\x04\x00\x00\x00\x11\x22\x33\x44\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00' # unknown index
  junk '\x01\x00\x00\x00'                                   # initiation of the wrong size
  junk '\x01\x01\x00\x00'                                   # reserved byte set
  junk '\x02\x00\x00\x00\x01\x00\x00\x00'                   # response cut short
  junk '\x03\x00\x00\x00'                                   # cookie reply cut short
  junk '\x05\x00\x00\x00'                                   # unknown type
  n m bash -c 'head -c 148 /dev/urandom | { printf "\x01\x00\x00\x00"; tail -c 144; } > /dev/udp/192.0.2.65/51820' 2>/dev/null || true
  n m bash -c 'head -c 92 /dev/urandom | { printf "\x02\x00\x00\x00"; tail -c 88; } > /dev/udp/192.0.2.65/51820' 2>/dev/null || true
done
check "malformed UAPI requests from m at the same time"
if n m timeout 60 "$JAVA_HOME/bin/java" "$(dirname "$0")/UapiFuzz.java" "/var/run/wireguard/$IA.sock" "$$"; then
  pass "every malformed request got an answer and get still works"
else
  fail "the UAPI server stopped answering"
fi
wait "$PING_PID" || true
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$NT_TMP/ping.log")
if [ "$loss" = 0 ]; then pass "no ping lost"; else fail "ping loss $loss%: $(tail -n 2 "$NT_TMP/ping.log" | tr '\n' ' ')"; fi
if n a wg show "$IA" >/dev/null; then pass "wg show still answers"; else fail "wg show fails"; fi
expect_ping a 10.3.0.2 "tunnel still up"
nt_finish
