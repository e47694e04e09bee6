#!/usr/bin/env bash
# Memory store benchmark: import throughput (embedding included), single saves, and recall latency per
# mode with the query embedding timed apart. Usage: bench/memory-recall.sh [memories=10000] [queries=500] [store=embedded|postgres]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx3g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "$BENCH_CP" \
  ai.spacebot.bench.MemoryRecallBench "${1:-10000}" "${2:-500}" "${3:-embedded}"
