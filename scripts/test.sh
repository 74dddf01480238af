#!/usr/bin/env bash
# The test command: installs what the tests need, finds JDK 25, and runs every unit and integration
# test of every module (mvn verify). Extra arguments go to Maven (e.g. -pl crypto).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/install-prerequisites.sh"
# shellcheck source=jdk.sh
. "$root/scripts/jdk.sh"
cd "$root"
exec mvn -B -ntp -Dstyle.color=never verify "$@"
