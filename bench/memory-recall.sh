#!/usr/bin/env bash
# Embedded memory store benchmark: save throughput (embedding included) and hybrid recall latency.
# Usage: bench/memory-recall.sh [memories=10000] [queries=300]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mvn -B -q -DskipTests package
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx2g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  ai.spacebot.bench.MemoryRecallBench "${1:-10000}" "${2:-300}"
