#!/usr/bin/env bash
# Installs the npm test peers the integration tests start (aimock, an LLM protocol mock that
# speaks OpenAI, Anthropic Messages, Ollama and Gemini; the Telegram emulator; Prism for the
# Discord peer; emulate, the Slack Web API emulator, with the Node 22 it needs) into .cache/test-peers, which git ignores.
# Needs Node >= 20.15 and npm. No root needed. Safe to run again: a peer already at the pinned
# version is left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PREFIX=.cache/test-peers
PEERS=(
  "@copilotkit/aimock@1.43.0"      # LLM protocol mock (OpenAI, Anthropic, Ollama, Gemini)
  "telegram-test-api@4.2.1"        # Telegram Bot API emulator (with our shim in front, see testkit)
  "@stoplight/prism-cli@5.14.2"    # validates every Discord request and response against Discord's OpenAPI spec
  "node@22.23.3"                   # Node 22 for emulate (the binary ships in the package: node_modules/node/bin/node)
  "emulate@0.12.2"                 # Slack Web API emulator (pin it: emulate's latest tag is an unrelated package)
)

log() { printf '[install-test-peers] %s\n' "$*"; }
die() { printf '[install-test-peers] ERROR: %s\n' "$*" >&2; exit 1; }

command -v node >/dev/null || die "node is not installed (Node >= 20.15 is needed)"
command -v npm >/dev/null || die "npm is not installed"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=15)?0:1)' \
  || die "Node $(node --version) is too old: >= 20.15 is needed"

mkdir -p "$PREFIX"
missing=()
for peer in "${PEERS[@]}"; do
  name="${peer%@*}"
  version="${peer##*@}"
  pkg="$PREFIX/node_modules/$name/package.json"
  have=$( [ -f "$pkg" ] && node -p "require('./$pkg').version" 2>/dev/null || true )
  [ "$have" = "$version" ] || missing+=("$peer")
done
if [ "${#missing[@]}" -gt 0 ]; then
  # One package.json with every peer: installing a single missing peer with --no-save would make npm
  # prune the others as extraneous.
  deps=$(for peer in "${PEERS[@]}"; do printf '"%s":"%s",' "${peer%@*}" "${peer##*@}"; done)
  printf '{"name":"spacebot-test-peers","private":true,"dependencies":{%s}}\n' "${deps%,}" > "$PREFIX/package.json"
  log "installing: ${missing[*]}"
  npm install --prefix "$PREFIX" --no-audit --no-fund >/dev/null || die "npm install ${missing[*]} failed"
fi
log "ready in $PREFIX: ${PEERS[*]}"
