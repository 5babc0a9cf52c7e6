# Finds a JDK >= 21 and exports JAVA_HOME and JAVA for the calling script. Source it.
# Order: $JAVA_HOME, then `java` on PATH, then the usual JDK folders (newest first).
# Prints a clear message and returns 1 when there is none.

codepilot_java_major() {
  # Prints the major version of the java binary in $1, or nothing. The JDK's release file says it
  # without starting a JVM (about 70 ms on every launch); the JVM is asked only when there is none.
  local release major=""
  release="$(dirname "$(dirname "$1")")/release"
  if [ -f "$release" ]; then
    major="$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release" | head -n 1)"
  fi
  if [ -z "$major" ]; then
    major="$("$1" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)"
  fi
  printf '%s\n' "$major"
}

codepilot_find_jdk() {
  local min=21 candidate major best="" best_major=0
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidate="$(command -v java)"
    candidate="$(readlink -f "$candidate" 2>/dev/null || echo "$candidate")"
    candidates+=("$(dirname "$(dirname "$candidate")")")
  fi
  # The first of $JAVA_HOME and PATH that is new enough wins.
  for candidate in "${candidates[@]}"; do
    if [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ]; then
      major="$(codepilot_java_major "$candidate/bin/java")"
      if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
        JAVA_HOME="$candidate"; JAVA="$candidate/bin/java"; export JAVA_HOME JAVA
        return 0
      fi
    fi
  done
  # Otherwise the newest JDK in the usual folders.
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(codepilot_java_major "$candidate/bin/java")"
    if [ -n "$major" ] && [ "$major" -ge "$min" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    JAVA_HOME="$best"; JAVA="$best/bin/java"; export JAVA_HOME JAVA
    return 0
  fi
  echo "codepilot: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm)." >&2
  echo "codepilot: install one (for example Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}
