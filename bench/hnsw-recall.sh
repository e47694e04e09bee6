#!/usr/bin/env bash
# HNSW recall@10 of the embedded memory index against exact search, and batch embedding throughput.
# Usage: bench/hnsw-recall.sh [vectors=10000] [queries=200]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx3g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  ai.spacebot.memory.embedded.HnswRecallBench "${1:-10000}" "${2:-200}"
