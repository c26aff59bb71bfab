#!/usr/bin/env bash
# A real Temporal cluster on this machine, without Docker: PostgreSQL 15 and Temporal Server
# v1.32.0 (built from the Go module proxy and cached under .cluster/bin), the schemas set up by
# Temporal's own SQL tool, the default namespace and Celerity's search attributes registered.
# docker-compose.yml describes the same system (same server version, config and schema setup).
#
#   scripts/cluster.sh start    build what is missing, start PostgreSQL and Temporal; prints the address
#   scripts/cluster.sh stop     stop both (data stays: .cluster/, and PostgreSQL's under /var/tmp when run as root)
#   scripts/cluster.sh status   what runs, and where
#   scripts/cluster.sh build    only build and cache the server and the SQL tool
#   scripts/cluster.sh destroy  stop both and delete their data (not the build)
#
# Settings (environment): CELERITY_CLUSTER_DIR, its data (default <project>/.cluster),
# CELERITY_CLUSTER_CACHE, the build (default <project>/.cluster/cache), CLUSTER_SHARDS (4),
# CLUSTER_RETENTION (72h), CLUSTER_TLS_CERT, CLUSTER_TLS_KEY and CLUSTER_TLS_CA (serve the
# frontend over TLS with that certificate, signed by that CA, for the name localhost and 127.0.0.1).
# Ports are picked free at the first start and kept in $DIR/ports.env.
set -euo pipefail

TEMPORAL_VERSION=v1.32.0
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${CELERITY_CLUSTER_DIR:-$ROOT/.cluster}
# The built server, SQL tool and schema files, kept apart from the data so that tests with data
# folders of their own reuse one build.
CACHE=${CELERITY_CLUSTER_CACHE:-$ROOT/.cluster/cache}
BIN=$CACHE/bin
LOGS=$DIR/logs
# PostgreSQL runs as the postgres user when this script runs as root, and that user may not be
# able to reach $DIR (a checkout in a private temporary folder): its files then live apart.
if [ "$(id -u)" -eq 0 ]; then
  PGHOME=/var/tmp/celerity-postgres-$(echo "$DIR" | md5sum | cut -c1-12)
else
  PGHOME=$DIR
fi
PGDATA=$PGHOME/postgres
SHARDS=${CLUSTER_SHARDS:-4}
RETENTION=${CLUSTER_RETENTION:-72h}

say() { echo "[cluster] $*" >&2; }
die() { say "$*"; exit 1; }

pg_bin() {
  local dir
  for dir in "${PG_BIN:-}" "$(pg_config --bindir 2>/dev/null || true)" /usr/lib/postgresql/15/bin /usr/local/bin /usr/bin; do
    [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && { echo "$dir"; return; }
  done
  die "PostgreSQL 15 is not installed: apt-get install postgresql-15 (or set PG_BIN to the folder holding initdb and pg_ctl)"
}

# PostgreSQL refuses to run as root: run it as the postgres user, created if missing.
as_pg() {
  if [ "$(id -u)" -ne 0 ]; then "$@"; return; fi
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  runuser -u postgres -- "$@"
}

build() {
  if [ -x "$BIN/temporal-server" ] && [ -x "$BIN/temporal-sql-tool" ] && [ -d "$CACHE/schema" ]; then return; fi
  command -v go >/dev/null || die "Go is not installed: Temporal Server $TEMPORAL_VERSION is built with go install (Go 1.26.8 or newer)"
  say "building Temporal Server $TEMPORAL_VERSION and its SQL tool with go install (once; a cold build takes minutes)"
  mkdir -p "$BIN"
  local gobin
  gobin=$(mktemp -d)
  GOBIN=$gobin go install "go.temporal.io/server/cmd/server@$TEMPORAL_VERSION"
  GOBIN=$gobin go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_VERSION"
  mv "$gobin/server" "$BIN/temporal-server"
  mv "$gobin/sql" "$BIN/temporal-sql-tool"
  rm -rf "$gobin" "$CACHE/schema"
  # The schema files ship in the same module: take them from the version just built.
  cp -r "$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_VERSION/schema/postgresql/v12" "$CACHE/schema"
  chmod -R u+w "$CACHE/schema"
}

# Temporal keeps membership ports as a PostgreSQL smallint: every port must be below 32768,
# under the kernel's ephemeral range, so they are drawn at random there and checked free.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
ports = []
while len(ports) < int(sys.argv[1]):
    port = random.randrange(20000, 32000)
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    if port not in ports:
        ports.append(port)
print(" ".join(map(str, ports)))
PY
}

ports() {
  if [ ! -f "$DIR/ports.env" ]; then
    read -r pg fg fh fm hg hm mg mm wg wm <<<"$(free_ports 10)"
    cat >"$DIR/ports.env" <<PORTS
DB_PORT=$pg
FRONTEND_GRPC_PORT=$fg
FRONTEND_HTTP_PORT=$fh
FRONTEND_MEMBERSHIP_PORT=$fm
HISTORY_GRPC_PORT=$hg
HISTORY_MEMBERSHIP_PORT=$hm
MATCHING_GRPC_PORT=$mg
MATCHING_MEMBERSHIP_PORT=$mm
WORKER_GRPC_PORT=$wg
WORKER_MEMBERSHIP_PORT=$wm
PORTS
  fi
  set -a
  # shellcheck source=/dev/null
  . "$DIR/ports.env"
  set +a
}

start_postgres() {
  local pg
  pg=$(pg_bin)
  mkdir -p "$PGDATA" "$PGHOME/run" "$LOGS"
  [ "$(id -u)" -ne 0 ] || chown postgres "$PGHOME" "$PGDATA" "$PGHOME/run"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "creating the PostgreSQL cluster in $PGDATA"
    as_pg "$pg/initdb" -D "$PGDATA" -U postgres -A trust --no-sync >/dev/null
  fi
  if ! as_pg "$pg/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    as_pg "$pg/pg_ctl" -D "$PGDATA" -l "$PGHOME/postgres.log" -w -t 60 \
      -o "-p $DB_PORT -c listen_addresses=127.0.0.1 -k $PGHOME/run -c max_connections=200" start >/dev/null
  fi
  # Where the tests and the bench find PostgreSQL's main process (its data may live apart, above).
  head -1 "$PGDATA/postmaster.pid" >"$DIR/postgres.pid"
  psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='temporal'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$DB_PORT" -U postgres -qc "CREATE ROLE temporal LOGIN SUPERUSER PASSWORD 'temporal'"
}

# Temporal's own SQL tool creates both databases and brings their schemas to this version.
# POSTGRES_SEEDS names another PostgreSQL host (docker-compose.yml runs `cluster.sh schema` so).
setup_schema() {
  local db dir sql=("$BIN/temporal-sql-tool" --plugin postgres12 --ep "${POSTGRES_SEEDS:-127.0.0.1}" -p "$DB_PORT"
    -u "${POSTGRES_USER:-temporal}" --pw "${POSTGRES_PWD:-temporal}")
  mkdir -p "$LOGS"
  for db in temporal temporal_visibility; do
    dir=$CACHE/schema/temporal
    [ "$db" = temporal ] || dir=$CACHE/schema/visibility
    "${sql[@]}" --db "$db" create-database >/dev/null 2>&1 || true
    # setup-schema records version 0.0 once; on a database that has it, it fails harmlessly.
    "${sql[@]}" --db "$db" setup-schema -v 0.0 >"$LOGS/schema-$db.log" 2>&1 || true
    "${sql[@]}" --db "$db" update-schema -d "$dir/versioned" >>"$LOGS/schema-$db.log" 2>&1 || die "updating the $db schema failed; see $LOGS/schema-$db.log"
  done
}

start_temporal() {
  local address=127.0.0.1:$FRONTEND_GRPC_PORT
  if [ -f "$DIR/temporal.pid" ] && kill -0 "$(cat "$DIR/temporal.pid")" 2>/dev/null; then
    say "Temporal Server already runs (pid $(cat "$DIR/temporal.pid"))"
  else
    if [ -n "${CLUSTER_TLS_CERT:-}" ]; then
      export TEMPORAL_TLS_SERVER_CERT=$CLUSTER_TLS_CERT TEMPORAL_TLS_SERVER_KEY=$CLUSTER_TLS_KEY TEMPORAL_TLS_FRONTEND_CA=$CLUSTER_TLS_CA
    fi
    NUM_HISTORY_SHARDS=$SHARDS DYNAMIC_CONFIG_FILE_PATH=$ROOT/scripts/cluster/dynamicconfig.yaml \
      nohup "$BIN/temporal-server" --config-file "$ROOT/scripts/cluster/temporal.yaml" --allow-no-auth start \
      >"$LOGS/temporal.log" 2>&1 &
    echo $! >"$DIR/temporal.pid"
  fi
  # The namespace and Celerity's search attributes, by Celerity itself (as in docker-compose.yml).
  [ -f "$ROOT/dist/src/cli/main.js" ] || (cd "$ROOT" && npm run build --silent >/dev/null)
  [ -z "${CLUSTER_TLS_CERT:-}" ] || export TEMPORAL_TLS_SERVER_CA_CERT_PATH=$CLUSTER_TLS_CA TEMPORAL_TLS_SERVER_NAME=localhost
  TEMPORAL_ADDRESS=$address TEMPORAL_NAMESPACE=${TEMPORAL_NAMESPACE:-default} \
    node "$ROOT/dist/src/cli/main.js" setup --retention "$RETENTION" --wait 120 >"$LOGS/setup.log" 2>&1 ||
    die "Temporal Server did not come up; see $LOGS/temporal.log and $LOGS/setup.log"
  echo "$address" >"$DIR/address"
  say "Temporal Server $TEMPORAL_VERSION on $address ($SHARDS history shards), PostgreSQL on 127.0.0.1:$DB_PORT"
  echo "TEMPORAL_ADDRESS=$address"
}

stop() {
  if [ -f "$DIR/temporal.pid" ]; then
    local pid
    pid=$(cat "$DIR/temporal.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/temporal.pid"
  fi
  if [ -f "$PGDATA/PG_VERSION" ]; then as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA" -m fast stop >/dev/null 2>&1 || true; fi
  say "stopped"
}

status() {
  local running=no
  [ -f "$DIR/temporal.pid" ] && kill -0 "$(cat "$DIR/temporal.pid")" 2>/dev/null && running="yes (pid $(cat "$DIR/temporal.pid"))"
  echo "Temporal Server: $running; address $(cat "$DIR/address" 2>/dev/null || echo unknown)"
  [ -f "$PGDATA/PG_VERSION" ] && as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA" status | head -1 || echo "PostgreSQL: not created"
}

mkdir -p "$DIR"
case "${1:-}" in
  start) build; ports; start_postgres; setup_schema; start_temporal ;;
  stop) stop ;;
  status) status ;;
  build) build ;;
  schema) build; : "${DB_PORT:=5432}"; setup_schema ;;
  destroy) stop; rm -rf "$PGHOME/postgres" "$PGHOME/run" "$PGHOME/postgres.log" "$LOGS" "$DIR/ports.env" "$DIR/address"
    [ "$PGHOME" = "$DIR" ] || rmdir "$PGHOME" 2>/dev/null || true ;;
  *) echo "usage: $0 start|stop|status|build|destroy" >&2; exit 2 ;;
esac
