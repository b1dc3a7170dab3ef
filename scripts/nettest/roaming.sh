#!/usr/bin/env bash
# Roaming (the peer changes address and port, traffic follows), a restarted peer, and source
# filtering (a more specific allowed IP on another peer wins over the sender's wider one).
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B; genkeys C
IA="ra$$"; IB="rb$$"

up_b() {
  start_jwgd b "$IB"
  setkey b "$IB" "$B_priv"
  n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.8.0.1/32 endpoint 192.0.2.1:51820
  n b ip addr add 10.8.0.2/24 dev "$IB"; n b ip addr add 10.8.0.99/32 dev "$IB"; n b ip link set "$IB" up
}

start_jwgd a "$IA"
setkey a "$IA" "$A_priv"
# a knows b with a /24 and a third peer c with the more specific 10.8.0.99/32.
n a wg set "$IA" listen-port 51820 peer "$B_pub" allowed-ips 10.8.0.0/24 endpoint 192.0.2.2:51821 \
  peer "$C_pub" allowed-ips 10.8.0.99/32
n a ip addr add 10.8.0.1/24 dev "$IA"; n a ip link set "$IA" up
up_b

expect_ping a 10.8.0.2 "tunnel works before roaming"

check "source filtering: a packet from b with source 10.8.0.99 (c's address) is dropped"
if n b ping -c 2 -i 0.3 -W 1 -I 10.8.0.99 10.8.0.1 >/dev/null 2>&1; then
  fail "a accepted a packet whose source belongs to another peer"
else
  pass "dropped"
fi
expect_ping b 10.8.0.1 "the same peer's own source still passes"

check "roaming: b moves to 192.0.2.22 and port 40000"
# (delete first: removing a primary address also removes its secondaries)
n b ip addr del 192.0.2.2/24 dev "$VB"
n b ip addr add 192.0.2.22/24 dev "$VB"
n b wg set "$IB" listen-port 40000
expect_ping b 10.8.0.1 "b reaches a from its new address"
ep=$(n a wg show "$IA" endpoints | awk -v k="$B_pub" '$1==k{print $2}')
if [ "$ep" = "192.0.2.22:40000" ]; then pass "a's endpoint for b followed: $ep"; else fail "a's endpoint for b is '$ep', want 192.0.2.22:40000"; fi
expect_ping a 10.8.0.2 "a reaches b at its new address"

check "a restarted peer: b's daemon is stopped and started again"
n b ip link del "$IB"
wait_for 10 bash -c "! ip netns exec $(nsname b) wg show $IB >/dev/null 2>&1" || true
up_b
expect_ping b 10.8.0.1 "b (fresh keys state) reaches a again"
expect_ping a 10.8.0.2 "and a reaches b"
nt_finish
