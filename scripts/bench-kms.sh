#!/usr/bin/env bash
# KMS end-to-end benchmark: GenerateDataKey and Decrypt through the AWS SDK KmsClient over HTTP
# against `coffer serve`, at 1, 16 and 64 client threads, beside the raw HSM operation rate, for the
# software HSM and SoftHSM2 (PKCS#11). Writes perf/results/kms-summary.md and kms-results.json.
# Usage: scripts/bench-kms.sh [--quick]     (quick: 3 s per row; default: 10 s per row)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=jdk.sh
. "$root/scripts/jdk.sh"
seconds=10
[ "${1:-}" = "--quick" ] && seconds=3
"$root/scripts/install-prerequisites.sh" softhsm2
cd "$root"
echo "bench-kms: building..." >&2
mvn -B -q -ntp -pl perf,gateway -am package -Dmaven.test.skip=true >&2
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'bench-pin-0000\n' > "$work/pin"
conf="$("$root/scripts/softhsm.sh" init "$work/softhsm" coffer-bench bench-pin-0000 bench-so-pin-0000 | tail -n 1)"
export SOFTHSM2_CONF="$conf"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "perf/target/coffer-perf.jar:perf/target/lib/*" \
  dev.coffer.perf.kms.KmsBenchmark "$root" "$root/perf/results" "$seconds" "$conf" "$work/pin"
