# Shared by the scripts: find a JDK >= 25, install Debian packages on demand, build once.
# Sourced, not run.

JWGD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Prints the feature version of the JDK at $1 (e.g. 25), or nothing.
jdk_feature() {
  local java="$1/bin/java"
  [ -x "$java" ] || return 0
  "$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1
}

# Sets JAVA_HOME to a JDK >= 25: $JAVA_HOME if new enough, else the newest under /usr/lib/jvm.
find_jdk() {
  local v
  if [ -n "${JAVA_HOME:-}" ]; then
    v=$(jdk_feature "$JAVA_HOME")
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then export JAVA_HOME; return 0; fi
  fi
  local best="" bestv=0 d
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(jdk_feature "$d")
    if [ -n "$v" ] && [ "$v" -ge 25 ] && [ "$v" -gt "$bestv" ]; then best=$d; bestv=$v; fi
  done
  if [ -z "$best" ]; then
    echo "jwgd needs a JDK 25 or newer: JAVA_HOME (${JAVA_HOME:-unset}) is older or unset and none was found under /usr/lib/jvm/*/bin/javac." >&2
    echo "Install one (for example Temurin 25) and set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

# The JVM flags every launch of jwgd code needs (kept in step with jwgd.jvm.flags in pom.xml).
# DisplayVMOutputToStderr: the directive file makes the JVM print a note on stdout, which would spoil `jwgd genkey > key`.
jwgd_jvm_flags() {
  echo "--add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+DisplayVMOutputToStderr -XX:+UnlockDiagnosticVMOptions -XX:CompilerDirectivesFile=$JWGD_ROOT/scripts/jwgd-c2.json"
}

# need_pkgs CMD:PKG ... installs the Debian package of each command that is missing.
APT_UPDATED=0
need_pkgs() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing packages ${missing[*]} and not root to install them" >&2; return 1
  fi
  echo "installing ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq; APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Builds every module (tests skipped) unless the jars exist and are newer than the sources.
build_if_needed() {
  local jar="$JWGD_ROOT/dataplane/target/jwgd.jar"
  if [ -f "$jar" ] && [ -z "$(find "$JWGD_ROOT" -path '*/src/*' -newer "$jar" -print -quit)" ] \
     && [ -z "$(find "$JWGD_ROOT" -name pom.xml -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo "building jwgd (mvn package, tests skipped)" >&2
  (cd "$JWGD_ROOT" && mvn -B -q -DskipTests package) >&2
}
