#!/usr/bin/env bash
# HNSW recall@10 of the embedded memory index against exact search, and batch embedding throughput.
# Usage: bench/hnsw-recall.sh [vectors=10000] [queries=200]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx3g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "$BENCH_CP" \
  ai.spacebot.memory.embedded.HnswRecallBench "${1:-10000}" "${2:-200}"
