#!/usr/bin/env bash
# KMS end-to-end benchmark: GenerateDataKey and Decrypt through the AWS SDK KmsClient over HTTP
# against `coffer serve`, at 1, 16 and 64 client threads, beside the raw HSM operation rate, for the
# software HSM and SoftHSM2 (PKCS#11). Writes kms-summary.md and kms-results.json under perf/results
# (or $BENCH_RESULTS_DIR).
#
# Usage: scripts/bench-kms.sh [--quick | --tiny]
#   (default) 10 s per row after 2 s warm-up, threads 1, 16, 64 (~4 min with the build)
#   --quick   3 s per row after 2 s warm-up, threads 1, 16, 64 (~2 min)
#   --tiny    0.5 s per row after 0.5 s warm-up, threads 1 and 4: both HSMs and both operations once,
#             to test the harness (under a minute); its figures are meaningless
# BENCH_RESULTS_DIR: where the results go (default perf/results). BENCH_NO_BUILD=1: do not build (the
# caller has packaged perf and gateway already).
# --help (first argument): print this header and exit, before building anything.
if [[ "${1:-}" == --help || "${1:-}" == -h ]]; then
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
  exit 0
fi
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
mode=full seconds=10 threads=1,16,64
while [ $# -gt 0 ]; do
  case "$1" in
    --quick|--tiny) [ "$mode" = full ] || [ "$mode" = "${1#--}" ] || { echo "bench-kms: --quick and --tiny exclude each other" >&2; exit 2; }
      mode="${1#--}" ;;
    *) echo "bench-kms: unknown argument $1 (usage: scripts/bench-kms.sh [--quick | --tiny])" >&2; exit 2 ;;
  esac
  shift
done
case "$mode" in
  quick) seconds=3 ;;
  tiny) seconds=0.5 threads=1,4 ;;
esac
outdir="$(realpath -m "${BENCH_RESULTS_DIR:-$root/perf/results}")"
# shellcheck source=jdk.sh
. "$root/scripts/jdk.sh"
"$root/scripts/install-prerequisites.sh" softhsm2
cd "$root"
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  echo "bench-kms: building..." >&2
  mvn -B -q -ntp -pl perf,gateway -am package -Dmaven.test.skip=true >&2
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'bench-pin-0000\n' > "$work/pin"
chmod 600 "$work/pin"
conf="$("$root/scripts/softhsm.sh" init "$work/softhsm" coffer-bench bench-pin-0000 bench-so-pin-0000 | tail -n 1)"
export SOFTHSM2_CONF="$conf"
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "perf/target/coffer-perf.jar:perf/target/lib/*" \
  dev.coffer.perf.kms.KmsBenchmark "$root" "$outdir" "$seconds" "$conf" "$work/pin" "$threads"
if [ "$mode" = tiny ]; then # under the summary's heading
  { sed -n 1p "$outdir/kms-summary.md"
    printf '\n**Tiny run (--tiny): both HSMs and operations once on tiny times to test the harness; its figures are meaningless.**\n'
    sed 1d "$outdir/kms-summary.md"; } > "$work/summary.md"
  mv "$work/summary.md" "$outdir/kms-summary.md"
fi
