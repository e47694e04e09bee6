#!/usr/bin/env bash
# Retrieval quality of the memory store: evidence recall@1/5/10 and MRR of full-text, vector and hybrid
# recall over a generated corpus of team and club chats (bench/data/retrieval-quality-topics.txt).
# Usage: bench/retrieval-quality.sh [--store embedded] [--seed 42] [--batch 200] [--corpus-out FILE] [--verbose]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "$BENCH_CP" \
  ai.spacebot.bench.quality.RetrievalQualityBench "$@"
