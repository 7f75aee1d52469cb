#!/usr/bin/env bash
# Remodel A/B, third session: before (de55b8b) and after (main 6ac96c5, with the speed fixes), interleaved, same arguments.
set -u
cd /work/bench
out=out3b; mkdir -p $out
for round in 1 2; do
  for side in before after; do
    jar=before.jar; [ $side = after ] && jar=after-final.jar
    tag=$side-r$round
    echo "$tag start $(date -u +%FT%TZ) load:$(cut -d' ' -f1-3 /proc/loadavg)" >> $out/log.txt
    java -jar $jar 'dev.imagegov.bench.ListBenchmark.(page|catalogPage)' -p images=10000,100000 -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true -rf json -rff $out/$tag-list.json > $out/$tag-list.txt 2>&1
    java -jar $jar 'dev.imagegov.bench.AccessBenchmark' -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true -rf json -rff $out/$tag-access.json > $out/$tag-access.txt 2>&1
    java -jar $jar 'dev.imagegov.bench.PatchBenchmark.(patch|rawCompareAndSet)' -p ops=1,10 -f 1 -wi 2 -w 1s -i 3 -r 1s -foe true -rf json -rff $out/$tag-patch.json > $out/$tag-patch.txt 2>&1
    if [ $round = 1 ]; then
      java -jar $jar 'dev.imagegov.bench.DataPathBenchmark.(uploadMemory|uploadFile|sha512)' -f 1 -wi 1 -i 2 -foe true -rf json -rff $out/$tag-upload.json > $out/$tag-upload.txt 2>&1
    fi
    echo "$tag end $(date -u +%FT%TZ) load:$(cut -d' ' -f1-3 /proc/loadavg)" >> $out/log.txt
  done
done
echo done >> $out/log.txt
