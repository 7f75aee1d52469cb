#!/usr/bin/env bash
# Remodel A/B, sixth session: before (de55b8b) and after ($AFTER), interleaved, same arguments, JVMs
# under SCHED_FIFO (chrt) so other processes cannot take their CPU; access in 3 rounds of 3 forks,
# list, patch and upload in round 1.
set -u
cd /work/bench
out=${OUT:-out6}; mkdir -p $out
after=${AFTER:-after-s6.jar}
J="chrt -f 10 java -Djmh.ignoreLock=true -jar"
for round in 1 2 3; do
  for side in before after; do
    jar=before.jar; extra=""; [ $side = after ] && jar=$after && extra="-p sortIndexes=default,none"
    tag=$side-r$round
    echo "$tag start $(date -u +%FT%TZ) load:$(cut -d' ' -f1-3 /proc/loadavg)" >> $out/log.txt
    $J $jar 'dev.imagegov.bench.AccessBenchmark.(get|explain)$' -f 3 -wi 5 -w 1s -i 5 -r 1s -prof gc -foe true -rf json -rff $out/$tag-access.json > $out/$tag-access.txt 2>&1
    if [ $round = 1 ]; then
      $J $jar 'dev.imagegov.bench.ListBenchmark.(page|catalogPage)$' -p images=10000,100000 -f 1 -wi 3 -w 2s -i 3 -r 2s -prof gc -foe true -rf json -rff $out/$tag-list.json > $out/$tag-list.txt 2>&1
      $J $jar 'dev.imagegov.bench.PatchBenchmark.(patch|rawCompareAndSet)$' -p ops=1,10 $extra -f 1 -wi 4 -w 2s -i 3 -r 2s -prof gc -foe true -rf json -rff $out/$tag-patch.json > $out/$tag-patch.txt 2>&1
      $J $jar 'dev.imagegov.bench.DataPathBenchmark.(uploadMemory|uploadFile|sha512)$' -f 1 -wi 1 -i 2 -foe true -rf json -rff $out/$tag-upload.json > $out/$tag-upload.txt 2>&1
    fi
    echo "$tag end $(date -u +%FT%TZ) load:$(cut -d' ' -f1-3 /proc/loadavg)" >> $out/log.txt
  done
done
echo done >> $out/log.txt
