#!/usr/bin/env bash
# S3 end-to-end benchmark: Coffer's S3 front end (`coffer serve --services s3,kms`) against s3proxy 2.6.0
# (filesystem backend), each its own JVM with its data on the same disk, driven in the same run by the
# AWS SDK v2 S3AsyncClient (Netty client) in alternating short rounds: PUT and GET of 4 KiB objects
# at 1, 16 and 64 in flight, of 1 MiB at 1 and 16, of 64 MiB at 1 and 4, and mixed rows (70% GETs of
# existing objects, 30% PUTs of new keys) of 4 KiB and 1 MiB at 16; GETs verify every byte.
# Three targets: Coffer with the SDK's default checksums (CRC32 trailer), and Coffer and s3proxy with
# checksums WHEN_REQUIRED (s3proxy 2.6.0 refuses the default aws-chunked trailer uploads; the ratio
# compares this like-for-like pair). Also measures the data disk's durable write speed with dd
# (fdatasync) and loopback TCP throughput (1 and 4 streams), against which the 64 MiB rows are held.
# Latency p50/p90/p99/p99.9 per row and target (GET and PUT apart in the mixed rows). Writes
# perf/results/s3-summary.md and perf/results/s3-results.json.
#
# With --sse: server-side encryption instead (issue 5). One Coffer (`serve --services s3,kms`) driven
# with SSE off, SSE-S3, SSE-KMS without and with a bucket key, and SSE-C (over plain HTTP when Coffer
# takes SSE-C there, else over its HTTPS port beside an SSE-off-over-HTTPS target), and s3proxy with its
# encryption middleware (s3proxy-enc); 4 KiB at 1 and 16 in flight, 1 MiB at 4, 64 MiB at 1 and 4; KMS
# calls per 1,000 4 KiB PUTs and GETs counted from the KMS audit trail; ratios to SSE off and to
# s3proxy-enc and issue 5's goals per row.
#
# Usage: scripts/bench-s3.sh [--quick | --tiny] [--sse] [--kms-count N] [--client netty|crt] [--only REGEX]
#                           [--servers TARGET,...] [--jfr DIR]
#   --quick     2 rounds of 1 s per row and target, fewer rows (4 KiB at 1 and 16 in flight, 1 MiB at 16;
#               with --sse 64 MiB only at 4), at most 200 objects per GET row, KMS count 200 (~3.5 min
#               in all; with --sse ~5 min)
#   --tiny      tests the harness, its figures are meaningless: every row and target once for 0.3 s, at
#               most 4 in flight, 16 KiB objects in the 1 MiB rows and 64 KiB in the 64 MiB rows (ids
#               keep the sizes they stand for), no dd, loopback 0.2 s, KMS count 10; GETs still verified
#               (~45 s; with --sse ~75 s, on 2 shared cores, build included)
#   --sse       the SSE rows and targets (coffer, coffer-sse-s3, coffer-sse-kms, coffer-sse-kms-bk,
#               coffer-sse-c, s3proxy-enc); --servers picks among them, --only among the rows
#   --kms-count N  PUTs and GETs per target for the KMS call count (default 1000; quick 200, tiny 10; 0 skips it)
#   --client crt   drive every target with the AWS CRT-based S3 client (S3AsyncClient.crtBuilder(), aws-crt)
#               instead of the Netty client: objects above 8 MiB go as multipart uploads and parallel ranged
#               GETs; no integrity headers recorded; HTTPS targets (SSE-C when plain HTTP refuses it) refused
#   (default)   5 rounds of 4 s per row and target (~24 min; with --sse ~25 min)
#   --only      run the rows whose id matches, e.g. 'put-64MiB' or '4KiB-c64'
#   --jfr DIR   record each server with JFR during each row's timed rounds (DIR/<row>-<server>.jfr)
#   --servers   keep some of the targets coffer (SDK default checksums), coffer-when-required and
#               s3proxy (both with checksums WHEN_REQUIRED), e.g. for profiling; coffer-alt adds a second
#               Coffer started with COFFER_ALT_JAVA_OPTS, for A/B tuning experiments in the same run
# Profiling: COFFER_JAVA_OPTS and S3PROXY_JAVA_OPTS pass JVM options to the servers, e.g.
#   COFFER_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/coffer.jfr,settings=profile'
# The servers' data lives in a fresh directory under perf/results/tmp (the real disk, not tmpfs),
# removed afterwards.
# BENCH_RESULTS_DIR: where the results go (default perf/results); BENCH_NO_BUILD=1: use the jars already
# built (scripts/bench.sh's tests do, inside a Maven build).
# --help (first argument): print this header and exit, before building anything.
if [[ "${1:-}" == --help || "${1:-}" == -h ]]; then
  sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"
  exit 0
fi
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=jdk.sh
. "$root/scripts/jdk.sh"
cd "$root"
if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  echo "bench-s3: building..." >&2
  mvn -B -q -ntp -Dstyle.color=never -pl perf,gateway -am package -Dmaven.test.skip=true >&2
fi
results="${BENCH_RESULTS_DIR:-$root/perf/results}"
mkdir -p "$results/tmp"
results="$(cd "$results" && pwd)"
work="$(mktemp -d "$results/tmp/s3.XXXXXX")"
trap 'rm -rf "$work"; rmdir "$results/tmp" 2>/dev/null || true' EXIT
echo "bench-s3: load average now: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" >&2
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} \
  -cp "perf/target/coffer-perf.jar:perf/target/lib/*" \
  dev.coffer.perf.s3.S3Benchmark "$root" "$results" "$work" "$@"
