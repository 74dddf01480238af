#!/usr/bin/env bash
# The one benchmark command (issue 7): runs the selected suites one after another, each beside its
# peers in the same run, then writes a report of all of them:
#   perf/results/report.md    machine (CPU, cores, RAM, kernel, OS, JDK, disk), date, commit, the
#                             charts, and each suite's summary table verbatim
#   perf/results/report.json  the machine facts and each suite's raw JSON under its name (crypto:
#                             {"jmh": JMH's list, "paired": crypto-paired.json})
#   perf/results/charts/*.svg made by perf/charts.py (stdlib Python) from the suites' JSON files;
#                             report.md embeds them with relative links
# (or all of it, and the suites' own files, in the directory given with --results)
# Suites, in the order they run (each script builds what it needs and can also be run alone):
#   crypto   scripts/bench-crypto.sh       JMH: crypto formats vs raw AES-GCM (and paired), hot paths
#   kms      scripts/bench-kms.sh          KMS over HTTP, software HSM and SoftHSM2
#   s3       scripts/bench-s3.sh           Coffer's S3 front end vs s3proxy
#   sse      scripts/bench-s3.sh --sse     server-side encryption modes vs s3proxy-enc; its files are
#                                          renamed to sse-summary.md and sse-results.json
#   volumes  scripts/bench-volumes.sh      volumes over NBD vs qemu-nbd LUKS, nbdkit luks and nbdkit file
# docs/PERFORMANCE.md is curated by hand from report.md (figures, conclusions, what was tried); this
# script never writes it. With --publish docs/performance it copies the report, its JSON and its charts
# there, which is how a full run's report goes into the repository for PERFORMANCE.md to cite.
#
# Usage: scripts/bench.sh [--quick | --tiny] [--only SUITE,...] [--results DIR] [--publish DIR] [--dry-run]
#                         [--report-only]
#   (default)      every suite's full mode (over an hour on 2 cores)
#   --quick        every suite's quick mode, each a few minutes (12 min in all on 2 cores, 2026-11-29:
#                  crypto 2.7, kms 1.4, s3 2.3, sse 3.2, volumes 2.4)
#   --tiny         every suite's tiny mode: every path once on tiny sizes (a few minutes in all), to test
#                  the harness (BenchTinyIT does); the report says its figures are meaningless
#   --only         run these suites only, e.g. --only s3,volumes
#   --results DIR  where the suites write their files and the report goes (default perf/results); the
#                  suites get it as BENCH_RESULTS_DIR
#   --publish DIR  also copy report.md, report.json and charts/*.svg to DIR, replacing the report there
#                  (e.g. docs/performance; with --report-only, publishes results already run)
#   --dry-run      print the plan (the commands it would run) and exit
#   --report-only  run nothing: assemble the report from the results already in the results directory,
#                  for every suite whose files are there
# BENCH_NO_BUILD=1 tells the suites not to build (perf and gateway are packaged already).
# A suite that fails is named in the report and makes this script exit 1 at the end; the others still run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
all_suites=(crypto kms s3 sse volumes)
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }

mode=full dry_run=false report_only=false results="$root/perf/results" only='' publish=''
while [ $# -gt 0 ]; do
  case "$1" in
    --quick|--tiny)
      [ "$mode" = full ] || [ "$mode" = "${1#--}" ] || { echo "bench: --quick and --tiny exclude each other" >&2; exit 2; }
      mode="${1#--}" ;;
    --only) [ $# -ge 2 ] || { echo "bench: --only needs a list of suites" >&2; exit 2; }; only="$2"; shift ;;
    --dry-run) dry_run=true ;;
    --report-only) report_only=true ;;
    --results) [ $# -ge 2 ] || { echo "bench: --results needs a directory" >&2; exit 2; }; results="$2"; shift ;;
    --publish) [ $# -ge 2 ] || { echo "bench: --publish needs a directory" >&2; exit 2; }; publish="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
results="$(realpath -m "$results")" # absolute: the suites run from the repository's root
if [ -n "$publish" ]; then publish="$(realpath -m "$publish")"; fi
export BENCH_RESULTS_DIR="$results"

suites=()
if [ -n "$only" ]; then
  IFS=',' read -r -a wanted <<< "$only"
  for w in "${wanted[@]}"; do
    [[ " ${all_suites[*]} " == *" $w "* ]] || { echo "bench: unknown suite '$w' (suites: ${all_suites[*]})" >&2; exit 2; }
  done
  for s in "${all_suites[@]}"; do # in the fixed order, whatever order they were named in
    [[ ",$only," == *",$s,"* ]] && suites+=("$s")
  done
else
  suites=("${all_suites[@]}")
fi

q=''
if [ "$mode" != full ]; then q=" --$mode"; fi
suite_command() { # the command line of suite $1
  case "$1" in
    crypto) echo "scripts/bench-crypto.sh$q" ;;
    kms) echo "scripts/bench-kms.sh$q" ;;
    s3) echo "scripts/bench-s3.sh$q" ;;
    sse) echo "scripts/bench-s3.sh$q --sse" ;;
    volumes) echo "scripts/bench-volumes.sh$q" ;;
  esac
}
summary_of() { case "$1" in volumes) echo volume-summary.md ;; *) echo "$1-summary.md" ;; esac; }
json_of() { case "$1" in crypto) echo crypto-jmh.json ;; volumes) echo volume-results.json ;; *) echo "$1-results.json" ;; esac; }
title_of() {
  case "$1" in
    crypto) echo "Crypto formats versus raw AES-GCM (JMH)" ;;
    kms) echo "KMS end to end" ;;
    s3) echo "S3 end to end: Coffer versus s3proxy" ;;
    sse) echo "S3 server-side encryption: Coffer's modes versus s3proxy-enc" ;;
    volumes) echo "Volumes over NBD: Coffer versus qemu-nbd LUKS, nbdkit luks and nbdkit file" ;;
  esac
}

if [ "$dry_run" = true ]; then
  echo "bench: plan ($mode mode)"
  if [ "$report_only" = false ]; then
    for s in "${suites[@]}"; do echo "  $s: $(suite_command "$s")"; done
  fi
  echo "  report: $results/report.md, $results/report.json, $results/charts/*.svg (python3 perf/charts.py)"
  exit 0
fi

command -v python3 >/dev/null 2>&1 || "$root/scripts/install-prerequisites.sh" python3
mkdir -p "$results"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
stamp="$results/.bench-started"
failed=()
if [ "$report_only" = false ]; then
  touch "$stamp"
  for s in "${suites[@]}"; do
    echo "bench: === $s: $(suite_command "$s")" >&2
    if [ "$s" = sse ]; then # bench-s3.sh --sse writes the s3 file names: keep this run's s3 results aside
      for f in s3-summary.md s3-results.json; do if [ -f "$results/$f" ]; then mv "$results/$f" "$results/$f.keep"; fi; done
    fi
    rc=0 suite_start=$SECONDS
    # shellcheck disable=SC2046
    (cd "$root" && $(suite_command "$s")) || rc=$?
    echo "bench: $s took $((SECONDS - suite_start)) s" >&2
    if [ "$s" = sse ]; then
      for f in summary.md results.json; do if [ -f "$results/s3-$f" ]; then mv "$results/s3-$f" "$results/sse-$f"; fi; done
      for f in s3-summary.md s3-results.json; do if [ -f "$results/$f.keep" ]; then mv "$results/$f.keep" "$results/$f"; fi; done
    fi
    if [ "$rc" != 0 ]; then failed+=("$s (exit $rc)"); echo "bench: $s failed with exit $rc" >&2; fi
  done
  fresh=() # the suites whose summary this run wrote; the others' files are older results
  for s in "${suites[@]}"; do if [ "$results/$(summary_of "$s")" -nt "$stamp" ]; then fresh+=("$s"); fi; done
else
  suites=()
  for s in "${all_suites[@]}"; do
    if [ -f "$results/$(summary_of "$s")" ] || [ -f "$results/$(json_of "$s")" ]; then
      if [ -z "$only" ] || [[ ",$only," == *",$s,"* ]]; then suites+=("$s"); fi
    fi
  done
  fresh=("${suites[@]+"${suites[@]}"}")
fi

# --- machine facts (key<TAB>value) ---
facts="$results/.machine.tsv"
{
  printf 'cpu\t%s\n' "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)"
  printf 'cores\t%s\n' "$(nproc 2>/dev/null || echo '?')"
  printf 'ram\t%s\n' "$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
  printf 'kernel\t%s\n' "$(uname -sr)"
  printf 'os\t%s\n' "$( (. /etc/os-release 2>/dev/null && echo "${PRETTY_NAME:-}") || true)"
  jdk=''
  # shellcheck source=jdk.sh
  if (. "$root/scripts/jdk.sh") >/dev/null 2>&1; then
    jdk=$(. "$root/scripts/jdk.sh" && "$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.vm\.vendor = //p; s/^ *java\.runtime\.version = //p' | tr '\n' ' ' | sed 's/ $//')
  fi
  printf 'jdk\t%s\n' "${jdk:-not found}"
  printf 'disk\t%s\n' "$(df -hT "$results" 2>/dev/null | awk 'NR == 2 { print $1 ", " $2 ", " $3 " (results directory)" }')"
  printf 'load_average\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
  printf 'date\t%s\n' "$started"
  commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit (with uncommitted changes)"; fi
  printf 'commit\t%s\n' "$commit"
  printf 'branch\t%s\n' "$(git -C "$root" rev-parse --abbrev-ref HEAD 2>/dev/null || echo unknown)"
  printf 'mode\t%s\n' "$([ "$report_only" = true ] && echo "report only (results made earlier)" || echo "$mode")"
} > "$facts"
fact() { awk -F '\t' -v k="$1" '$1 == k { print $2 }' "$facts"; }

# --- charts ---
charts=$(python3 "$root/perf/charts.py" "$results" --out "$results/charts")

# --- report.md ---
report="$results/report.md"
{
  echo "# Coffer benchmarks"
  echo
  if [ "$mode" = tiny ] && [ "$report_only" = false ]; then
    echo "**A tiny run (\`--tiny\`): every suite's paths once on tiny sizes, to test the harness. Its figures are"
    echo "meaningless; do not quote them.**"
    echo
  fi
  echo "Made by \`scripts/bench.sh\`; docs/PERFORMANCE.md is curated by hand from this file."
  echo
  echo "- date: $(fact date)"
  echo "- commit: $(fact commit) on $(fact branch)"
  echo "- mode: $(fact mode); suites: ${suites[*]:-none}"
  echo "- machine: $(fact cores) x $(fact cpu), $(fact ram) RAM, $(fact os), kernel $(fact kernel)"
  echo "- JDK: $(fact jdk)"
  echo "- disk: $(fact disk)"
  echo "- load average (1, 5, 15 min) when the report was written: $(fact load_average)"
  for f in "${failed[@]+"${failed[@]}"}"; do echo "- **suite failed**: $f"; done
  echo
  echo "Every figure is a median with its spread (lowest-highest round, or as each suite states); each"
  echo "suite runs Coffer and its peers in the same run on the same machine. The raw results: \`report.json\`."
  for s in "${suites[@]+"${suites[@]}"}"; do
    echo
    echo "## $(title_of "$s")"
    echo
    echo "\`$(suite_command "$s")\`"
    echo
    summary="$results/$(summary_of "$s")"
    if [[ " ${fresh[*]+"${fresh[*]}"} " != *" $s "* ]]; then
      echo "*No summary from this run.*"
      continue
    fi
    # each suite's chart, then its latency chart where it has one (volumes, s3, sse)
    for chart in "$s.svg" "$s-latency.svg"; do
      if grep -qx "$chart" <<< "$charts"; then
        alt="$(title_of "$s")"
        if [ "$chart" = "$s-latency.svg" ]; then alt="$alt: latency"; fi
        echo "![$alt](charts/$chart)"
        echo
      fi
    done
    # verbatim, but its headings two levels down, under this report's
    if [ -f "$summary" ]; then sed 's/^#/###/' "$summary"; else echo "*No summary ($(summary_of "$s") is missing).*"; fi
  done
} > "$report"

# --- report.json ---
python3 - "$results" "$facts" "${fresh[@]+"${fresh[@]}"}" <<'EOF'
import json, os, sys
results, facts, suites = sys.argv[1], sys.argv[2], sys.argv[3:]
machine = dict(line.rstrip("\n").split("\t", 1) for line in open(facts) if "\t" in line)
files = {"crypto": "crypto-jmh.json", "volumes": "volume-results.json"}
out = {"date": machine.pop("date"), "commit": machine.pop("commit"), "branch": machine.pop("branch"),
       "mode": machine.pop("mode"), "machine": machine, "suites": {}}
for s in suites:
    path = os.path.join(results, files.get(s, s + "-results.json"))
    if os.path.exists(path):
        with open(path) as f:
            out["suites"][s] = json.load(f)
# The crypto suite has two raw files: JMH's list, and the paired format/raw ratios beside it.
paired = os.path.join(results, "crypto-paired.json")
if "crypto" in out["suites"] and os.path.exists(paired):
    with open(paired) as f:
        out["suites"]["crypto"] = {"jmh": out["suites"]["crypto"], "paired": json.load(f)}
with open(os.path.join(results, "report.json"), "w") as f:
    json.dump(out, f, indent=1)
EOF
rm -f "$facts" "$stamp"
echo "bench: wrote $report, $results/report.json and $(wc -w <<< "$charts") charts in $results/charts" >&2
if [ -n "$publish" ]; then # the report, its JSON and its charts, as a set: nothing left from an older one
  mkdir -p "$publish/charts"
  rm -f "$publish/report.md" "$publish/report.json" "$publish"/charts/*.svg
  cp "$report" "$results/report.json" "$publish/"
  for c in $charts; do cp "$results/charts/$c" "$publish/charts/"; done
  echo "bench: published the report to $publish" >&2
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: failed: ${failed[*]}" >&2
  exit 1
fi
