#!/usr/bin/env bash
# Installs everything the test suite needs (`./spacebot test` runs this first): checks the tools that
# cannot be installed from here, then PostgreSQL 15 + pgvector (scripts/install-postgres.sh, as root),
# bubblewrap (the workers' shell sandbox), inspircd + websocketd (the Twitch chat peer, as root) and the npm test
# peers (scripts/install-test-peers.sh).
# Safe and quick to run again: each step only checks when it is already done.
#
# SPACEBOT_TEST_PG_URL set: the tests use that server, so no local one is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[test-deps] %s\n' "$*"; }

# ---------------------------------------------------------------- 1. tools
missing=0
lack() { printf '[test-deps] ERROR: %s\n' "$*" >&2; missing=1; }

# Maven compiles with $JAVA_HOME's JDK when it is set, else with the one on PATH.
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac_bin="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
java_version=""
if command -v "$java_bin" >/dev/null; then
  # 'openjdk version "17.0.15" 2025-04-15', or "1.8.0_392" before Java 9
  java_version=$("$java_bin" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')
  java_major="${java_version%%.*}"
  [ "$java_major" != 1 ] || java_major=$(echo "$java_version" | cut -d. -f2)
  if ! [ "${java_major:-0}" -ge 17 ] 2>/dev/null; then
    lack "Java 17 or newer is needed, found ${java_version:-an unknown version} ($java_bin): apt-get install openjdk-17-jdk-headless"
  elif ! command -v "$javac_bin" >/dev/null; then
    lack "a JDK is needed, not only a Java runtime ($javac_bin is missing): apt-get install openjdk-17-jdk-headless"
  fi
else
  lack "Java 17 or newer is needed ($java_bin not found): apt-get install openjdk-17-jdk-headless"
fi

command -v mvn >/dev/null || lack "Maven (mvn) is needed: apt-get install maven"

node_version=""
if command -v node >/dev/null; then
  node_version=$(node --version)
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=15)?0:1)' \
    || lack "Node.js 20.15 or newer is needed, found $node_version: apt-get install nodejs (Debian 13; Debian 12's nodejs is 18, too old)"
else
  lack "Node.js 20.15 or newer is needed (node not found): apt-get install nodejs (Debian 13; Debian 12's nodejs is 18, too old)"
fi

command -v npm >/dev/null || lack "npm is needed: apt-get install npm"

[ "$missing" -eq 0 ] || exit 1
log "java $java_version, node $node_version, mvn and npm found"

# ---------------------------------------------------------------- 2. PostgreSQL + pgvector
# What the tests need of it (see PostgresTestDatabase): they log in as spacebot/spacebot on 127.0.0.1:5432,
# create databases, and find pgvector in template1.
pg_ready_for_tests() {
  command -v psql >/dev/null || return 1
  local ok
  ok=$(PGPASSWORD=spacebot PGCONNECT_TIMEOUT=3 psql -X -At -h 127.0.0.1 -p 5432 -U spacebot -d template1 -c \
    "SELECT rolcreatedb AND EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')
       FROM pg_roles WHERE rolname = current_user" 2>/dev/null) || return 1
  [ "$ok" = t ] || return 1
  PGPASSWORD=spacebot PGCONNECT_TIMEOUT=3 psql -X -q -h 127.0.0.1 -p 5432 -U spacebot -d spacebot -c 'SELECT 1' \
    >/dev/null 2>&1
}

if [ -n "${SPACEBOT_TEST_PG_URL:-}" ]; then
  log "Postgres: the tests use SPACEBOT_TEST_PG_URL; no local server is installed"
elif [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-postgres.sh
elif pg_ready_for_tests; then
  log "Postgres: ready on 127.0.0.1:5432 (role spacebot, pgvector in template1)"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  sudo -n bash scripts/install-postgres.sh
else
  printf '[test-deps] ERROR: %s\n' "PostgreSQL + pgvector are not ready on 127.0.0.1:5432 and setting them up needs root, which sudo -n did not give: run \`sudo bash scripts/install-postgres.sh\` (as root: bash scripts/install-postgres.sh) once, or set SPACEBOT_TEST_PG_URL to a server with pgvector in template1 whose role may create databases" >&2
  exit 1
fi

# ---------------------------------------------------------------- 3. bubblewrap (the workers' shell sandbox)
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else return 1
  fi
}
if ! command -v bwrap >/dev/null; then
  log "installing bubblewrap"
  { as_root apt-get install -y -q bubblewrap >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1 && as_root apt-get install -y -q bubblewrap >/dev/null; }; } \
    || { printf '[test-deps] ERROR: %s\n' "bubblewrap (bwrap) is missing and installing it needs root: run \`sudo apt-get install bubblewrap\` once" >&2; exit 1; }
fi
# The sandbox needs namespaces; a container that forbids them fails here with bwrap's own reason.
bwrap --ro-bind / / --unshare-all --cap-drop ALL --die-with-parent true \
  || { printf '[test-deps] ERROR: %s\n' "bubblewrap cannot create namespaces here (see its message above); run the tests where user or mount namespaces are allowed" >&2; exit 1; }
log "bubblewrap $(bwrap --version | awk '{print $2}') works"

# ---------------------------------------------------------------- 4. the Twitch chat peer (Debian packages)
# TwitchPeer runs InspIRCd (the IRC server) behind websocketd (IRC over WebSocket, as Twitch4J speaks it), with a
# perl bridge per connection; the Debian inspircd package's own service is not used (the tests start their own).
missing_twitch=""
for tool in inspircd websocketd perl; do
  command -v "$tool" >/dev/null || missing_twitch="$missing_twitch $tool"
done
if [ -n "$missing_twitch" ]; then
  log "installing the Twitch chat peer:$missing_twitch"
  { as_root apt-get install -y -q inspircd websocketd perl >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1 && as_root apt-get install -y -q inspircd websocketd perl >/dev/null; }; } \
    || { printf '[test-deps] ERROR: %s\n' "inspircd and websocketd (the Twitch chat peer) are missing and installing them needs root: run \`sudo apt-get install inspircd websocketd\` once" >&2; exit 1; }
  # The package enables a system-wide IRC server on port 6667; the tests need none of it.
  if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
    as_root systemctl disable --now inspircd >/dev/null 2>&1 || true
  fi
fi
log "Twitch chat peer: inspircd $(dpkg-query -W -f='${Version}' inspircd 2>/dev/null || echo '?'), websocketd $(dpkg-query -W -f='${Version}' websocketd 2>/dev/null || echo '?')"

# ---------------------------------------------------------------- 5. npm test peers
bash scripts/install-test-peers.sh
