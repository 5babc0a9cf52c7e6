#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: finds a JDK >= 21, then builds and tests every
# module with the Maven Wrapper (which fetches Maven itself).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=find-jdk.sh
. "$ROOT/scripts/find-jdk.sh"
codepilot_find_jdk || exit 2
echo "codepilot: testing with $("$JAVA" -version 2>&1 | head -n 1) at $JAVA_HOME" >&2

cd "$ROOT"
exec ./mvnw -B -ntp verify "$@"
