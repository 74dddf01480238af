#!/usr/bin/env bash
# The JMH suite: runs every JMH benchmark in perf and summarises them in one report.
#   Crypto formats: object streams (64 KiB and 1 MiB segments, 16 MiB objects) and 4 KiB volume
#     blocks, each beside a raw single AES-GCM call over the same bytes in the same run; then
#     dev.coffer.perf.crypto.PairedFormatRatio, which times raw and format back to back in each round
#     (the paired ratio, on which issue 2's goal is judged: it resists a noisy machine).
#   Hot paths: SigV4 verification (beside the raw HMAC-SHA256 chain), NBD request decoding (beside a
#     raw read of the header fields), the block engine's 4 KiB random writes and reads and 1 MiB
#     sequential writes, plaintext and encrypted (beside RocksDB with default options); the engine
#     works in perf/target/bench-scratch, on the real disk, deleted afterwards.
# Builds perf, writes perf/results/crypto-jmh.json (JMH, all benchmarks), crypto-paired.json and a
# Markdown summary, perf/results/crypto-summary.md (and prints it).
#
# Usage: scripts/bench-crypto.sh [--quick | --tiny] [--breakdown] [-- <extra JMH options>]
#   (default)    crypto: 1 fork, 3 x 2 s warm-up, 10 x 1 s measurement; hot paths: 3 x 1 s warm-up,
#                10 x 1 s; paired: 200 warm-up and 400 measured rounds (~10 min in all); medians of 10
#                iterations resist the odd iteration slowed by another process
#   --quick      crypto: 2 x 1 s warm-up, 3 x 1 s; hot paths: 1 x 0.5 s warm-up, 2 x 0.5 s; paired: 50
#                and 100 rounds: a smoke run with rough figures (~3.5 min)
#   --tiny       every benchmark once (no warm-up, one 100 ms iteration, 1 MiB objects), paired with
#                5 rounds: checks that everything runs (~2 min); the figures are meaningless
#   --breakdown  also run ObjectStreamCostBenchmark and StreamFixedCostBenchmark, which take the
#                format's time apart (init per segment, copies, key derivation); adds ~6 min in full
# The benchmarks are single-threaded; on a machine with few cores, anything else running shows up
# as noise, so the load average is recorded in the summary.
# BENCH_RESULTS_DIR: where the results go (default perf/results); BENCH_NO_BUILD=1: use the perf jar
# already built (scripts/bench.sh's tests do, inside a Maven build).
# --help (first argument): print this header and exit, before building anything.
if [[ "${1:-}" == --help || "${1:-}" == -h ]]; then
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
  exit 0
fi
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
    --tiny) mode=tiny ;;
    --breakdown) breakdown=true ;;
    --) shift; extra=("$@"); break ;;
    *) echo "usage: $0 [--quick | --tiny] [--breakdown] [-- <extra JMH options>]" >&2; exit 2 ;;
  esac
  shift
done

command -v mvn >/dev/null 2>&1 || "$root/scripts/install-prerequisites.sh" maven
command -v python3 >/dev/null 2>&1 || "$root/scripts/install-prerequisites.sh" python3

cd "$root"
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  echo "bench-crypto: building perf..." >&2
  # maven.test.skip, not only skipTests: the benchmarks need no test classes, so they are not compiled.
  mvn -B -q -ntp -pl perf -am package -Dmaven.test.skip=true >&2
fi

object_size="16 MiB"
case "$mode" in
  quick)
    crypto_run=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    hot_run=(-f 1 -wi 1 -w 500ms -i 2 -r 500ms)
    paired_run=(--warmup-rounds 50 --rounds 100)
    hot_settings="1 x 0.5 s warm-up, 2 x 0.5 s measurement" ;;
  tiny)
    crypto_run=(-f 1 -wi 0 -i 1 -r 100ms -p objectSizeBytes=1048576)
    hot_run=(-f 1 -wi 0 -i 1 -r 100ms)
    paired_run=(--warmup-rounds 2 --rounds 5 --object-bytes 1048576)
    hot_settings="no warm-up, 1 x 100 ms measurement"
    object_size="1 MiB" ;;
  *)
    crypto_run=(-f 1 -wi 3 -w 2s -i 10 -r 1s)
    hot_run=(-f 1 -wi 3 -w 1s -i 10 -r 1s)
    paired_run=(--warmup-rounds 200 --rounds 400)
    hot_settings="3 x 1 s warm-up, 10 x 1 s measurement" ;;
esac
crypto_benchmarks='dev\.coffer\.perf\.crypto\.(ObjectStreamBenchmark|BlockSealBenchmark)\.'
if [ "$breakdown" = true ]; then
  crypto_benchmarks='dev\.coffer\.perf\.crypto\.(ObjectStreamBenchmark|BlockSealBenchmark|ObjectStreamCostBenchmark|StreamFixedCostBenchmark)\.'
fi
hot_benchmarks='dev\.coffer\.perf\.(sigv4|nbd|engine)\.'

results="${BENCH_RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results"
results="$(cd "$results" && pwd)"
# The block engine benchmark's stores: on the disk the repository is on (/tmp may be a tmpfs).
scratch="$root/perf/target/bench-scratch"
work=$(mktemp -d)
trap 'rm -rf "$work" "$scratch"' EXIT
mkdir -p "$scratch"
if [ "$(df --output=fstype "$scratch" 2>/dev/null | tail -n 1)" = tmpfs ]; then
  echo "bench-crypto: warning: $scratch is on a tmpfs; the block engine figures will not be the disk's" >&2
fi
java_run=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Dcoffer.bench.dir="$scratch"
  -cp "perf/target/coffer-perf.jar:perf/target/lib/*")
profilers=(-bm avgt -prof gc -prof dev.coffer.perf.ProcessCpuTimeProfiler)

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date +%s)
"${java_run[@]}" org.openjdk.jmh.Main "$crypto_benchmarks" "${crypto_run[@]}" "${profilers[@]}" \
  -rf json -rff "$work/crypto.json" "${extra[@]}" >&2
"${java_run[@]}" org.openjdk.jmh.Main "$hot_benchmarks" "${hot_run[@]}" "${profilers[@]}" \
  -rf json -rff "$work/hot.json" "${extra[@]}" >&2
"${java_run[@]}" dev.coffer.perf.crypto.PairedFormatRatio "${paired_run[@]}" --out "$results/crypto-paired.json" >&2
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
elapsed=$(( $(date +%s) - started ))
python3 -c 'import json, sys; json.dump([e for f in sys.argv[2:] for e in json.load(open(f))], open(sys.argv[1], "w"), indent=1)' \
  "$results/crypto-jmh.json" "$work/crypto.json" "$work/hot.json"

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
tiny=()
[ "$mode" = tiny ] && tiny=(--tiny)
python3 perf/src/main/python/jmh_summary.py "$results/crypto-jmh.json" "${tiny[@]}" \
  --title "JMH: crypto formats versus raw AES-GCM, and the hot paths ($mode run, $(date -u +%Y-%m-%d))" \
  --note "$(nproc) x ${cpu:-unknown CPU}; load average (1, 5, 15 min) $load_before before, $load_after after; benchmarks ran ${elapsed} s." \
  --note "Hot paths: 1 fork, $hot_settings (the crypto benchmarks' settings are in the line above)." \
  --note "Object stream: a $object_size object, plaintext fed and read back in 64 KiB chunks, output into preallocated arrays; raw = one AES-GCM call over all $object_size." \
  --note "Block seal: 4 KiB blocks rotating over 256 blocks; raw = init + associated data of the format's length + doFinal, fresh nonce." \
  --note "SigV4: S3 requests signed by the AWS SDK signer, verified by SigV4Verifier with an IAM user's key in the real IdentityStore (its signing-key cache warm, as on a server); rawHmacChain = signing-key derivation + the signature's HMAC; rawSha256AndHmac = the canonical request's hash + one HMAC with a ready key." \
  --note "NBD: one request frame (28-byte header; a WRITE's 4 KiB payload) through NbdRequestDecoder.decode, from a pooled direct buffer; raw = the header's fields read from the same buffer (and the payload copied to an array)." \
  --note "Block engine: a 1 GiB volume in VolumeStore on disk, 4 KiB random writes over 256 MiB and reads over 64 MiB, 1 MiB sequential writes, no FUA; reference = RocksDB with default options: put/get of one 4 KiB value, a batch of 256 puts for 1 MiB." \
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
  --paired "$results/crypto-paired.json" \
  --hot-package dev.coffer.perf.sigv4 --hot-package dev.coffer.perf.nbd --hot-package dev.coffer.perf.engine \
  --pair verifyGet=rawHmacChain \
  --pair verifyPutUnsignedPayload=rawHmacChain \
  --pair verifyPresignedGet=rawHmacChain \
  --pair decodeRead=rawHeaderRead \
  --pair decodeWrite4k=rawHeaderWrite4k \
  --pair engineRandomWrite4k=rocksPut4k \
  --pair engineRandomRead4k=rocksGet4k \
  --pair engineSequentialWrite1m=rocksBatchPut1m \
  --bytes engineRandomWrite4k=4096 --bytes engineRandomRead4k=4096 --bytes engineSequentialWrite1m=1048576 \
  --bytes rocksPut4k=4096 --bytes rocksGet4k=4096 --bytes rocksBatchPut1m=1048576 \
  > "$results/crypto-summary.md"
cat "$results/crypto-summary.md"
