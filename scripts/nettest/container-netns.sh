#!/usr/bin/env bash
# The container namespace: `jwgd --netns C IFACE` started in namespace a keeps its encrypted UDP
# socket in a and moves the interface into C, so a process in C reaches the network only through
# the tunnel; `jwgd up` / `jwgd down` bring an interface up and down from a wg-quick style file.
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b; ns c
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B
IA="ca$$"; IB="cb$$"

check "jwgd --netns moves the interface into the container namespace"
start_jwgd a "$IA" --netns "$(nsname c)"
if n c ip link show "$IA" >/dev/null 2>&1 && ! n a ip link show "$IA" >/dev/null 2>&1; then
  pass "$IA is in c, not in a"
else
  fail "$IA is not (only) in c"
fi
setkey a "$IA" "$A_priv"
n a wg set "$IA" listen-port 51820 peer "$B_pub" allowed-ips 10.6.0.2/32,fd00:6::2/128 endpoint 192.0.2.2:51821
n c ip addr add 10.6.0.1/24 dev "$IA"; n c ip addr add fd00:6::1/64 dev "$IA" nodad; n c ip link set "$IA" up

check "jwgd up brings up b's end from a wg-quick style config"
cat > "$NT_TMP/$IB.conf" <<CONF
[Interface]
PrivateKey = $B_priv
ListenPort = 51821
Address = 10.6.0.2/24, fd00:6::2/64
MTU = 1400

[Peer]
PublicKey = $A_pub
AllowedIPs = 10.6.0.1/32, fd00:6::1/128, 10.66.0.0/16
Endpoint = 192.0.2.1:51820
CONF
if timeout 90 ip netns exec "$(nsname b)" "$JWGD" up "$NT_TMP/$IB.conf"; then pass "jwgd up returned 0"; else fail "jwgd up failed"; fi
mtu=$(n b cat "/sys/class/net/$IB/mtu" 2>/dev/null || echo none)
if [ "$mtu" = 1400 ]; then pass "MTU 1400 set"; else fail "MTU is $mtu"; fi
if grep -q '10.66.0.0/16' <<<"$(n b ip route show dev "$IB")"; then pass "route for 10.66.0.0/16 installed"; else fail "no route for 10.66.0.0/16"; fi
if grep -q "fd00:6::2/64" <<<"$(n b ip -6 addr show dev "$IB")"; then pass "IPv6 address set"; else fail "no IPv6 address on $IB"; fi

expect_ping c 10.6.0.2 "a process in c reaches b through the tunnel (IPv4)"
expect_ping c fd00:6::2 "and over IPv6"
check "c has no other way out: its only links are lo and the tunnel"
links=$(n c ip -o link show | awk -F': ' '{print $2}' | sort | tr '\n' ' ')
if [ "$links" = "$IA lo " ]; then pass "links in c: $links"; else fail "links in c: $links"; fi
check "the UDP socket stayed in a (the birthplace): it listens there, not in c"
if grep -q ':51820 ' <<<"$(n a ss -Hnlu)" && ! grep -q ':51820 ' <<<"$(n c ss -Hnlu)"; then pass "port 51820 is bound in a"; else fail "port 51820 is not (only) in a"; fi

check "jwgd down removes b's interface and its daemon"
if timeout 30 ip netns exec "$(nsname b)" "$JWGD" down "$NT_TMP/$IB.conf" && ! n b ip link show "$IB" >/dev/null 2>&1 \
   && [ ! -e "/var/run/wireguard/$IB.sock" ]; then
  pass "gone"
else
  fail "$IB or its socket is still there"
fi
check "deleting the interface inside c stops a's daemon"
n c ip link del "$IA"
if wait_for 10 bash -c "[ ! -e /var/run/wireguard/$IA.sock ]"; then pass "daemon exited"; else fail "socket $IA still there"; fi
nt_finish
