#!/usr/bin/env bash
# The seed's three hosts with one dead first candidate: a's peers have two endpoints each, the
# first never answers; a must fail over to the second while handshakes time out, stay with it,
# and show it in `wg show`. Names resolve through the namespace's hosts file.
. "$(dirname "$0")/common.bash"
nt_require
trap 'nt_cleanup; rm -rf "/etc/netns/$(nsname a)"' EXIT

ns sw; ns a; ns b; ns c
n sw ip link add sw type bridge; n sw ip link set sw up
for h in a b c; do
  ip link add "e$h$$" netns "$(nsname "$h")" type veth peer name "p$h$$" netns "$(nsname sw)"
  n sw ip link set "p$h$$" master sw up
  n "$h" ip link set "e$h$$" up
done
n a ip addr add 192.0.2.1/24 dev "ea$$"; n b ip addr add 192.0.2.2/24 dev "eb$$"; n c ip addr add 192.0.2.3/24 dev "ec$$"
# The dead candidates: b.com resolves to an address nobody has; 192.168.1.0/24 is unreachable.
n a ip route add unreachable 192.168.1.0/24
mkdir -p "/etc/netns/$(nsname a)"
printf '127.0.0.1 localhost\n192.0.2.202 b.com\n192.0.2.3 c.com\n' > "/etc/netns/$(nsname a)/hosts"
genkeys A; genkeys B; genkeys C
IA="ta$$"; IB="tb$$"; IC="tc$$"
cat > "$NT_TMP/a.conf" <<CONF
[Interface]
PrivateKey = $A_priv
ListenPort = 51820

[Peer]
PublicKey = $B_pub
AllowedIPs = 10.0.0.2/32
Endpoint = b.com:51820, 192.0.2.2/32:51820

[Peer]
PublicKey = $C_pub
AllowedIPs = 10.0.0.3/32
Endpoint = c.com:51820, 192.168.1.3/32:51820
CONF
for h in B C; do
  priv=${h}_priv
  cat > "$NT_TMP/$h.conf" <<CONF
[Interface]
PrivateKey = ${!priv}
ListenPort = 51820

[Peer]
PublicKey = $A_pub
AllowedIPs = 10.0.0.1/32
Endpoint = 192.0.2.1:51820
CONF
done
start_jwgd a "$IA"; start_jwgd b "$IB"; start_jwgd c "$IC"
n a "$JWGD" setconf "$IA" "$NT_TMP/a.conf"
n b "$JWGD" setconf "$IB" "$NT_TMP/B.conf"
n c "$JWGD" setconf "$IC" "$NT_TMP/C.conf"
n a ip addr add 10.0.0.1/24 dev "$IA"; n a ip link set "$IA" up
n b ip addr add 10.0.0.2/24 dev "$IB"; n b ip link set "$IB" up
n c ip addr add 10.0.0.3/24 dev "$IC"; n c ip link set "$IC" up

expect_ping a 10.0.0.3 "a reaches c at its first candidate (c.com)"
check "a reaches b after its first candidate (b.com -> dead address) times out (allow 20 s)"
if wait_for 20 n a ping -c 1 -W 1 10.0.0.2; then pass "b answered"; else fail "b never answered"; fi
ep=$(n a wg show "$IA" endpoints | awk -v k="$B_pub" '$1==k{print $2}')
if [ "$ep" = "192.0.2.2:51820" ]; then pass "wg show shows the candidate in use: $ep"; else fail "endpoint for b is '$ep'"; fi
ep=$(n a wg show "$IA" endpoints | awk -v k="$C_pub" '$1==k{print $2}')
if [ "$ep" = "192.0.2.3:51820" ]; then pass "c stays on its first candidate: $ep"; else fail "endpoint for c is '$ep'"; fi
nt_finish
