#!/usr/bin/env bash
# Inbound-to-delivered latency through a platform adapter against its local peer, with an instant model:
# an open loop of RATE messages/s over CHATS private chats; the server is the packaged jar. Loopback only.
# Usage: bench/adapter-latency.sh [telegram|discord|discord-prism|slack|slack-events|twitch|webhook] [rate=200] [chats=100] [seconds=30] [warmup=5]
# Twitch allows 100 messages per 30 s to a moderator (the driver's bot is one) across all channels: keep
# (warm-up + run) x rate under 100, e.g. `twitch 3 10 20 5`; above it replies wait for the window by design.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx2g -Dspacebot.jar=target/spacebot.jar -cp "$BENCH_CP" \
  ai.spacebot.bench.AdapterLatency "${1:-telegram}" "${2:-200}" "${3:-100}" "${4:-30}" "${5:-5}"
