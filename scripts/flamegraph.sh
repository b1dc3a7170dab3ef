#!/usr/bin/env bash
# Profiles jwgd under iperf3 load with async-profiler and writes HTML flamegraphs.
# Sets up two namespaces joined by a veth and a jwgd<->jwgd tunnel (10.203.0.1 -> 10.203.0.2), warms it up,
# runs iperf3 (one TCP stream, a -> b) and, while it runs, profiles both daemons for SECONDS by loading
# async-profiler into them with `jcmd PID JVMTI.agent_load` (one thread per root frame). Writes
#   OUT                 the sending end (a: reads the TUN, encrypts, sends UDP)
#   OUT-receiver.html   the receiving end (b: receives UDP, decrypts, writes the TUN)
# and beside each a .collapsed text (folded stacks), then prints the top self-time frames, the share of crypto,
# kernel, JIT and other code, and the time per thread.
# Usage: scripts/flamegraph.sh [-t SECONDS] [-w WARMUP_SECONDS] [-o OUT.html] [-e EVENT] [-P STREAMS]
#   defaults: 20 s, 10 s warm-up (not profiled: the JIT compiles the hot path), ./flamegraph.html, event cpu (falls back to itimer when perf events are unavailable), 1 stream.
# async-profiler: tools.profiler:async-profiler:4.2 from ~/.m2 (fetched with mvn dependency:copy when missing).
# Environment: JAVA_TOOL_OPTIONS reaches jwgd; JWGD=/path/to/launcher replaces scripts/jwgd; JWGD_SKIP_BUILD=1.
# Needs root. Everything it creates is named tb<pid>... and removed on exit, failure or Ctrl-C.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=tunnel-lib.bash
. "$(dirname "$0")/tunnel-lib.bash"
tb_traps

SECS=20; WARM=10; OUT="$PWD/flamegraph.html"; EVENT=cpu; STREAMS=1
while [ $# -gt 0 ]; do
  case "$1" in
    -t) SECS=$2; shift 2 ;;
    -w) WARM=$2; shift 2 ;;
    -o) OUT=$2; shift 2 ;;
    -e) EVENT=$2; shift 2 ;;
    -P) STREAMS=$2; shift 2 ;;
    *) echo "usage: $0 [-t SECONDS] [-w WARMUP_SECONDS] [-o OUT.html] [-e cpu|itimer|ctimer|wall] [-P STREAMS]" >&2; exit 2 ;;
  esac
done
# in_range VALUE MIN MAX: VALUE is a whole number from MIN to MAX.
in_range() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
in_range "$SECS" 1 600 || { echo "-t wants 1..600 seconds" >&2; exit 2; }
in_range "$WARM" 1 600 || { echo "-w wants 1..600 seconds" >&2; exit 2; }
in_range "$STREAMS" 1 32 || { echo "-P wants 1..32" >&2; exit 2; }
case "$OUT" in *.html) ;; *) OUT="$OUT.html" ;; esac
case "$OUT" in /*) ;; *) OUT="$PWD/$OUT" ;; esac
OUT_RX="${OUT%.html}-receiver.html"
mkdir -p "$(dirname "$OUT")"

tb_require

# --- async-profiler: the native library out of the Maven Central jar ---
AP_VERSION=4.2
AP_JAR="$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar"
if [ ! -f "$AP_JAR" ]; then
  echo "== fetching tools.profiler:async-profiler:$AP_VERSION from Maven Central"
  (cd "$JWGD_ROOT" && mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" \
    -DoutputDirectory="$NT_TMP/ap") >&2
  AP_JAR="$NT_TMP/ap/async-profiler-$AP_VERSION.jar"
fi
case "$(uname -m)" in
  x86_64) AP_ARCH=linux-x64 ;;
  aarch64) AP_ARCH=linux-arm64 ;;
  *) echo "async-profiler ships no library for $(uname -m)" >&2; exit 1 ;;
esac
mkdir -p "$NT_TMP/ap"
(cd "$NT_TMP/ap" && "$JAVA_HOME/bin/jar" xf "$AP_JAR" "$AP_ARCH/libasyncProfiler.so")
AP_LIB="$NT_TMP/ap/$AP_ARCH/libasyncProfiler.so"
[ -s "$AP_LIB" ] || { echo "no $AP_ARCH/libasyncProfiler.so in $AP_JAR" >&2; exit 1; }
JCMD="$JAVA_HOME/bin/jcmd"

# DebugNonSafepoints: exact Java frames between safepoints; EnableDynamicAgentLoading: no warning on jcmd's load.
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:+$JAVA_TOOL_OPTIONS }-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+EnableDynamicAgentLoading"

echo "== flamegraph: jwgd <-> jwgd, ${SECS}s of iperf3 -P $STREAMS a -> b; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
tb_underlay
tb_iperf_server || { echo "iperf3 server did not start" >&2; exit 1; }
IFA="tb$$fa"; IFB="tb$$fb"
tb_tunnel jwgd 203 "$IFA" "$IFB"
PA=$TB_PID_A; PB=$TB_PID_B
echo "   daemons: a pid $PA, b pid $PB"

# ap PID ARGS: runs an async-profiler command inside the daemon (jcmd's parser needs the argument in quotes);
# sets AP_MSG to the profiler's own messages and jcmd's answer; fails unless both say it went well.
ap() {
  local log="$NT_TMP/ap-$1.log" out rc=0
  : > "$log"
  out=$(timeout 30 env -u JAVA_TOOL_OPTIONS "$JCMD" "$1" JVMTI.agent_load "$AP_LIB" "\"$2,log=$log\"" 2>&1) || rc=$?
  AP_MSG="$(cat "$log" 2>/dev/null) $(grep -v '^[0-9]*:$' <<<"$out")"
  AP_MSG=$(tr '\n' ' ' <<<"$AP_MSG")
  [ $rc -eq 0 ] && grep -q 'return code: 0' <<<"$out" && ! grep -q '\[ERROR\]' "$log"
}

echo "   waited $(tb_wait_settled "$TB_PID_A" "$TB_PID_B") s for the daemons' background warm-ups (crypto selection, checksum)"
echo "   warm-up ${WARM}s (JIT)"
n a timeout --foreground $((WARM + 25)) iperf3 -c 10.203.0.2 -t "$WARM" --connect-timeout 3000 >/dev/null 2>&1 || echo "   warm-up iperf3 failed" >&2
sleep 0.5
n a timeout --foreground $((SECS + 40)) iperf3 -c 10.203.0.2 -t $((SECS + 3)) -P "$STREAMS" -J --connect-timeout 3000 \
  > "$NT_TMP/load.json" 2>/dev/null &
LOAD=$!
sleep 1.5

used=$EVENT
if ! ap "$PA" "start,event=$used,threads"; then
  [ "$used" = cpu ] || { echo "async-profiler did not start in pid $PA: $AP_MSG" >&2; exit 1; }
  echo "   event=cpu refused ($AP_MSG); falling back to event=itimer" >&2
  used=itimer
  ap "$PA" "start,event=$used,threads" || { echo "async-profiler did not start in pid $PA: $AP_MSG" >&2; exit 1; }
fi
echo "   a: $AP_MSG"
ap "$PB" "start,event=$used,threads" || { echo "async-profiler did not start in pid $PB: $AP_MSG" >&2; exit 1; }
echo "   b: $AP_MSG"
echo "   profiling both daemons with event=$used for ${SECS}s"
sleep "$SECS"
for pid in "$PA" "$PB"; do
  if [ "$pid" = "$PA" ]; then f=$OUT; else f=$OUT_RX; fi
  ap "$pid" "dump,collapsed,file=${f%.html}.collapsed" || echo "   collapsed dump from pid $pid failed: $AP_MSG" >&2
  ap "$pid" "stop,file=$f" || { echo "async-profiler did not write $f: $AP_MSG" >&2; exit 1; }
done
if wait "$LOAD"; then
  rate=$(jq -r '.end.sum_received.bits_per_second / 1e6 | floor' "$NT_TMP/load.json" 2>/dev/null || echo "?")
  echo "   iperf3 under profiling: $rate Mbit/s"
else
  echo "   iperf3 load failed or was cut short" >&2
fi

# summarize FILE.collapsed: the top self-time frames and the samples per thread (the root frame).
summarize() {
  local c=$1
  [ -s "$c" ] || { echo "   (no collapsed profile)"; return; }
  awk '{ n = $NF; $NF = ""; sub(/ $/, ""); total += n
         k = split($0, f, ";"); self[f[k]] += n; thr[f[1]] += n
         if (f[1] ~ /^\[C[12] Compiler/) cat["JIT compiler threads"] += n
         else if (f[1] ~ /GC|G1 |VM Thread/) cat["GC and VM threads"] += n
         else if ($0 ~ /(^|;)dev\/jwgd\/crypto\//) cat["crypto (dev/jwgd/crypto, inclusive)"] += n
         else if (f[k] ~ /_\[k\]$/) cat["kernel (syscalls, UDP/IP stack, TUN, io_uring)"] += n
         else if (f[k] ~ /\//) cat["other Java code"] += n
         else cat["other native code (JVM runtime, libc)"] += n
         if (f[k] ~ /_\[k\]$/) { j = "(no jwgd frame)"; sc = ""
           for (i = k; i >= 1; i--) if (f[i] ~ /^dev\/jwgd\//) { j = f[i]; break }
           for (i = 1; i <= k; i++) if (f[i] ~ /_\[k\]$/) { if (sc == "") sc = f[i]; if (f[i] ~ /_sys_/) { sc = f[i]; break } }
           sub(/_\[k\]$/, "", sc); kcall[j " -> " sc] += n } }
       END {
         for (j in kcall) printf "kcall %d %.1f%% %s\n", kcall[j], 100 * kcall[j] / total, j
         for (c in cat) printf "cat %d %.1f%% %s\n", cat[c], 100 * cat[c] / total, c
         for (s in self) printf "self %d %.1f%% %s\n", self[s], 100 * self[s] / total, s
         for (t in thr) printf "thread %d %.1f%% %s\n", thr[t], 100 * thr[t] / total, t
         printf "total %d\n", total }' "$c" > "$c.sum"
  echo "   samples: $(awk '$1 == "total" {print $2}' "$c.sum")"
  echo "   top 12 self-time frames:"
  grep '^self ' "$c.sum" | sort -k2,2nr | awk 'NR <= 12 { $1 = ""; c = $2; p = $3; $2 = ""; $3 = ""; sub(/^ +/, ""); printf "   %7d %6s  %s\n", c, p, $0 }'
  echo "   where the time goes:"
  grep '^cat ' "$c.sum" | sort -k2,2nr | awk '{ $1 = ""; c = $2; p = $3; $2 = ""; $3 = ""; sub(/^ +/, ""); printf "   %7d %6s  %s\n", c, p, $0 }'
  echo "   kernel time by the jwgd method and the syscall (or first kernel frame) it entered (top 8):"
  grep '^kcall ' "$c.sum" | sort -k2,2nr | awk 'NR <= 8 { $1 = ""; c = $2; p = $3; $2 = ""; $3 = ""; sub(/^ +/, ""); printf "   %7d %6s  %s\n", c, p, $0 }'
  echo "   time per thread:"
  grep '^thread ' "$c.sum" | sort -k2,2nr | awk 'NR <= 10 { $1 = ""; c = $2; p = $3; $2 = ""; $3 = ""; sub(/^ +/, ""); printf "   %7d %6s  %s\n", c, p, $0 }'
  rm -f "$c.sum"
}
echo
echo "== sending end (a), event=$used: $OUT"
summarize "${OUT%.html}.collapsed"
echo
echo "== receiving end (b), event=$used: $OUT_RX"
summarize "${OUT_RX%.html}.collapsed"
tb_tunnel_down "$IFA" "$IFB"
echo
echo "flamegraph: $OUT (event=$used; receiver: $OUT_RX)"
