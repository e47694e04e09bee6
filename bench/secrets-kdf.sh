#!/usr/bin/env bash
# The secret store's key derivation (Argon2id, 64 MiB, 3 iterations, parallelism 1): what an unlock costs.
# Usage: bench/secrets-kdf.sh [runs=10]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -cp "$BENCH_CP" ai.spacebot.bench.KdfBench "${1:-10}"
