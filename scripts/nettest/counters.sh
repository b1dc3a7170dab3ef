#!/usr/bin/env bash
# The kernel selftest's counter figures (netns.sh "stats and timestamps"): after 10 pings through a
# fresh tunnel, the initiator has received 92 + 10 x 128 = 1372 bytes of UDP payload and sent
# 148 + 10 x 128 = 1428 (or 1460 with one keepalive); counters include the handshake messages.
# jwgd initiates towards wireguard-go; wireguard-go's own figures are checked the same way.
# Then SIGTERM stops jwgd cleanly.
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B
IA="xa$$"; IB="xb$$"
start_jwgd a "$IA"
start_wggo b "$IB"
setkey a "$IA" "$A_priv"; setkey b "$IB" "$B_priv"
n a wg set "$IA" listen-port 51820 peer "$B_pub" allowed-ips 10.11.0.2/32 endpoint 192.0.2.2:51821
n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.11.0.1/32 endpoint 192.0.2.1:51820
n a ip addr add 10.11.0.1/24 dev "$IA"; n a ip link set "$IA" up
n b ip addr add 10.11.0.2/24 dev "$IB"; n b ip link set "$IB" up

check "10 pings of 84 bytes from a (jwgd, initiator) to b (wireguard-go)"
n a ping -c 10 -i 0.1 -W 3 10.11.0.2 > "$NT_TMP/ping.log" 2>&1 || true
read -r rx tx < <(n a wg show "$IA" transfer | awk '{print $2, $3}')
if [ "$rx" = 1372 ] && { [ "$tx" = 1428 ] || [ "$tx" = 1460 ]; }; then
  pass "jwgd: rx $rx, tx $tx"
else
  fail "jwgd: rx $rx (want 1372), tx $tx (want 1428 or 1460); $(tail -n 2 "$NT_TMP/ping.log" | head -n 1)"
fi
read -r brx btx < <(n b wg show "$IB" transfer | awk '{print $2, $3}')
if [ "$brx" = "$tx" ] && [ "$btx" = "$rx" ]; then pass "wireguard-go saw the same bytes: rx $brx, tx $btx"; else fail "wireguard-go: rx $brx, tx $btx"; fi
hs=$(n a wg show "$IA" latest-handshakes | awk '{print $2}')
if [ "${hs:-0}" -gt 0 ]; then pass "latest handshake $hs"; else fail "no handshake time"; fi

check "SIGTERM: the daemon removes its socket and its interface, then exits"
pids=$(ip netns pids "$(nsname a)")
kill -TERM $pids
if wait_for 10 bash -c "[ ! -e /var/run/wireguard/$IA.sock ] && ! ip -n $(nsname a) link show $IA >/dev/null 2>&1 && [ -z \"\$(ip netns pids $(nsname a))\" ]"; then
  pass "socket and interface gone, process exited"
else
  fail "after SIGTERM: socket $( [ -e "/var/run/wireguard/$IA.sock" ] && echo present || echo gone), processes '$(ip netns pids "$(nsname a)" | tr '\n' ' ')'"
fi
nt_finish
