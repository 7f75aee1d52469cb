#!/usr/bin/env bash
# Builds the benchmarks and runs the whole suite in bounded time, then writes the results
# (JMH JSON, the memory measurement, the machine) to benchmarks/results/ and the tables of
# BENCHMARKS.md.
#
#   benchmarks/run.sh --quick   # under 10 minutes on 2 cores: 1 fork, short iterations
#   benchmarks/run.sh --full    # release figures: 3 forks, longer iterations
#
# Extra Maven flags (for example -o) can be given in MVN_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."

profile="${1:---quick}"
case "$profile" in
  --quick)
    timed=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
    batched=(-f 1 -wi 10 -i 5)
    # The store benchmarks are trimmed to fit the 10 minutes: fewer iterations, the file-store
    # list at 10,000 and 100,000 images only (a 1,000,000-image file catalog takes about a
    # minute to build and another to open, per fork), JSON patches of 1 and 10 operations.
    stores=(-f 1 -wi 1 -w 1s -i 2 -r 1s)
    filelist=(-p images=10000,100000)
    patch=(-p ops=1,10)
    shots=(-f 1 -wi 1 -i 2)
    # Opening a catalog happens once, in a cold JVM: one cold shot per fork, no warm-up.
    open=(-f 1 -wi 0 -i 1)
    ;;
  --full)
    timed=(-f 3 -wi 5 -w 2s -i 10 -r 2s)
    batched=(-f 3 -wi 20 -i 20)
    stores=(-f 3 -wi 3 -w 2s -i 5 -r 2s)
    filelist=(-p images=10000,100000,1000000)
    patch=(-p ops=1,4,10)
    shots=(-f 3 -wi 2 -i 5)
    open=(-f 3 -wi 0 -i 1)
    ;;
  *)
    echo "usage: $0 [--quick|--full]" >&2
    exit 2
    ;;
esac

mvn -q ${MVN_FLAGS:-} -Pbench -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
results=benchmarks/results
mkdir -p "$results"
rm -f "$results"/jmh-*.json "$results"/memory.json "$results"/quota-check-*.json

{
  echo "profile: ${profile#--}"
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "nproc: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  java -version 2>&1 | sed 's/^/java: /'
  echo "load before:$(uptime)"
} > "$results/machine.txt"
echo "benchmarks/run.sh $profile" > "$results/command.txt"

# Timed benchmarks (average time or throughput).
java -jar "$jar" 'dev.imagegov.bench.(List|NaiveList|Access|Visibility)Benchmark' \
  "${timed[@]}" -foe true -rf json -rff "$results/jmh-timed.json"
# The user's whole path through the facade (a fresh caller per request, property protections on
# and off, 10,000 and 1,000,000 images), each beside its store-only baseline.
java -jar "$jar" 'dev.imagegov.bench.FacadeBenchmark' "${stores[@]}" \
  -foe true -rf json -rff "$results/jmh-facade.json"
# A member's list page through groups (hierarchical sharing) beside a direct member's, at
# 10,000 and 1,000,000 images, with its allocation per page.
java -jar "$jar" 'dev.imagegov.bench.GroupListBenchmark' "${stores[@]}" -prof gc \
  -foe true -rf json -rff "$results/jmh-groups.json"
# Single-shot batches (a fresh set of images per iteration).
java -jar "$jar" 'dev.imagegov.bench.MemberBenchmark' \
  "${batched[@]}" -foe true -rf json -rff "$results/jmh-batched.json"
# The file stores, updates by JSON patch, quota contention and durability.
java -jar "$jar" 'dev.imagegov.bench.FileListBenchmark' "${stores[@]}" "${filelist[@]}" \
  -foe true -rf json -rff "$results/jmh-filelist.json"
java -jar "$jar" 'dev.imagegov.bench.PatchBenchmark' "${stores[@]}" "${patch[@]}" \
  -foe true -rf json -rff "$results/jmh-patch.json"
# (QuotaContentionBenchmark writes its check to benchmarks/results/quota-check-*.json, a path
# relative to the repository root, the working directory of this script and of JMH's forks.)
java -jar "$jar" 'dev.imagegov.bench.(QuotaContention|Durability)Benchmark' "${stores[@]}" \
  -foe true -rf json -rff "$results/jmh-contention.json"
# Single shots of 1 GiB, then the open of a 1,000,000-image file catalog.
java -jar "$jar" 'dev.imagegov.bench.DataPathBenchmark' "${shots[@]}" \
  -foe true -rf json -rff "$results/jmh-datapath.json"
java -jar "$jar" 'dev.imagegov.bench.OpenBenchmark' "${open[@]}" \
  -foe true -rf json -rff "$results/jmh-open.json"
# Isolation verification: single shots of a whole verification, 10,000 images x 1,000 projects.
java -jar "$jar" 'dev.imagegov.bench.IsolationBenchmark' "${shots[@]}" \
  -foe true -rf json -rff "$results/jmh-isolation.json"
# Heap footprint: a plain program, one measurement per structure.
java -Xmx6g -cp "$jar" dev.imagegov.bench.MemoryFootprint 1000000 "$results/memory.json"

echo "load after:$(uptime)" >> "$results/machine.txt"
java -cp "$jar" dev.imagegov.bench.Report "$results" BENCHMARKS.md
echo "wrote $results/latest.md and BENCHMARKS.md"
