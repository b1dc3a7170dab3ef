#!/usr/bin/env bash
# Benchmarks ChaCha20-Poly1305 on one core: jwgd (vector and scalar) against the JDK's Cipher, BouncyCastle and,
# when installed, OpenSSL. Prints a table in GB/s (10^9 bytes/s) and one summary line per size.
#   scripts/bench-crypto.sh          quick mode, under 3 minutes
#   scripts/bench-crypto.sh --full   every size and operation, 3 forks, longer runs
# JWGD_TARGET=target-NAME uses (and builds) bench/target-NAME/benchmarks.jar instead of bench/target.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
find_jdk
cd "$JWGD_ROOT"

mode=quick
case "${1:-}" in
  --full) mode=full ;;
  "" | --quick) ;;
  *) echo "usage: $0 [--full]" >&2; exit 2 ;;
esac

target=${JWGD_TARGET:-target}
jar="bench/$target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find crypto-simd/src bench/src -newer "$jar" -print -quit)" ]; then
  echo "== building the benchmark jar ($jar)"
  mvn -B -q -Djwgd.target="$target" -pl bench -am package -DskipTests
fi

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flags="$(jwgd_jvm_flags)"
java="$JAVA_HOME/bin/java"

if [ "$mode" = quick ]; then
  run_opts=(-f 1 -wi 2 -w 500ms -i 3 -r 500ms)
  single_open_sizes=1420
  batch_open_sizes=1420
  openssl_seconds=1
else
  run_opts=(-f 3 -wi 5 -w 1s -i 5 -r 1s)
  single_open_sizes=64,256,1420,4096,16384
  batch_open_sizes=64,1420
  openssl_seconds=3
fi

echo "== JMH ($mode mode; $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
jmh() { # name regex, params..., result file
  local regex=$1 file=$2; shift 2
  "$java" -jar "$jar" "$regex" "${run_opts[@]}" "$@" -jvmArgsAppend "$flags" -rf json -rff "$out/$file" \
    | grep -E '^(Benchmark|Aead)' || true
}
jmh 'dev.jwgd.bench.crypto.AeadBenchmark.seal$' single-seal.json -p size=64,256,1420,4096,16384
jmh 'dev.jwgd.bench.crypto.AeadBenchmark.open$' single-open.json -p size="$single_open_sizes"
jmh 'dev.jwgd.bench.crypto.AeadBatchBenchmark.sealBatch$' batch-seal.json -p size=64,1420
jmh 'dev.jwgd.bench.crypto.AeadBatchBenchmark.openBatch$' batch-open.json -p size="$batch_open_sizes"

if command -v openssl >/dev/null 2>&1; then
  echo "== openssl speed -evp chacha20-poly1305 ($openssl_seconds s per size)"
  for size in 64 256 1420 4096 16384; do
    rate=$(openssl speed -mr -seconds "$openssl_seconds" -bytes "$size" -evp chacha20-poly1305 2>/dev/null \
      | sed -n 's/^+F:[0-9]*:[^:]*:\([0-9.]*\).*/\1/p' | tail -n1)
    echo "$size ${rate:-0}" >> "$out/openssl.txt"
  done
else
  echo "== openssl not installed: no OpenSSL column"
fi

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
rates = {}  # (kind, op, size, impl) -> GB/s
for name in ("single-seal", "single-open", "batch-seal", "batch-open"):
    path = os.path.join(out, name + ".json")
    if not os.path.exists(path):
        continue
    for r in json.load(open(path)):
        size = int(r["params"]["size"]); impl = r["params"]["impl"]
        packets = 64 if "Batch" in r["benchmark"] else 1
        op = "open" if "open" in r["benchmark"] else "seal"
        ops = r["primaryMetric"]["score"]
        rates[("batch" if packets > 1 else "single", op, size, impl)] = ops * packets * size / 1e9
ossl = {}
p = os.path.join(out, "openssl.txt")
if os.path.exists(p):
    for line in open(p):
        s, v = line.split()
        ossl[int(s)] = float(v) / 1e9
impls = ["jwgd-vector", "jwgd-scalar", "jdk", "bouncycastle"]
def f(v):
    return "%6.3f" % v if v is not None else "     -"
print()
print("GB/s, one thread; %-22s %11s %11s %8s %12s %8s %8s %8s" % ("", "jwgd-vector", "jwgd-scalar", "JDK",
      "BouncyCastle", "OpenSSL", "x JDK", "x BC"))
for kind in ("single", "batch"):
    for op in ("seal", "open"):
        for size in (64, 256, 1420, 4096, 16384):
            row = [rates.get((kind, op, size, i)) for i in impls]
            if all(v is None for v in row):
                continue
            label = ("%s %s %d B" % (op, "one packet" if kind == "single" else "64 x", size))
            o = ossl.get(size) if kind == "single" and op == "seal" else None
            vj = row[0] / row[2] if row[0] and row[2] else None
            vb = row[0] / row[3] if row[0] and row[3] else None
            print("%-38s %11s %11s %8s %12s %8s %8s %8s" % (label, f(row[0]), f(row[1]), f(row[2]), f(row[3]), f(o),
                  ("x%.2f" % vj) if vj else "-", ("x%.2f" % vb) if vb else "-"))
print()
def g(v):
    return "%.2f GB/s" % v if v is not None else "n/a"
for size in (64, 256, 1420, 4096, 16384):
    j = rates.get(("single", "seal", size, "jwgd-vector")); d = rates.get(("single", "seal", size, "jdk"))
    b = rates.get(("single", "seal", size, "bouncycastle"))
    ratio = "(x%.2f)" % (j / d) if j and d else "(n/a)"
    print("seal %d B: jwgd %s, JDK %s %s, BouncyCastle %s, OpenSSL %s" % (size, g(j), g(d), ratio, g(b),
          g(ossl.get(size))))
for size in (64, 1420):
    j = rates.get(("batch", "seal", size, "jwgd-vector")); d = rates.get(("batch", "seal", size, "jdk"))
    b = rates.get(("batch", "seal", size, "bouncycastle"))
    ratio = "(x%.2f)" % (j / d) if j and d else "(n/a)"
    print("seal 64 x %d B batched: jwgd %s, JDK %s %s, BouncyCastle %s, OpenSSL %s" % (size, g(j), g(d), ratio,
          g(b), g(ossl.get(size))))
PY
