#!/usr/bin/env bash
# The main job, until the daemon exists: build everything, run the crypto self-check and a short benchmark.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
need_pkgs gcc:gcc openssl:openssl
find_jdk
echo "JDK: $JAVA_HOME"
cd "$JWGD_ROOT"
echo "== building (tests skipped; scripts/test.sh runs them)"
mvn -B -q -DskipTests package
echo "== crypto self-check and a short benchmark"
"$JAVA_HOME/bin/java" $(jwgd_jvm_flags) -cp crypto-simd/target/classes dev.jwgd.crypto.CryptoSelfCheck
