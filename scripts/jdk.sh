# Sourced by ./coffer, scripts/test.sh and .ci/run: finds a JDK 25 and exports JAVA_HOME and PATH.
# Order: $JAVA_HOME if it is a JDK 25, then the JDKs installed under /usr/lib/jvm and /opt.
coffer_jdk_major() { # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}
coffer_find_jdk() {
  local candidate
  if [ -n "${JAVA_HOME:-}" ] && [ "$(coffer_jdk_major "$JAVA_HOME")" = 25 ]; then
    echo "$JAVA_HOME"; return 0
  fi
  for candidate in /usr/lib/jvm/*25* /usr/lib/jvm/* /opt/java/* /opt/*jdk*; do
    [ -d "$candidate" ] || continue
    if [ "$(coffer_jdk_major "$candidate")" = 25 ]; then echo "$candidate"; return 0; fi
  done
  return 1
}
if ! COFFER_JAVA_HOME=$(coffer_find_jdk); then
  echo "coffer: no JDK 25 found. Set JAVA_HOME to a JDK 25 (e.g. Temurin 25 under /usr/lib/jvm)." >&2
  echo "        Looked at \$JAVA_HOME=${JAVA_HOME:-<unset>}, /usr/lib/jvm/* and /opt." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$COFFER_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
