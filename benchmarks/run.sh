#!/usr/bin/env bash
# Builds the benchmarks, runs the suite, writes the raw results (JMH JSON, the memory
# measurement, the machine, the load around each benchmark) to benchmarks/results/ and
# regenerates BENCHMARKS.md, whole, from them (dev.imagegov.bench.Report).
#
#   benchmarks/run.sh --quick   # about 20-25 minutes on 2 idle cores (see the profiles below)
#   benchmarks/run.sh --full    # the release profile: 3 forks, long iterations, every size
#   benchmarks/run.sh --report  # only regenerate BENCHMARKS.md from the committed results
#
# Extra Maven flags (for example -o) can be given in MVN_FLAGS, extra flags for the JMH runner's
# JVM in JAVA_FLAGS (default: -Djmh.ignoreLock=true, so that another JMH on the machine does
# not block the run; the load recorded beside each figure shows whether one interfered).
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:---quick}"
case "$profile" in
  --quick)
    # Benchmarks whose figure decides a target: 2 forks, so the error includes the difference
    # between JVMs (on a loaded machine a fork differs from the next by up to 2x).
    targets=(-f 2 -wi 1 -w 1s -i 3 -r 1s)
    # Comparisons without a target: 1 fork, 5 iterations, so JMH gives an error at all.
    compare=(-f 1 -wi 1 -w 1s -i 5 -r 1s)
    # The facade with the realistic protections file only (--full adds protections off).
    facade=(-f 1 -wi 1 -w 1s -i 4 -r 1s -p protections=on)
    # List shapes: the first page only (the deep pages need a walk of the list per fork).
    shapes=(-f 1 -wi 1 -w 1s -i 4 -r 1s -p page=first)
    batched=(-f 2 -wi 5 -i 5)
    filelist=(-p images=10000,100000)
    patch=(-p ops=1,10)
    shots=(-f 1 -wi 1 -i 4)
    # Opening a catalog happens once, in a cold JVM: one cold shot per fork, no warm-up. One
    # fork gives no error, so the open targets are decided by --full only.
    open=(-f 1 -wi 0 -i 1)
    reports=(-f 1 -wi 1 -w 1s -i 3 -r 1s -p images=100000)
    postgres=()
    ;;
  --full)
    targets=(-f 3 -wi 5 -w 2s -i 10 -r 2s)
    compare=(-f 3 -wi 5 -w 2s -i 10 -r 2s)
    facade=(-f 3 -wi 3 -w 2s -i 5 -r 2s)
    shapes=(-f 2 -wi 3 -w 1s -i 5 -r 1s)
    batched=(-f 3 -wi 20 -i 20)
    filelist=(-p images=10000,100000,1000000)
    patch=(-p ops=1,4,10)
    shots=(-f 3 -wi 2 -i 5)
    open=(-f 3 -wi 0 -i 1)
    reports=(-f 2 -wi 1 -w 1s -i 3 -r 1s)
    postgres=(-f 2 -wi 5 -w 5s -i 5 -r 5s)
    ;;
  --report)
    ;;
  *)
    echo "usage: $0 [--quick|--full|--report]" >&2
    exit 2
    ;;
esac

mvn -q ${MVN_FLAGS:-} -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
results=benchmarks/results
report() {
  java -cp "$jar" dev.imagegov.bench.Report "$results" benchmarks/report-preface.md BENCHMARKS.md
  echo "wrote $results/latest.md and BENCHMARKS.md"
}
if [ "$profile" = --report ]; then
  report
  exit 0
fi

mkdir -p "$results"
rm -f "$results"/jmh-*.json "$results"/memory.json "$results"/quota-check-*.json \
  "$results"/load.txt

{
  echo "profile: ${profile#--}"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  java -version 2>&1 | sed 's/^/java: /'
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$results/machine.txt"
echo "benchmarks/run.sh $profile" > "$results/command.txt"

# One JMH run of one benchmark class, its JSON in jmh-<Class>.json, and one line in load.txt:
# the class, the seconds it took, the load averages (1, 5, 15 min) before and after.
bench() {
  local class=$1
  shift
  local start before
  start=$(date +%s)
  before=$(cut -d' ' -f1-3 /proc/loadavg)
  java ${JAVA_FLAGS:--Djmh.ignoreLock=true} -jar "$jar" "^dev\.imagegov\.bench\.$class\." \
    "$@" -foe true -rf json -rff "$results/jmh-$class.json"
  echo "$class $(($(date +%s) - start)) $before $(cut -d' ' -f1-3 /proc/loadavg)" \
    >> "$results/load.txt"
}

# Lists and access decisions (targets), and their baselines; -prof gc adds the bytes allocated
# per operation, which the load does not change. ListBenchmark carries the page's fair baseline
# (sortedSetPage: the same page from a sorted set per consumer, at every size); NaiveListBenchmark
# (a full scan and sort, 10k and 100k only) shows what the indexes save.
bench ListBenchmark "${targets[@]}" -prof gc
bench NaiveListBenchmark "${compare[@]}"
bench AccessBenchmark "${targets[@]}" -prof gc
bench ListShapesBenchmark "${shapes[@]}" -prof gc
# The user's whole path through the facade on the cloud-shaped catalog, at 10k and 1M in both
# profiles, each beside its store-only baseline (the list page also beside its sorted set).
bench FacadeBenchmark "${facade[@]}" -prof gc
# A member's list page through groups (hierarchical sharing) beside a direct member's, at
# 10,000 and 1,000,000 images, with its allocation per page.
bench GroupListBenchmark "${compare[@]}" -prof gc
# Updates: single-shot batches (a fresh set of images per iteration; member add + accept beside
# 10k and 1M cloud-shaped images, protections on, in both profiles), visibility, patches.
bench MemberBenchmark "${batched[@]}"
bench VisibilityBenchmark "${compare[@]}"
bench PatchBenchmark "${compare[@]}" "${patch[@]}"
# The file stores, quota contention and durability. (QuotaContentionBenchmark writes its check
# to benchmarks/results/quota-check-*.json, a path relative to the repository root, the working
# directory of this script and of JMH's forks.)
bench FileListBenchmark "${compare[@]}" "${filelist[@]}"
bench QuotaContentionBenchmark "${compare[@]}"
bench DurabilityBenchmark "${targets[@]}"
# Single shots of 1 GiB (256 MiB for S3, against S3Proxy in the benchmark's JVM), then the open
# of a 1,000,000-image file catalog. DataPathBenchmark's baselines: SHA-512 alone and MD5 alone
# over the upload's bytes; for downloads, the same bytes read the same way (a plain stream of the
# file store's file, each store's own read), all into one 1 MiB buffer.
bench DataPathBenchmark "${shots[@]}"
bench S3DataPathBenchmark "${shots[@]}"
bench OpenBenchmark "${open[@]}"
# Isolation verification (10,000 images x 1,000 projects) and the reports.
bench IsolationBenchmark "${shots[@]}"
bench ReportsBenchmark "${reports[@]}"
# The PostgreSQL catalog (embedded PostgreSQL, started by the benchmark): it fills 1,000,000
# images per fork first, so only the full profile runs it.
if [ ${#postgres[@]} -gt 0 ]; then
  bench PostgresCatalogBenchmark "${postgres[@]}"
fi
# Heap footprint: a plain program, one measurement per structure.
start=$(date +%s)
before=$(cut -d' ' -f1-3 /proc/loadavg)
java -Xmx6g -cp "$jar" dev.imagegov.bench.MemoryFootprint 1000000 "$results/memory.json"
echo "MemoryFootprint $(($(date +%s) - start)) $before $(cut -d' ' -f1-3 /proc/loadavg)" \
  >> "$results/load.txt"

echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$results/machine.txt"
report
