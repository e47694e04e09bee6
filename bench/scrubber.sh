#!/usr/bin/env bash
# The leak scrubber's cost per call on a 2 KB reply with 10 known secrets (source: bench/java/ai/spacebot/bench/ScrubberBench.java).
# Usage: bench/scrubber.sh [calls=20000]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -cp "$BENCH_CP" ai.spacebot.bench.ScrubberBench "${1:-20000}"
