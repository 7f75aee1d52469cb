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
    ;;
  --full)
    timed=(-f 3 -wi 5 -w 2s -i 10 -r 2s)
    batched=(-f 3 -wi 20 -i 20)
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
rm -f "$results"/jmh-*.json "$results"/memory.json

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
# Single-shot batches (a fresh set of images per iteration).
java -jar "$jar" 'dev.imagegov.bench.MemberBenchmark' \
  "${batched[@]}" -foe true -rf json -rff "$results/jmh-batched.json"
# Heap footprint: a plain program, one measurement per structure.
java -Xmx6g -cp "$jar" dev.imagegov.bench.MemoryFootprint 1000000 "$results/memory.json"

echo "load after:$(uptime)" >> "$results/machine.txt"
java -cp "$jar" dev.imagegov.bench.Report "$results" BENCHMARKS.md
echo "wrote $results/latest.md and BENCHMARKS.md"
