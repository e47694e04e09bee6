#!/usr/bin/env bash
# Inbound-to-delivered latency through a platform adapter against its local peer, with an instant model:
# an open loop of RATE messages/s over CHATS private chats; the server is the packaged jar. Loopback only.
# Usage: bench/adapter-latency.sh [telegram|discord|slack|slack-events] [rate=200] [chats=100] [seconds=30] [warmup=5]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx2g -Dspacebot.jar=target/spacebot.jar -cp "$BENCH_CP" \
  ai.spacebot.bench.AdapterLatency "${1:-telegram}" "${2:-200}" "${3:-100}" "${4:-30}" "${5:-5}"
