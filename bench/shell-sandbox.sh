#!/usr/bin/env bash
# Per-command cost of the workers' shell sandbox: `true` through the shell tool, unsandboxed and under bubblewrap.
# Usage: bench/shell-sandbox.sh [runs=300]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -cp "$BENCH_CP" ai.spacebot.bench.ShellSandboxBench "${1:-300}"
