# Shared by bench-tunnel.sh and flamegraph.sh (sourced, not run): two namespaces joined by a veth
# (192.0.2.1 <-> 192.0.2.2), a tunnel pair of jwgd or wireguard-go on top (10.x inside), the daemons' pids,
# and a cleanup that removes everything even after a failure or Ctrl-C. Builds on nettest/common.bash
# (ns, n, veth, genkeys, start_jwgd, start_wggo, wait_for, nt_cleanup).
# shellcheck source-path=SCRIPTDIR source=nettest/common.bash
. "$(dirname "${BASH_SOURCE[0]}")/nettest/common.bash"

# Sourcing made a temp folder (NT_TMP): callers run tb_traps right after sourcing so that it goes away even
# when they stop on a usage error.
# Our own prefix: namespaces tb<pid>-a / tb<pid>-b, veths v tb<pid> a/b..., interfaces tb<pid>{j,g}{a,b}.
NT_PREFIX="tb$$"
TB_IFACES=()

tb_require() {
  if [ "$(id -u)" -ne 0 ]; then echo "$0: needs root (network namespaces)" >&2; exit 2; fi
  need_pkgs ip:iproute2 ping:iputils-ping wg:wireguard-tools iperf3:iperf3 wireguard-go:wireguard-go jq:jq
  find_jdk >/dev/null
  # The launcher (scripts/jwgd) rebuilds too when sources are newer than the jar: build here first so no build
  # lands inside start_jwgd's time limit. Another build in the shared target/ can make this one fail: retry.
  if [ -z "${JWGD_SKIP_BUILD:-}" ]; then
    local try
    for try in 1 2 3; do
      build_if_needed && return 0
      echo "build failed (try $try of 3; another build in target/ at the same time?)" >&2
      sleep 10
    done
    echo "jwgd does not build: see the errors above" >&2; exit 1
  fi
}

# Kills what runs in our namespaces, removes them, their temp folder and any socket left by our interfaces.
tb_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  nt_cleanup 2>/dev/null || true
  local i
  for i in "${TB_IFACES[@]}"; do rm -f "/var/run/wireguard/$i.sock"; done
  return $rc
}

tb_traps() {
  trap tb_cleanup EXIT
  trap 'echo "interrupted" >&2; exit 130' INT TERM
}

# tb_underlay: namespaces a and b joined by a veth, 192.0.2.1/24 in a, 192.0.2.2/24 in b.
tb_underlay() {
  ns a; ns b
  # shellcheck disable=SC2034  # the veth names, for callers that want them
  read -r TB_VA TB_VB < <(veth a b 192.0.2.1/24 192.0.2.2/24)
  wait_for 5 n a ping -c 1 -W 1 192.0.2.2 || { echo "the veth does not carry pings" >&2; return 1; }
}

# tb_daemon_pid NS COMM: the pid of the process named COMM (java, wireguard-go) running in namespace NS.
tb_daemon_pid() {
  local pid
  for pid in $(ip netns pids "$(nsname "$1")" 2>/dev/null); do
    if [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ]; then echo "$pid"; return 0; fi
  done
  return 1
}

# tb_tunnel IMPL NET IFA IFB: starts IMPL (jwgd | wireguard-go) in a and in b on interfaces IFA and IFB,
# keys them, gives a 10.NET.0.1/24 and b 10.NET.0.2/24, waits (bounded) until a ping crosses, and sets
# TB_PID_A and TB_PID_B to the daemons' pids. jwgd gets the caller's JAVA_TOOL_OPTIONS (the launcher
# scripts/jwgd has no variable of its own for JVM options).
# shellcheck disable=SC2154  # genkeys sets TA_priv, TA_pub, TB_priv and TB_pub
tb_tunnel() {
  local impl=$1 net=$2 ifa=$3 ifb=$4 comm
  TB_IFACES+=("$ifa" "$ifb")
  genkeys TA; genkeys TB
  if [ "$impl" = jwgd ]; then
    comm=java
    start_jwgd a "$ifa" >/dev/null || { echo "jwgd did not start in a" >&2; return 1; }
    start_jwgd b "$ifb" >/dev/null || { echo "jwgd did not start in b" >&2; return 1; }
  else
    comm=wireguard-go
    start_wggo a "$ifa" || { echo "wireguard-go did not start in a" >&2; return 1; }
    start_wggo b "$ifb" || { echo "wireguard-go did not start in b" >&2; return 1; }
  fi
  wait_for 10 n a wg show "$ifa" || { echo "$impl in a does not answer wg" >&2; return 1; }
  wait_for 10 n b wg show "$ifb" || { echo "$impl in b does not answer wg" >&2; return 1; }
  # Keys go through files (never a command line); every wg call is bounded in time.
  printf '%s\n' "$TA_priv" > "$NT_TMP/ka"; printf '%s\n' "$TB_priv" > "$NT_TMP/kb"; chmod 600 "$NT_TMP/ka" "$NT_TMP/kb"
  n a timeout 10 wg set "$ifa" private-key "$NT_TMP/ka" listen-port 51820 \
    peer "$TB_pub" allowed-ips "10.$net.0.2/32" endpoint 192.0.2.2:51821 || { echo "wg set failed in a" >&2; return 1; }
  n b timeout 10 wg set "$ifb" private-key "$NT_TMP/kb" listen-port 51821 \
    peer "$TA_pub" allowed-ips "10.$net.0.1/32" endpoint 192.0.2.1:51820 || { echo "wg set failed in b" >&2; return 1; }
  rm -f "$NT_TMP/ka" "$NT_TMP/kb"
  n a ip addr add "10.$net.0.1/24" dev "$ifa"; n a ip link set "$ifa" up
  n b ip addr add "10.$net.0.2/24" dev "$ifb"; n b ip link set "$ifb" up
  wait_for 15 n a ping -c 1 -W 1 "10.$net.0.2" || { echo "no ping through the $impl tunnel" >&2; return 1; }
  TB_PID_A=$(tb_daemon_pid a "$comm") || { echo "no $impl process in a" >&2; return 1; }
  TB_PID_B=$(tb_daemon_pid b "$comm") || { echo "no $impl process in b" >&2; return 1; }
}

# tb_wait_settled PID... [-- SECONDS]: waits (at most SECONDS, default 60) until none of the jwgd daemons
# PID... still runs its background warm-up thread (jwgd-warm-up: poll, checksum, the crypto selection):
# until it finishes, the JIT and its allocations compete with the traffic. Prints
# how long it waited.
tb_wait_settled() {
  local pids=() limit=60 t0=$SECONDS pid busy
  while [ $# -gt 0 ]; do
    if [ "$1" = -- ]; then limit=$2; shift 2; else pids+=("$1"); shift; fi
  done
  while [ $((SECONDS - t0)) -lt "$limit" ]; do
    busy=0
    for pid in "${pids[@]}"; do
      if grep -qs '^jwgd-warm-up' /proc/"$pid"/task/*/comm; then busy=1; fi
    done
    [ "$busy" = 0 ] && break
    sleep 0.5
  done
  echo "$((SECONDS - t0))"
}

# tb_tunnel_down IFA IFB: deletes both interfaces and waits (bounded) for the daemons (java or wireguard-go
# processes in a and b) to exit, killing them if they do not; also after a tb_tunnel that failed half-way.
tb_tunnel_down() {
  n a ip link del "$1" 2>/dev/null || true
  n b ip link del "$2" 2>/dev/null || true
  local side pid pids=()
  for side in a b; do
    for pid in $(ip netns pids "$(nsname "$side")" 2>/dev/null); do
      case "$(cat "/proc/$pid/comm" 2>/dev/null)" in java | wireguard-go) pids+=("$pid") ;; esac
    done
  done
  for pid in "${pids[@]}"; do
    wait_for 10 bash -c "! kill -0 $pid" || kill "$pid" 2>/dev/null || true
    wait_for 5 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
  done
  # shellcheck disable=SC2034  # read by the scripts that source this file
  { TB_PID_A=""; TB_PID_B=""; }
}

# tb_iperf_server: an iperf3 server daemon in b (it lives until the namespace is cleaned up).
tb_iperf_server() {
  n b iperf3 -s -D -I "$NT_TMP/iperf-server.pid" --logfile "$NT_TMP/iperf-server.log" >/dev/null 2>&1
  wait_for 5 test -s "$NT_TMP/iperf-server.pid"
}
