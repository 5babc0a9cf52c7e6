#!/usr/bin/env bash
# Runs one example from the repository root, for example:
#   ./codepilot-examples/run.sh BasicUsage
#   ./codepilot-examples/run.sh FileChatCli --session ecommerce-api
# It finds a JDK >= 21, builds the examples (quietly, again only when sources changed), then
# starts the example's main class with the JVM flags GraalPy wants. Every bundled agent runs on
# a replay cassette of scripted replies, so no API key or network is needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
codepilot_find_jdk || exit 2

MODULE="$ROOT/codepilot-examples"
if [ $# -lt 1 ]; then
  echo "usage: $0 EXAMPLE [ARGS...]; the examples:" >&2
  (cd "$MODULE/src/main/java/dev/codepilot/examples" && grep -l "void main" ./*.java \
    | sed 's|^\./||; s|\.java$||; s|^|  |') >&2
  exit 2
fi
EXAMPLE="$1"
shift

CLASSPATH_FILE="$MODULE/target/classpath.txt"
is_stale() {
  [ -f "$CLASSPATH_FILE" ] || return 0
  [ -n "$(find "$ROOT" -path "$ROOT/*/target" -prune -o -path "$ROOT/.git" -prune -o \
      \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$CLASSPATH_FILE" -print -quit)" ]
}
if is_stale; then
  echo "codepilot: building the examples (first run, or sources changed)..." >&2
  log="$MODULE/target/build.log"
  mkdir -p "$MODULE/target"
  if ! (cd "$ROOT" && ./mvnw -q -B -ntp -pl codepilot-examples -am package -DskipTests \
      dependency:build-classpath -Dmdep.outputFile=target/classpath.txt) >"$log" 2>&1; then
    echo "codepilot: the build failed; its log follows ($log):" >&2
    tail -n 40 "$log" >&2
    exit 2
  fi
fi

JAVA_OPTS=(-Xss4m --enable-native-access=ALL-UNNAMED -Dpolyglot.engine.WarnInterpreterOnly=false)
if [ "$(codepilot_java_major "$JAVA")" -ge 24 ]; then
  JAVA_OPTS+=(--sun-misc-unsafe-memory-access=allow)
fi
cd "$ROOT"
exec "$JAVA" "${JAVA_OPTS[@]}" -cp "$MODULE/target/classes:$(cat "$CLASSPATH_FILE")" \
  "dev.codepilot.examples.$EXAMPLE" "$@"
