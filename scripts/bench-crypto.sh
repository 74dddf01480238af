#!/usr/bin/env bash
# Measures what the stored crypto formats cost over raw AES-GCM: object streams (64 KiB and 1 MiB
# segments, 16 MiB objects) and 4 KiB volume blocks, each beside a raw single AES-GCM call over the
# same bytes in the same run. Builds perf, runs JMH, writes perf/results/crypto-jmh.json and a Markdown
# table with the format/raw ratios to perf/results/crypto-summary.md (and prints it).
#
# Usage: scripts/bench-crypto.sh [--quick] [--breakdown] [-- <extra JMH options>]
#   --quick      1 fork, 2 x 1 s warm-up, 3 x 1 s measurement: a smoke run (~2 min)
#   (default)    1 fork, 3 x 2 s warm-up, 10 x 1 s measurement (~5 min); medians of 10 iterations
#                resist the odd iteration slowed by another process
#   --breakdown  also run ObjectStreamCostBenchmark and StreamFixedCostBenchmark, which take the
#                format's time apart (init per segment, copies, key derivation); adds ~6 min in full
# The benchmarks are single-threaded; on a machine with few cores, anything else running shows up
# as noise, so the load average is recorded in the summary.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=jdk.sh
. "$root/scripts/jdk.sh"

mode=full
breakdown=false
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick ;;
    --breakdown) breakdown=true ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: $0 [--quick] [--breakdown] [-- <extra JMH options>]" >&2; exit 2 ;;
  esac
  shift
done

command -v mvn >/dev/null 2>&1 || "$root/scripts/install-prerequisites.sh" maven
command -v python3 >/dev/null 2>&1 || "$root/scripts/install-prerequisites.sh" python3

cd "$root"
echo "bench-crypto: building perf..." >&2
# maven.test.skip, not only skipTests: the benchmarks need no test classes, so they are not compiled.
mvn -B -q -ntp -pl perf -am package -Dmaven.test.skip=true >&2

if [ "$mode" = quick ]; then
  jmh_run=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
else
  jmh_run=(-f 1 -wi 3 -w 2s -i 10 -r 1s)
fi
benchmarks='dev\.coffer\.perf\.crypto\.(ObjectStreamBenchmark|BlockSealBenchmark)\.'
if [ "$breakdown" = true ]; then
  benchmarks='dev\.coffer\.perf\.crypto\.(ObjectStreamBenchmark|BlockSealBenchmark|ObjectStreamCostBenchmark|StreamFixedCostBenchmark)\.'
fi

results="$root/perf/results"
mkdir -p "$results"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "perf/target/coffer-perf.jar:perf/target/lib/*" \
  org.openjdk.jmh.Main "$benchmarks" "${jmh_run[@]}" -bm avgt -prof gc -prof dev.coffer.perf.ProcessCpuTimeProfiler \
  -rf json -rff "$results/crypto-jmh.json" "${extra[@]}" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
python3 perf/src/main/python/jmh_summary.py "$results/crypto-jmh.json" \
  --title "Crypto formats versus raw AES-GCM ($mode run, $(date -u +%Y-%m-%d))" \
  --note "$(nproc) x ${cpu:-unknown CPU}; load average (1, 5, 15 min) $load_before before, $load_after after." \
  --note "Object stream: a 16 MiB object, plaintext fed and read back in 64 KiB chunks, output into preallocated arrays; raw = one AES-GCM call over all 16 MiB." \
  --note "Block seal: 4 KiB blocks rotating over 256 blocks; raw = init + associated data of the format's length + doFinal, fresh nonce." \
  --pair streamEncrypt=rawAesGcmEncrypt \
  --pair streamDecrypt=rawAesGcmDecrypt \
  --pair streamDecryptPushed=rawAesGcmDecrypt \
  --pair volumeBlockSeal4k=rawAesGcmSeal4k \
  --pair volumeBlockOpen4k=rawAesGcmOpen4k \
  --pair rawSegmentedEncryptChunked=rawSegmentedEncrypt \
  --pair streamEncryptDiscarding=rawSegmentedEncrypt \
  --pair rawSegmentedDecryptViaBuffers=rawSegmentedDecrypt \
  --pair segmentInitAndTagAesKey=segmentInitAndTagSecretKeySpec \
  --goal segmentSizeBytes:65536:10 \
  > "$results/crypto-summary.md"
cat "$results/crypto-summary.md"
