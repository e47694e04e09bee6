#!/usr/bin/env bash
# Embedded memory store benchmark: save throughput (embedding included) and hybrid recall latency.
# Usage: bench/memory-recall.sh [memories=10000] [queries=300]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "$BENCH_CP" \
  ai.spacebot.bench.MemoryRecallBench "${1:-10000}" "${2:-300}"
