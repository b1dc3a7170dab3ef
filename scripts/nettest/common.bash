# Shared by the network tests in this folder (sourced, not run; the runner only runs *.sh).
# Every test makes namespaces named with its own prefix and pid, uses 192.0.2.0/24 and
# 2001:db8::/32 on veths and 10.x / fd00::/8 inside tunnels, and removes everything in its trap.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

JWGD="${JWGD:-$JWGD_ROOT/scripts/jwgd}"
NT_PREFIX="nt$$"
NT_NAMESPACES=()
NT_TMP=$(mktemp -d /tmp/jwgd-nettest.XXXXXX)
NT_FAILED=0

say() { echo "   $*"; }
check() { echo " * checking: $*"; }
fail() { echo " !! FAIL: $*" >&2; NT_FAILED=1; }
pass() { echo "   ok: $*"; }

nt_require() {
  if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root"; exit 0; fi
  need_pkgs ip:iproute2 ping:iputils-ping wg:wireguard-tools iperf3:iperf3 wireguard-go:wireguard-go
  find_jdk >/dev/null
  [ -n "${JWGD_SKIP_BUILD:-}" ] || build_if_needed
}

# ns NAME: creates namespace $NT_PREFIX-NAME with lo up; prints nothing. n NAME CMD...: runs in it.
ns() { local full="$NT_PREFIX-$1"; ip netns add "$full"; NT_NAMESPACES+=("$full"); ip -n "$full" link set lo up; }
n() { local full="$NT_PREFIX-$1"; shift; ip netns exec "$full" "$@"; }
nsname() { echo "$NT_PREFIX-$1"; }

# veth A B ADDR_A ADDR_B [V6_A V6_B]: a veth pair between namespaces A and B, both up.
veth() {
  local a=$1 b=$2 ia="v${NT_PREFIX}a$RANDOM" ib="v${NT_PREFIX}b$RANDOM"
  ia=${ia:0:15}; ib=${ib:0:15}
  ip link add "$ia" netns "$(nsname "$a")" type veth peer name "$ib" netns "$(nsname "$b")"
  n "$a" ip addr add "$3" dev "$ia"; n "$b" ip addr add "$4" dev "$ib"
  if [ $# -ge 6 ]; then
    n "$a" ip addr add "$5" dev "$ia" nodad; n "$b" ip addr add "$6" dev "$ib" nodad
  fi
  n "$a" ip link set "$ia" up; n "$b" ip link set "$ib" up
  echo "$ia $ib"
}

# Stops every process we started in our namespaces, then removes the namespaces.
nt_cleanup() {
  local full pid
  for full in "${NT_NAMESPACES[@]}"; do
    for pid in $(ip netns pids "$full" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  done
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    local left=0
    for full in "${NT_NAMESPACES[@]}"; do [ -n "$(ip netns pids "$full" 2>/dev/null)" ] && left=1; done
    [ $left -eq 0 ] && break; sleep 0.3
  done
  for full in "${NT_NAMESPACES[@]}"; do
    for pid in $(ip netns pids "$full" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$full" 2>/dev/null || true
  done
  rm -rf "$NT_TMP"
}

# wait_for SECONDS CMD...: retries CMD every 0.2 s until it succeeds or the time is up.
wait_for() {
  local limit=$1; shift
  local end=$((SECONDS + limit))
  while [ $SECONDS -lt $end ]; do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  "$@" >/dev/null 2>&1
}

# start_jwgd NS IFACE [extra args]: starts the jwgd daemon in NS (it returns once ready).
start_jwgd() {
  local ns=$1 ifc=$2; shift 2
  timeout 90 ip netns exec "$(nsname "$ns")" "$JWGD" "$@" "$ifc"
}

start_wggo() {
  local ns=$1 ifc=$2
  timeout 30 ip netns exec "$(nsname "$ns")" env LOG_LEVEL=silent wireguard-go "$ifc" >/dev/null 2>&1
}

# key pairs: genkey VAR -> sets VAR_priv and VAR_pub
genkeys() {
  local priv; priv=$(wg genkey)
  printf -v "${1}_priv" '%s' "$priv"
  printf -v "${1}_pub" '%s' "$(echo "$priv" | wg pubkey)"
}

# setkey NS IFACE PRIV: sets the private key from a variable via a file (never on a command line).
setkey() {
  local f="$NT_TMP/key.$RANDOM"; printf '%s\n' "$3" > "$f"; chmod 600 "$f"
  n "$1" wg set "$2" private-key "$f"; rm -f "$f"
}

ping_ok() { # ping_ok NS ADDR
  n "$1" ping -c 2 -i 0.2 -W 2 "$2" >/dev/null 2>&1 || n "$1" ping -c 3 -i 0.3 -W 3 "$2" >/dev/null 2>&1
}

expect_ping() { # expect_ping NS ADDR WHAT
  check "$3"
  if ping_ok "$1" "$2"; then pass "$3"; else fail "$3"; fi
}

# iperf_pair SERVER_NS CLIENT_NS ADDR WHAT [udp]: a 2 s iperf3 run; prints the rate.
iperf_pair() {
  local sns=$1 cns=$2 addr=$3 what=$4 mode=${5:-tcp} out
  check "$what"
  rm -f "$NT_TMP/iperf.pid"
  n "$sns" iperf3 -s -1 -D -I "$NT_TMP/iperf.pid" --logfile "$NT_TMP/iperf-server.log" >/dev/null 2>&1 || true
  sleep 0.5
  local args=(-c "$addr" -t 2 -J --connect-timeout 3000)
  [ "$mode" = udp ] && args+=(-u -b 200M)
  if out=$(n "$cns" timeout 20 iperf3 "${args[@]}" 2>&1); then
    local bps
    bps=$(echo "$out" | sed -n 's/.*"bits_per_second":[[:space:]]*\([0-9.e+]*\).*/\1/p' | tail -n1)
    pass "$what: $(awk -v b="${bps:-0}" 'BEGIN{printf "%.0f Mbit/s", b/1e6}')"
  else
    fail "$what: iperf3 failed: $(echo "$out" | tail -n3 | tr '\n' ' ')"
  fi
  [ -f "$NT_TMP/iperf.pid" ] && kill "$(cat "$NT_TMP/iperf.pid")" 2>/dev/null || true
}

nt_finish() {
  if [ "$NT_FAILED" -ne 0 ]; then echo "RESULT: FAIL ($0)"; exit 1; fi
  echo "RESULT: PASS ($0)"
}
