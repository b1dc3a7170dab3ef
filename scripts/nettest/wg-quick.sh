#!/usr/bin/env bash
# wg-quick up/down with WG_QUICK_USERSPACE_IMPLEMENTATION pointing at jwgd (this machine has no
# kernel module, so wg-quick falls back to the userspace implementation), against wireguard-go.
. "$(dirname "$0")/common.bash"
nt_require
if [ -e /sys/module/wireguard ]; then echo "SKIP: the kernel module is loaded, wg-quick would not run jwgd"; exit 0; fi
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B
IA="qa$$"; IB="qb$$"
start_wggo b "$IB"
setkey b "$IB" "$B_priv"
n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.5.0.1/32 endpoint 192.0.2.1:51820
n b ip addr add 10.5.0.2/24 dev "$IB"; n b ip link set "$IB" up

cat > "$NT_TMP/$IA.conf" <<CONF
[Interface]
PrivateKey = $A_priv
ListenPort = 51820
Address = 10.5.0.1/24

[Peer]
PublicKey = $B_pub
AllowedIPs = 10.5.0.2/32, 10.55.0.0/16
Endpoint = 192.0.2.2:51821
CONF
chmod 600 "$NT_TMP/$IA.conf"
check "wg-quick up with WG_QUICK_USERSPACE_IMPLEMENTATION=jwgd"
if n a env WG_QUICK_USERSPACE_IMPLEMENTATION="$JWGD" timeout 120 wg-quick up "$NT_TMP/$IA.conf" >"$NT_TMP/up.log" 2>&1; then
  pass "wg-quick up returned 0"
else
  fail "wg-quick up failed: $(tail -n 5 "$NT_TMP/up.log" | tr '\n' ' ')"
fi
if grep -q '10.55.0.0/16' <<<"$(n a ip route show dev "$IA" 2>/dev/null)"; then pass "wg-quick installed the AllowedIPs route"; else fail "no route 10.55.0.0/16"; fi
expect_ping a 10.5.0.2 "ping through the wg-quick interface to wireguard-go"
check "wg-quick down removes the interface and the daemon exits"
if n a timeout 60 wg-quick down "$NT_TMP/$IA.conf" >"$NT_TMP/down.log" 2>&1 && ! n a ip link show "$IA" >/dev/null 2>&1 \
   && wait_for 10 bash -c "[ ! -e /var/run/wireguard/$IA.sock ]"; then
  pass "down"
else
  fail "wg-quick down: $(tail -n 5 "$NT_TMP/down.log" | tr '\n' ' ')"
fi
nt_finish
