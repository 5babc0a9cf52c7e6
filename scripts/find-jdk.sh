# Finds a JDK >= 21 and exports JAVA_HOME and JAVA for the calling script. Source it.
# Order: $JAVA_HOME, then `java` on PATH, then the usual JDK folders (newest first).
# Prints a clear message and returns 1 when there is none.
# It runs before every command, so it reads files with the shell's own means: each program it
# started (dirname, sed, head) cost a millisecond or two.

codepilot_java_major() {
  # Prints the major version of the java binary in $1, or nothing.
  codepilot_read_java_major "$1"
  printf '%s\n' "$CODEPILOT_READ_MAJOR"
}

codepilot_read_java_major() {
  # Sets CODEPILOT_READ_MAJOR to the major version of the java binary in $1, or to nothing. The
  # JDK's release file says it without starting a JVM (about 70 ms on every launch); the JVM is
  # asked only when there is none.
  local home line
  CODEPILOT_READ_MAJOR=""
  home="${1%/*}"
  home="${home%/*}"
  if [ -f "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in
        JAVA_VERSION=\"[0-9]*)
          CODEPILOT_READ_MAJOR="${line#JAVA_VERSION=\"}"
          CODEPILOT_READ_MAJOR="${CODEPILOT_READ_MAJOR%%[!0-9]*}"
          break
          ;;
      esac
    done <"$home/release"
  fi
  if [ -z "$CODEPILOT_READ_MAJOR" ]; then
    CODEPILOT_READ_MAJOR="$("$1" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1)"
  fi
}

# True, with JAVA_HOME, JAVA and JAVA_MAJOR exported, when folder $1 is a JDK >= 21.
codepilot_use_jdk() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  codepilot_read_java_major "$1/bin/java"
  [ -n "$CODEPILOT_READ_MAJOR" ] && [ "$CODEPILOT_READ_MAJOR" -ge 21 ] || return 1
  JAVA_HOME="$1"; JAVA="$1/bin/java"; JAVA_MAJOR="$CODEPILOT_READ_MAJOR"
  export JAVA_HOME JAVA JAVA_MAJOR
}

codepilot_find_jdk() {
  local candidate major best="" best_major=0
  # The first of $JAVA_HOME and PATH that is new enough wins.
  if [ -n "${JAVA_HOME:-}" ] && codepilot_use_jdk "$JAVA_HOME"; then
    return 0
  fi
  if command -v java >/dev/null 2>&1; then
    candidate="$(command -v java)"
    candidate="$(readlink -f "$candidate" 2>/dev/null || echo "$candidate")"
    candidate="${candidate%/*}"
    if codepilot_use_jdk "${candidate%/*}"; then
      return 0
    fi
  fi
  # Otherwise the newest JDK in the usual folders.
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* \
      "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    codepilot_read_java_major "$candidate/bin/java"
    major="$CODEPILOT_READ_MAJOR"
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"; best_major="$major"
    fi
  done
  if [ -n "$best" ] && codepilot_use_jdk "$best"; then
    return 0
  fi
  echo "codepilot: no JDK 21 or newer found (looked at JAVA_HOME, java on PATH and /usr/lib/jvm)." >&2
  echo "codepilot: install one (for example Temurin 21+) and set JAVA_HOME to it." >&2
  return 1
}
