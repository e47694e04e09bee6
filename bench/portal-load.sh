#!/usr/bin/env bash
# Portal load benchmark: N concurrent web-chat conversations against the packaged server and an
# instant scripted model, all on loopback.
# Usage: bench/portal-load.sh [conversations=100] [seconds=20] [warmup=5] [think-ms=0]
# think-ms 0 = closed loop at full speed (throughput); > 0 = each conversation pauses that long between turns.
# Extra server JVM flags: BENCH_SERVER_JVM="-Xmx1g" bench/portal-load.sh 1000
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx4g -Dspacebot.jar=target/spacebot.jar -Dbench.server.jvm="${BENCH_SERVER_JVM:-}" \
  -cp "$BENCH_CP" \
  ai.spacebot.bench.PortalLoad "${1:-100}" "${2:-20}" "${3:-5}" "${4:-0}"
