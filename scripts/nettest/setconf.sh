#!/usr/bin/env bash
# The real `wg` against jwgd: setconf with a peer holding thousands of allowed IPs, showconf round
# trip, syncconf (a peer removed, allowed IPs changed, the session kept), with traffic through it.
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B; genkeys X
IA="sa$$"; IB="sb$$"
start_jwgd a "$IA"
start_wggo b "$IB"
setkey b "$IB" "$B_priv"
n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.4.0.1/32 endpoint 192.0.2.1:51820
n b ip addr add 10.4.0.2/24 dev "$IB"; n b ip link set "$IB" up

{
  printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\n\n[Peer]\nPublicKey = %s\nEndpoint = 192.0.2.2:51821\nAllowedIPs = 10.4.0.2/32' "$A_priv" "$B_pub"
  for i in $(seq 0 7); do for j in $(seq 0 249); do printf ', 10.44.%d.%d/32' "$i" "$j"; done; done
  printf '\n\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.4.0.99/32\n' "$X_pub"
} > "$NT_TMP/one.conf"
check "wg setconf with a peer of 2001 allowed IPs"
n a wg setconf "$IA" "$NT_TMP/one.conf"
n a ip addr add 10.4.0.1/24 dev "$IA"; n a ip link set "$IA" up
count=$(n a wg show "$IA" allowed-ips | awk -v k="$B_pub" '$1==k{print NF-1}')
if [ "$count" = 2001 ]; then pass "wg show lists 2001 allowed IPs for b"; else fail "b has $count allowed IPs"; fi
peers=$(n a wg show "$IA" peers | wc -l)
if [ "$peers" = 2 ]; then pass "2 peers"; else fail "$peers peers"; fi
expect_ping a 10.4.0.2 "traffic flows after setconf"

check "wg showconf gives back a config that setconf accepts unchanged"
n a wg showconf "$IA" > "$NT_TMP/shown.conf"
before=$(n a wg show "$IA" dump | awk 'NR>1{print $1, $3, $4, $9}' | sort)
n a wg setconf "$IA" "$NT_TMP/shown.conf"
after=$(n a wg show "$IA" dump | awk 'NR>1{print $1, $3, $4, $9}' | sort)
if [ "$before" = "$after" ]; then pass "same peers, endpoints, allowed IPs and keepalive"; else fail "showconf round trip changed the interface"; fi

expect_ping a 10.4.0.2 "traffic flows again after the round trip (setconf replaced the peers)"

check "wg syncconf: x removed, b's allowed IPs replaced, session kept"
hs1=$(n a wg show "$IA" latest-handshakes | awk -v k="$B_pub" '$1==k{print $2}')
printf '[Interface]\nPrivateKey = %s\nListenPort = 51820\n\n[Peer]\nPublicKey = %s\nEndpoint = 192.0.2.2:51821\nAllowedIPs = 10.4.0.2/32, 10.45.0.0/16\n' \
  "$A_priv" "$B_pub" > "$NT_TMP/two.conf"
n a wg syncconf "$IA" "$NT_TMP/two.conf"
ips=$(n a wg show "$IA" allowed-ips | awk -v k="$B_pub" '$1==k{$1=""; print}' | xargs -n1 | sort | tr '\n' ' ')
peers=$(n a wg show "$IA" peers | wc -l)
if [ "$peers" = 1 ] && [ "$ips" = "10.4.0.2/32 10.45.0.0/16 " ]; then pass "peers 1, allowed IPs $ips"; else fail "peers $peers, allowed IPs '$ips'"; fi
expect_ping a 10.4.0.2 "traffic still flows after syncconf"
hs2=$(n a wg show "$IA" latest-handshakes | awk -v k="$B_pub" '$1==k{print $2}')
if [ "$hs1" = "$hs2" ]; then pass "the session survived syncconf (no new handshake)"; else fail "handshake time changed ($hs1 -> $hs2)"; fi
nt_finish
