#!/usr/bin/env bash
# HNSW recall@10 of the Postgres memory store's vector query (pgvector) against exact search in SQL.
# Needs the local Postgres from scripts/install-postgres.sh (or SPACEBOT_TEST_PG_URL).
# Usage: bench/pg-hnsw-recall.sh [vectors=10000] [queries=200]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx3g -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 \
  -cp "$BENCH_CP" \
  ai.spacebot.memory.postgres.PgHnswRecallBench "${1:-10000}" "${2:-200}"
