#!/usr/bin/env bash
# A rekey after REKEY_AFTER_TIME between two jwgd daemons whose protocol clock runs 30 times faster
# (test-only -Djwgd.test.clockScale=30: 120 s become 4 s; the shipped constants are the kernel's).
# Pings keep flowing across several rekeys and `wg show` reports a newer handshake each time.
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B
IA="ka$$"; IB="kb$$"
export JAVA_TOOL_OPTIONS="-Djwgd.test.clockScale=30"
start_jwgd a "$IA"; start_jwgd b "$IB"
unset JAVA_TOOL_OPTIONS
setkey a "$IA" "$A_priv"; setkey b "$IB" "$B_priv"
n a wg set "$IA" listen-port 51820 peer "$B_pub" allowed-ips 10.2.0.2/32 endpoint 192.0.2.2:51821
n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.2.0.1/32 endpoint 192.0.2.1:51820
n a ip addr add 10.2.0.1/24 dev "$IA"; n a ip link set "$IA" up
n b ip addr add 10.2.0.2/24 dev "$IB"; n b ip link set "$IB" up
expect_ping a 10.2.0.2 "first session"
hs1=$(n a wg show "$IA" latest-handshakes | awk '{print $2}')
check "12 s of pings (three REKEY_AFTER_TIMEs at 30x) lose nothing and the handshake is renewed"
n a ping -c 60 -i 0.2 -W 2 10.2.0.2 > "$NT_TMP/ping.log" 2>&1 || true
hs2=$(n a wg show "$IA" latest-handshakes | awk '{print $2}')
loss=$(sed -n 's/.* \([0-9.]*\)% packet loss.*/\1/p' "$NT_TMP/ping.log")
if [ "${hs2:-0}" -gt "${hs1:-0}" ]; then pass "latest handshake moved from $hs1 to $hs2"; else fail "no new handshake ($hs1 -> $hs2)"; fi
if [ "$loss" = 0 ]; then pass "no ping lost across the rekeys"; else fail "ping loss $loss%"; fi
nt_finish
