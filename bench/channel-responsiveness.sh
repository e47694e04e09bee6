#!/usr/bin/env bash
# Channel responsiveness under load: W workers kept busy (model calls + shell commands) across C
# channels, then the time from portal/send to the first outbound_message_delta of a new message in
# those channels, against an instant scripted model. Loopback only; the server is its own process.
# Usage: bench/channel-responsiveness.sh [channels=10] [workers-per-channel=5] [seconds=20] [warmup=5] [work=model|shell] [pause-ms=1000]
# pause-ms: between an answer and the channel's next message (people typing); 0 for a closed loop.
# work=model: each worker step is a 1 s model call then set_status; work=shell: an instant model call then `sleep 1`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/build-classpath.sh"
exec java -Xmx2g -Dspacebot.jar=target/spacebot.jar -cp "$BENCH_CP" \
  ai.spacebot.bench.ChannelResponsiveness "${1:-10}" "${2:-5}" "${3:-20}" "${4:-5}" "${5:-model}" "${6:-1000}"
