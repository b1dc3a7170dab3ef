#!/usr/bin/env bash
# The main job: three hosts in network namespaces joined by a virtual switch, a = 10.0.0.1/24
# with peers b = 10.0.0.2 and c = 10.0.0.3, each peer reached at a name and a fallback address
# (Endpoint = b.com:51820, 192.168.1.2/32:51820). Names resolve through each namespace's hosts
# file; 192.168.1.0/24 is unreachable inside the namespaces. jwgd runs on all three hosts, a's
# config is applied with `jwgd setconf`; then a pings b and c, runs a short iperf3 and prints
# `wg show`. Everything is removed at the end, also on failure or Ctrl-C.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ]; then echo "demo.sh creates network namespaces: run it as root" >&2; exit 1; fi
echo "== checking tools"
need_pkgs ip:iproute2 ping:iputils-ping wg:wireguard-tools iperf3:iperf3 setsid:util-linux
find_jdk
echo "JDK: $JAVA_HOME"
echo "== building jwgd"
[ -n "${JWGD_SKIP_BUILD:-}" ] || build_if_needed
JWGD="${JWGD:-$JWGD_ROOT/scripts/jwgd}"

TAG="d$$"
NS_SW="jwgd-demo-sw-$TAG"
declare -A NS=([a]="jwgd-demo-a-$TAG" [b]="jwgd-demo-b-$TAG" [c]="jwgd-demo-c-$TAG")
declare -A IF=([a]="wgdemoa$$" [b]="wgdemob$$" [c]="wgdemoc$$")
declare -A UNDER=([a]=192.0.2.1 [b]=192.0.2.2 [c]=192.0.2.3)
declare -A INNER=([a]=10.0.0.1 [b]=10.0.0.2 [c]=10.0.0.3)
WORK=$(mktemp -d /tmp/jwgd-demo.XXXXXX)

cleanup() {
  echo "== removing everything"
  local h pid
  for h in a b c; do
    ip -n "${NS[$h]}" link del "${IF[$h]}" 2>/dev/null || true
  done
  for h in a b c; do
    for _ in $(seq 1 20); do [ -z "$(ip netns pids "${NS[$h]}" 2>/dev/null)" ] && break; sleep 0.25; done
    for pid in $(ip netns pids "${NS[$h]}" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "${NS[$h]}" 2>/dev/null || true
    rm -rf "/etc/netns/${NS[$h]}"
  done
  ip netns del "$NS_SW" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== creating hosts a, b, c and a switch between them (192.0.2.0/24)"
ip netns add "$NS_SW"
ip -n "$NS_SW" link add sw type bridge
ip -n "$NS_SW" link set sw up
for h in a b c; do
  ip netns add "${NS[$h]}"
  ip -n "${NS[$h]}" link set lo up
  ip link add "eth0" netns "${NS[$h]}" type veth peer name "port-$h" netns "$NS_SW"
  ip -n "$NS_SW" link set "port-$h" master sw up
  ip -n "${NS[$h]}" addr add "${UNDER[$h]}/24" dev eth0
  ip -n "${NS[$h]}" link set eth0 up
  # The fallback candidates must never leave the namespace: 192.168.1.0/24 goes nowhere.
  ip -n "${NS[$h]}" route add unreachable 192.168.1.0/24
  mkdir -p "/etc/netns/${NS[$h]}"
  printf '127.0.0.1 localhost\n192.0.2.1 a.com\n192.0.2.2 b.com\n192.0.2.3 c.com\n' > "/etc/netns/${NS[$h]}/hosts"
done

echo "== generating keys"
declare -A PRIV PUB
for h in a b c; do PRIV[$h]=$(wg genkey); PUB[$h]=$(echo "${PRIV[$h]}" | wg pubkey); done

cat > "$WORK/a.conf" <<CONF
[Interface]
PrivateKey = ${PRIV[a]}
ListenPort = 51820

[Peer]
PublicKey = ${PUB[b]}
AllowedIPs = 10.0.0.2/32
Endpoint = b.com:51820, 192.168.1.2/32:51820

[Peer]
PublicKey = ${PUB[c]}
AllowedIPs = 10.0.0.3/32
Endpoint = c.com:51820, 192.168.1.3/32:51820
CONF
for h in b c; do
  cat > "$WORK/$h.conf" <<CONF
[Interface]
PrivateKey = ${PRIV[$h]}
ListenPort = 51820

[Peer]
PublicKey = ${PUB[a]}
AllowedIPs = 10.0.0.1/32
Endpoint = a.com:51820
CONF
done
chmod 600 "$WORK"/*.conf

echo "== starting jwgd on a, b and c"
for h in a b c; do
  timeout 90 ip netns exec "${NS[$h]}" "$JWGD" "${IF[$h]}"
  echo "   ${IF[$h]} is up on $h"
done
echo "== applying the configs with jwgd setconf"
for h in a b c; do
  ip netns exec "${NS[$h]}" "$JWGD" setconf "${IF[$h]}" "$WORK/$h.conf"
  ip -n "${NS[$h]}" addr add "${INNER[$h]}/24" dev "${IF[$h]}"
  ip -n "${NS[$h]}" link set "${IF[$h]}" up
done

echo "== a pings b (10.0.0.2) and c (10.0.0.3)"
ip netns exec "${NS[a]}" ping -c 3 -i 0.3 -W 3 10.0.0.2
ip netns exec "${NS[a]}" ping -c 3 -i 0.3 -W 3 10.0.0.3

echo "== iperf3 from a to b through the tunnel (3 s)"
ip netns exec "${NS[b]}" iperf3 -s -1 -D -I "$WORK/iperf.pid" --logfile "$WORK/iperf.log"
sleep 0.5
ip netns exec "${NS[a]}" timeout 30 iperf3 -c 10.0.0.2 -t 3 --connect-timeout 3000 | grep -E 'sender|receiver'

echo "== wg show on a"
ip netns exec "${NS[a]}" wg show "${IF[a]}"
echo "== demo finished: a reached b and c through jwgd"
