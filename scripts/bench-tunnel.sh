#!/usr/bin/env bash
# Tunnel benchmark: two namespaces joined by a veth (192.0.2.1 <-> 192.0.2.2); in one run iperf3 (one TCP
# stream, 4 TCP streams, UDP at a fixed offered rate) through jwgd<->jwgd, wireguard-go<->wireguard-go and the
# bare veth, ping RTT p50/p99 through each, and each daemon's CPU seconds (both ends, over the iperf3 runs)
# and peak RSS (VmHWM). Prints a table; the last line is
#   tcp single stream: jwgd X Mbit/s, wireguard-go Y Mbit/s, ratio R
# Usage: scripts/bench-tunnel.sh [--quick | --full]     (--quick, the default, takes under ~4 minutes)
# Environment: JAVA_TOOL_OPTIONS reaches jwgd (e.g. JAVA_TOOL_OPTIONS=-Djwgd.aead=scalar);
#   JWGD=/path/to/launcher replaces scripts/jwgd; JWGD_SKIP_BUILD=1 skips the build check.
# Needs root. Everything it creates is named tb<pid>... and removed on exit, failure or Ctrl-C.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=tunnel-lib.bash
. "$(dirname "$0")/tunnel-lib.bash"
tb_traps

mode=quick
case "${1:-}" in
  "" | --quick) ;;
  --full) mode=full ;;
  *) echo "usage: $0 [--quick | --full]" >&2; exit 2 ;;
esac
# Warm-up: at 5 s on this loaded 2-core machine the C2 compiler still took ~40% of a profile; 10 s brings it under 2%.
if [ "$mode" = quick ]; then T=5; WARM=10; PINGS=200; else T=20; WARM=15; PINGS=1000; fi
UDP_RATE=2G; UDP_LEN=1392   # 1392 + 8 (UDP) + 20 (IPv4) = 1420, the tunnels' MTU: no fragments

tb_require
HZ=$(getconf CLK_TCK)

echo "== bench-tunnel ($mode: ${T}s per iperf3 run, ${WARM}s warm-up, $PINGS pings; $(nproc) cores," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg); $(wireguard-go --version 2>&1 | head -n1); $("$JAVA_HOME/bin/java" -version 2>&1 | head -n1))"
if [ -n "${JAVA_TOOL_OPTIONS:-}" ]; then echo "   JAVA_TOOL_OPTIONS for jwgd: $JAVA_TOOL_OPTIONS"; fi

tb_underlay
tb_iperf_server || { echo "iperf3 server did not start" >&2; exit 1; }

# cpu_ticks PID: utime + stime of the whole process (all threads), in clock ticks; 0 if it is gone.
cpu_ticks() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  s=${s##*) }   # fields after "(comm) ": state is field 3, so utime (14) and stime (15) are the 12th and 13th here
  echo "$s" | awk '{print $12 + $13}'
}
hwm_mb() { awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# iperf CLIENT_ADDR SECONDS ARGS...: runs iperf3 from a to ADDR; prints "Mbit/s" (received) or "0" on failure,
# and for UDP "Mbit/s loss%".
iperf() {
  local addr=$1 secs=$2 out; shift 2
  sleep 0.3
  if ! out=$(n a timeout --foreground $((secs + 25)) iperf3 -c "$addr" -t "$secs" -J --connect-timeout 3000 "$@" 2>/dev/null); then
    echo "   iperf3 $* to $addr failed: $(echo "$out" | jq -r '.error // empty' 2>/dev/null)" >&2
    echo 0; return 0
  fi
  if [[ " $* " == *" -u "* ]]; then
    echo "$out" | jq -r '.end.sum | "\(.bits_per_second * (1 - .lost_percent / 100) / 1e6) \(.lost_percent)"'
  else
    echo "$out" | jq -r '.end.sum_received.bits_per_second / 1e6'
  fi
}

# ping_pct ADDR: "p50 p99" in ms over $PINGS pings 10 ms apart.
ping_pct() {
  n a timeout --foreground $((PINGS / 50 + 20)) ping -c "$PINGS" -i 0.01 -W 1 "$1" 2>/dev/null \
    | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -g \
    | awk '{v[NR] = $1} END {
        if (NR == 0) { print "- -"; exit }
        i50 = int(NR * 0.50 + 0.999999); i99 = int(NR * 0.99 + 0.999999)
        printf "%.3f %.3f\n", v[i50], v[i99] }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.e+]+$/ && b + 0 > 0) printf "%.2f", a / b; else printf "-" }'; }
mb() { awk -v x="$1" 'BEGIN {printf "%.0f", x}'; }

declare -A R   # R[name,key]
# measure NAME ADDR [PID_A PID_B]: warm-up (tunnels only), ping (on an idle path, before the floods), the three
# iperf3 runs with CPU accounting, RSS.
measure() {
  local name=$1 addr=$2 pa=${3:-} pb=${4:-} ca0=0 cb0=0 ca1 cb1 udp
  echo "== $name: $addr"
  if [ -n "$pa" ]; then
    if [ "$name" = jwgd ]; then
      # The data path is compiled for the AEAD it runs: let the daemons pick theirs before warming it up.
      echo "   waited $(tb_wait_settled "$pa" "$pb") s for the daemons' background warm-ups (crypto selection, checksum)"
    fi
    echo "   warm-up ${WARM}s (not counted)"
    iperf "$addr" "$WARM" >/dev/null
    sleep 1
  fi
  read -r "R[$name,p50]" "R[$name,p99]" < <(ping_pct "$addr")
  echo "   ping RTT p50 ${R[$name,p50]} ms, p99 ${R[$name,p99]} ms"
  if [ -n "$pa" ]; then ca0=$(cpu_ticks "$pa"); cb0=$(cpu_ticks "$pb"); fi
  R[$name,tcp1]=$(iperf "$addr" "$T");       echo "   TCP, 1 stream:  $(mb "${R[$name,tcp1]}") Mbit/s"
  R[$name,tcp4]=$(iperf "$addr" "$T" -P 4);  echo "   TCP, 4 streams: $(mb "${R[$name,tcp4]}") Mbit/s"
  udp=$(iperf "$addr" "$T" -u -b "$UDP_RATE" -l "$UDP_LEN")
  R[$name,udp]=${udp%% *}; R[$name,loss]=$(echo "$udp" | awk '{print ($2 == "" ? "-" : $2)}')
  echo "   UDP, $UDP_RATE offered, ${UDP_LEN} B: $(mb "${R[$name,udp]}") Mbit/s received, loss ${R[$name,loss]}%"
  if [ -n "$pa" ]; then
    ca1=$(cpu_ticks "$pa"); cb1=$(cpu_ticks "$pb")
    R[$name,cpu]=$(awk -v a=$((ca1 - ca0)) -v b=$((cb1 - cb0)) -v hz="$HZ" 'BEGIN {printf "%.1f+%.1f", a/hz, b/hz}')
    R[$name,rss]="$(hwm_mb "$pa")/$(hwm_mb "$pb")"
  else
    R[$name,cpu]="-"; R[$name,rss]="-"
  fi
}

IJA="tb$$ja"; IJB="tb$$jb"; IGA="tb$$ga"; IGB="tb$$gb"
if tb_tunnel jwgd 201 "$IJA" "$IJB"; then
  measure jwgd 10.201.0.2 "$TB_PID_A" "$TB_PID_B"
  tb_tunnel_down "$IJA" "$IJB"
else
  echo "   jwgd tunnel could not be set up: its numbers are 0" >&2
  tb_tunnel_down "$IJA" "$IJB"
  for k in tcp1 tcp4 udp; do R[jwgd,$k]=0; done
  for k in loss cpu rss p50 p99; do R[jwgd,$k]="-"; done
fi
if tb_tunnel wireguard-go 202 "$IGA" "$IGB"; then
  measure wireguard-go 10.202.0.2 "$TB_PID_A" "$TB_PID_B"
  tb_tunnel_down "$IGA" "$IGB"
else
  echo "   wireguard-go tunnel could not be set up: its numbers are 0" >&2
  tb_tunnel_down "$IGA" "$IGB"
  for k in tcp1 tcp4 udp; do R[wireguard-go,$k]=0; done
  for k in loss cpu rss p50 p99; do R[wireguard-go,$k]="-"; done
fi
measure veth 192.0.2.2


echo
echo "== results ($mode; load average $(cut -d' ' -f1-3 /proc/loadavg); Mbit/s received; UDP offered $UDP_RATE in ${UDP_LEN}-byte datagrams;"
echo "   CPU = seconds of the daemon at end a + end b over the three iperf3 runs; RSS = peak VmHWM MB, a/b;"
echo "   ratio rows: throughput above 1 = jwgd faster; RTT below 1 = jwgd lower latency)"
fmt="%-17s %9s %9s %9s %7s %9s %9s %11s %9s\n"
# shellcheck disable=SC2059
printf "$fmt" path "tcp 1" "tcp 4" udp "loss%" "p50 ms" "p99 ms" "CPU s" "RSS MB"
for p in jwgd wireguard-go veth; do
  # shellcheck disable=SC2059
  printf "$fmt" "$p" "$(mb "${R[$p,tcp1]}")" "$(mb "${R[$p,tcp4]}")" "$(mb "${R[$p,udp]}")" \
    "$(awk -v x="${R[$p,loss]}" 'BEGIN { if (x == "-") print "-"; else printf "%.1f", x }')" \
    "${R[$p,p50]}" "${R[$p,p99]}" "${R[$p,cpu]}" "${R[$p,rss]}"
done
for pair in "jwgd/wireguard-go:wireguard-go" "jwgd/veth:veth"; do
  d=${pair#*:}
  # shellcheck disable=SC2059
  printf "$fmt" "${pair%%:*}" "$(ratio "${R[jwgd,tcp1]}" "${R[$d,tcp1]}")" "$(ratio "${R[jwgd,tcp4]}" "${R[$d,tcp4]}")" \
    "$(ratio "${R[jwgd,udp]}" "${R[$d,udp]}")" "" \
    "$(ratio "${R[jwgd,p50]}" "${R[$d,p50]}")" "$(ratio "${R[jwgd,p99]}" "${R[$d,p99]}")" "" ""
done
echo
echo "tcp single stream: jwgd $(mb "${R[jwgd,tcp1]}") Mbit/s, wireguard-go $(mb "${R[wireguard-go,tcp1]}") Mbit/s, ratio $(ratio "${R[jwgd,tcp1]}" "${R[wireguard-go,tcp1]}")"
