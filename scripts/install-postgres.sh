#!/usr/bin/env bash
# Installs and starts PostgreSQL 15 with pgvector on Debian bookworm, for CI and developers.
# Run as root. Safe to run again: every step is skipped when already done, and a cluster that is
# installed but down is started.
#
# Bookworm has no pgvector package, so pgvector is built from Debian trixie's *source* package.
# apt gets a private, temporary configuration that knows only trixie's deb-src index; the archive
# address and keyring are read at run time from the system's own deb822 sources file, so nothing
# here names a host and the system's apt sources and lists are left untouched.
#
# Environment overrides:
#   SPACEBOT_PG_ROLE      login role to create       (default: spacebot)
#   SPACEBOT_PG_PASSWORD  its password               (default: spacebot)
#   SPACEBOT_PG_DB        database owned by the role (default: spacebot)
set -euo pipefail

PG_MAJOR=15
PG_ROLE="${SPACEBOT_PG_ROLE:-spacebot}"
PG_PASSWORD="${SPACEBOT_PG_PASSWORD:-spacebot}"
PG_DB="${SPACEBOT_PG_DB:-spacebot}"
PG_CONFIG="/usr/lib/postgresql/${PG_MAJOR}/bin/pg_config"
VECTOR_CONTROL="/usr/share/postgresql/${PG_MAJOR}/extension/vector.control"
DEBIAN_SOURCES="/etc/apt/sources.list.d/debian.sources"
export DEBIAN_FRONTEND=noninteractive

log()  { printf '[install-postgres] %s\n' "$*"; }
die()  { printf '[install-postgres] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'die "failed at line $LINENO (exit $?)"' ERR

[ "$(id -u)" -eq 0 ] || die "must run as root"

TMP_DIRS=()
cleanup() { local d; for d in "${TMP_DIRS[@]:-}"; do if [ -n "$d" ]; then rm -rf "$d"; fi; done; return 0; }
trap cleanup EXIT

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" = "install ok installed" ]; }

# ---------------------------------------------------------------- 1. packages
need_pkgs=()
installed "postgresql-${PG_MAJOR}" || need_pkgs+=(postgresql postgresql-contrib)
need_vector=0
if [ ! -f "$VECTOR_CONTROL" ]; then
  need_vector=1
  installed "postgresql-server-dev-${PG_MAJOR}" || need_pkgs+=("postgresql-server-dev-${PG_MAJOR}")
  installed build-essential || need_pkgs+=(build-essential)
  installed dpkg-dev || need_pkgs+=(dpkg-dev)
fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  log "installing: ${need_pkgs[*]}"
  apt-get update -q >/dev/null || die "apt-get update failed"
  apt-get install -y -q --no-install-recommends "${need_pkgs[@]}" >/dev/null \
    || die "apt-get install ${need_pkgs[*]} failed"
fi
[ -x "$PG_CONFIG" ] || [ "$need_vector" -eq 0 ] || die "$PG_CONFIG missing after install"

# ---------------------------------------------------------------- 2. pgvector
if [ "$need_vector" -eq 1 ]; then
  log "building pgvector from Debian trixie's source package"
  [ -f "$DEBIAN_SOURCES" ] || die "$DEBIAN_SOURCES not found: cannot find the Debian archive address"
  uri=$(awk '/^URIs:/{print $2; exit}' "$DEBIAN_SOURCES")
  key=$(awk '/^Signed-By:/{print $2; exit}' "$DEBIAN_SOURCES")
  [ -n "$uri" ] || die "no URIs: line in $DEBIAN_SOURCES"
  [ -n "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg

  apt_dir=$(mktemp -d); TMP_DIRS+=("$apt_dir")
  mkdir -p "$apt_dir/parts" "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial"
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: %s\n' \
    "$uri" "$key" > "$apt_dir/parts/trixie-src.sources"
  apt_opts=(-q -o APT::Sandbox::User=root
            -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt_dir/parts"
            -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache")
  apt-get "${apt_opts[@]}" update >/dev/null || die "private apt update (trixie deb-src) failed"

  build_dir=$(mktemp -d); TMP_DIRS+=("$build_dir")
  (cd "$build_dir" && apt-get "${apt_opts[@]}" source pgvector >/dev/null 2>&1) \
    || die "apt-get source pgvector failed"
  src=$(find "$build_dir" -maxdepth 1 -mindepth 1 -type d -name 'pgvector-*' | head -n1)
  [ -n "$src" ] || die "pgvector source directory not found after apt-get source"
  log "compiling $(basename "$src")"
  make -C "$src" PG_CONFIG="$PG_CONFIG" -j"$(nproc)" >"$build_dir/build.log" 2>&1 \
    || { tail -n 30 "$build_dir/build.log" >&2; die "pgvector build failed"; }
  make -C "$src" PG_CONFIG="$PG_CONFIG" install >>"$build_dir/build.log" 2>&1 \
    || { tail -n 30 "$build_dir/build.log" >&2; die "pgvector install failed"; }
  [ -f "$VECTOR_CONTROL" ] || die "pgvector installed but $VECTOR_CONTROL is missing"
  log "pgvector installed"
fi

# ---------------------------------------------------------------- 3. cluster
cluster_field() { pg_lsclusters -h 2>/dev/null | awk -v v="$PG_MAJOR" -v f="$1" '$1==v && $2=="main" {print $f}'; }
if [ -z "$(cluster_field 1)" ]; then
  log "no ${PG_MAJOR}/main cluster: creating it"
  pg_createcluster "$PG_MAJOR" main >/dev/null || die "pg_createcluster $PG_MAJOR main failed"
fi
port=$(cluster_field 3)
[ -n "$port" ] || die "cluster ${PG_MAJOR}/main not found"
if [ "$(cluster_field 4)" != "online" ]; then
  log "starting cluster ${PG_MAJOR}/main on port $port"
  pg_ctlcluster "$PG_MAJOR" main start \
    || die "pg_ctlcluster $PG_MAJOR main start failed (see /var/log/postgresql/postgresql-${PG_MAJOR}-main.log)"
fi
for _ in $(seq 1 60); do
  pg_isready -q -p "$port" && break
  sleep 0.5
done
pg_isready -q -p "$port" || die "PostgreSQL not ready on port $port after 30 s"

# ---------------------------------------------------------------- 4. role, database, extension
cd /tmp   # psql runs as postgres, which cannot read every working directory
psql_su() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }

psql_su -d postgres -v role="$PG_ROLE" -v pw="$PG_PASSWORD" -v db="$PG_DB" -f - <<'SQL' \
  || die "creating role/database failed"
SELECT format('CREATE ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'pw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('ALTER DATABASE %I OWNER TO %I', :'db', :'role') \gexec
SQL

version=$(psql_su -d "$PG_DB" -At <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
SELECT extversion FROM pg_extension WHERE extname = 'vector';
SQL
) || die "CREATE EXTENSION vector failed in database $PG_DB"
[ -n "$version" ] || die "pgvector extension not found in database $PG_DB"

# vector is not a trusted extension, so a non-superuser role cannot CREATE EXTENSION in a database it
# creates later (tests create their own). Databases are copied from template1: having it there gives
# every new database the extension, and the migrations' CREATE EXTENSION IF NOT EXISTS is then a no-op.
template_version=$(psql_su -d template1 -At <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS vector;
SELECT extversion FROM pg_extension WHERE extname = 'vector';
SQL
) || die "CREATE EXTENSION vector failed in template1"
[ -n "$template_version" ] || die "pgvector extension not found in template1"

log "ready: PostgreSQL ${PG_MAJOR} on port $port, role '$PG_ROLE', database '$PG_DB', pgvector $version (also in template1)"
if [ "$port" != 5432 ] || [ "$PG_ROLE" != spacebot ] || [ "$PG_PASSWORD" != spacebot ] || [ "$PG_DB" != spacebot ]; then
  log "the tests default to spacebot:spacebot@127.0.0.1:5432/spacebot: set SPACEBOT_TEST_PG_URL=postgresql://$PG_ROLE:<password>@127.0.0.1:$port/$PG_DB"
fi
