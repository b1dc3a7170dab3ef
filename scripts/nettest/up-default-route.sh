#!/usr/bin/env bash
# `jwgd up` with a default route (AllowedIPs = 0.0.0.0/0, ::/0), as wg-quick does it: the interface
# gets fwmark 51820, the /0 routes go into table 51820, two rules per family send everything
# unmarked there while the tunnel's own (marked) UDP still leaves over the veth; `jwgd down`
# removes the rules again, and wg-quick's nftables table (anti-spoofing + conntrack mark) comes and
# goes with them. DNS goes to resolvconf (a recording stand-in here) as wg-quick sends it.
. "$(dirname "$0")/common.bash"
nt_require
need_pkgs nft:nftables
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
genkeys A; genkeys B
IA="da$$"; IB="db$$"

start_jwgd b "$IB"
setkey b "$IB" "$B_priv"
n b wg set "$IB" listen-port 51821 peer "$A_pub" allowed-ips 10.7.0.1/32,fd00:7::1/128
n b ip addr add 10.7.0.2/24 dev "$IB"; n b ip addr add fd00:7::2/64 dev "$IB" nodad; n b ip link set "$IB" up

cat > "$NT_TMP/$IA.conf" <<CONF
[Interface]
PrivateKey = $A_priv
Address = 10.7.0.1/24, fd00:7::1/64
DNS = 10.7.0.53, lan

[Peer]
PublicKey = $B_pub
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 192.0.2.2:51821
CONF

# A stand-in resolvconf first on PATH: records its arguments and what it reads.
mkdir -p "$NT_TMP/bin"
cat > "$NT_TMP/bin/resolvconf" <<SH
#!/bin/sh
echo "\$*" >> "$NT_TMP/resolvconf.args"
cat >> "$NT_TMP/resolvconf.stdin"
SH
chmod 700 "$NT_TMP/bin/resolvconf"

check "jwgd up with a default route"
if PATH="$NT_TMP/bin:$PATH" timeout 90 ip netns exec "$(nsname a)" "$JWGD" up "$NT_TMP/$IA.conf"; then pass "jwgd up returned 0"; else fail "jwgd up failed"; fi
if grep -q -- "-a \(.*\.\)\?$IA -m 0 -x" "$NT_TMP/resolvconf.args" 2>/dev/null \
   && [ "$(cat "$NT_TMP/resolvconf.stdin")" = "$(printf 'nameserver 10.7.0.53\nsearch lan')" ]; then
  pass "DNS handed to resolvconf -a as wg-quick does"
else
  fail "resolvconf got: $(cat "$NT_TMP/resolvconf.args" "$NT_TMP/resolvconf.stdin" 2>&1 | tr '\n' ';')"
fi
mark=$(n a wg show "$IA" fwmark 2>/dev/null || echo none)
if [ "$mark" = 0xca6c ]; then pass "fwmark is 0xca6c (51820)"; else fail "fwmark is $mark"; fi
for fam in -4 -6; do
  rules=$(n a ip "$fam" rule show)
  if grep -q "not from all fwmark 0xca6c lookup 51820" <<<"$rules" && grep -q "from all lookup main suppress_prefixlength 0" <<<"$rules"; then
    pass "ip $fam rule has wg-quick's two rules"
  else
    fail "ip $fam rule: $(tr '\n' ';' <<<"$rules")"
  fi
  if grep -q "^default dev $IA" <<<"$(n a ip "$fam" route show table 51820)"; then pass "ip $fam default route in table 51820"; else fail "no $fam default route in table 51820"; fi
done
for pf in ip ip6; do
  t=$(n a nft list table "$pf" "wg-quick-$IA" 2>&1)
  if grep -q "iifname != \"$IA\" $pf daddr" <<<"$t" && grep -q "ct mark set meta mark" <<<"$t"; then
    pass "nft table $pf wg-quick-$IA has the anti-spoofing and conntrack-mark rules"
  else
    fail "nft table $pf wg-quick-$IA: $(tr '\n' ';' <<<"$t")"
  fi
done
expect_ping a 10.7.0.2 "everything unmarked goes through the tunnel, and the tunnel's own UDP still leaves (IPv4)"
expect_ping a fd00:7::2 "and over IPv6"
expect_ping a 192.0.2.2 "the main table's more specific routes still win (the veth peer is reached directly)"

check "jwgd down removes the interface and the rules"
if PATH="$NT_TMP/bin:$PATH" timeout 30 ip netns exec "$(nsname a)" "$JWGD" down "$NT_TMP/$IA.conf" && ! n a ip link show "$IA" >/dev/null 2>&1; then pass "interface gone"; else fail "interface still there"; fi
if grep -q -- "-d \(.*\.\)\?$IA -f" "$NT_TMP/resolvconf.args"; then pass "DNS record removed (resolvconf -d)"; else fail "no resolvconf -d: $(tr '\n' ';' < "$NT_TMP/resolvconf.args")"; fi
left=$( (n a ip -4 rule show; n a ip -6 rule show) | grep -c "0xca6c\|suppress_prefixlength" || true)
if [ "$left" = 0 ]; then pass "no rule left"; else fail "$left rules left"; fi
if n a nft list tables | grep -q "wg-quick-$IA"; then fail "nft tables left: $(n a nft list tables | tr '\n' ';')"; else pass "no nft table left"; fi
nt_finish
