#!/usr/bin/env bash
# jwgd with jwgd and jwgd with wireguard-go, each side initiating, IPv4 and IPv6 inside and
# outside the tunnel: ping, iperf3 TCP and UDP, wg show counters and handshake times.
. "$(dirname "$0")/common.bash"
nt_require
trap nt_cleanup EXIT

ns a; ns b
read -r VA VB < <(veth a b 192.0.2.1/24 192.0.2.2/24 2001:db8:1::1/64 2001:db8:1::2/64)
genkeys A; genkeys B
# /var/run/wireguard is shared by all namespaces: interface names must be unique host-wide.
IA="wa$$"; IB="wb$$"

# run IMPL_B OUTER INITIATOR: jwgd in a, IMPL_B (jwgd|wireguard-go) in b, outer 4|6, who pings first.
run() {
  local implb=$1 outer=$2 initiator=$3 epa epb
  if [ "$outer" = 4 ]; then epa=192.0.2.1:51820; epb=192.0.2.2:51821; else epa=[2001:db8:1::1]:51820; epb=[2001:db8:1::2]:51821; fi
  echo "== jwgd <-> $implb, outer IPv$outer, $initiator initiates"
  start_jwgd a $IA || { fail "jwgd did not start in a"; return; }
  if [ "$implb" = jwgd ]; then start_jwgd b $IB || { fail "jwgd did not start in b"; return; }
  else start_wggo b $IB || { fail "wireguard-go did not start in b"; return; }; fi
  setkey a $IA "$A_priv"; setkey b $IB "$B_priv"
  n a wg set $IA listen-port 51820 peer "$B_pub" allowed-ips 10.7.0.2/32,fd00:7::2/128 endpoint "$epb"
  n b wg set $IB listen-port 51821 peer "$A_pub" allowed-ips 10.7.0.1/32,fd00:7::1/128 endpoint "$epa"
  n a ip addr add 10.7.0.1/24 dev $IA; n a ip addr add fd00:7::1/64 dev $IA nodad; n a ip link set $IA up
  n b ip addr add 10.7.0.2/24 dev $IB; n b ip addr add fd00:7::2/64 dev $IB nodad; n b ip link set $IB up
  if [ "$initiator" = a ]; then
    expect_ping a 10.7.0.2 "ping over IPv4 inside, a first"
    expect_ping a fd00:7::2 "ping over IPv6 inside"
    expect_ping b 10.7.0.1 "ping back b -> a"
  else
    expect_ping b 10.7.0.1 "ping over IPv4 inside, b first"
    expect_ping b fd00:7::1 "ping over IPv6 inside"
    expect_ping a fd00:7::2 "ping back a -> b"
  fi
  iperf_pair b a 10.7.0.2 "iperf3 TCP a -> b (IPv4 inside)"
  iperf_pair a b fd00:7::1 "iperf3 UDP b -> a (IPv6 inside)" udp
  check "wg show reports a handshake, transfer and b's endpoint on a"
  local hs tr ep
  hs=$(n a wg show $IA latest-handshakes | awk '{print $2}')
  tr=$(n a wg show $IA transfer | awk '{print $2" "$3}')
  ep=$(n a wg show $IA endpoints | awk '{print $2}')
  if [ "${hs:-0}" -gt 0 ] && [ "$(echo "$tr" | awk '{print ($1>0 && $2>0)}')" = 1 ] && [ "$ep" = "$epb" ]; then
    pass "handshake $hs, transfer $tr, endpoint $ep"
  else
    fail "wg show: handshake '$hs' transfer '$tr' endpoint '$ep' (want $epb)"
  fi
  check "deleting the interfaces stops both daemons"
  n a ip link del $IA; n b ip link del $IB
  if wait_for 10 bash -c "[ -z \"\$(ip netns pids $(nsname a))\" ] && [ -z \"\$(ip netns pids $(nsname b))\" ]"; then
    pass "daemons exited"
  else
    fail "a daemon is still running after its interface was deleted"
  fi
  check "sockets removed"
  if [ ! -e "/var/run/wireguard/$IA.sock" ] && [ ! -e "/var/run/wireguard/$IB.sock" ]; then pass "no socket left"; else fail "a socket file is left"; fi
}

run jwgd 4 a
run jwgd 6 b
run wireguard-go 4 b
run wireguard-go 6 a
nt_finish
