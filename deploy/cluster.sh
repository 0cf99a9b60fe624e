#!/usr/bin/env bash
# A throwaway reference deployment on this machine: PostgreSQL with PostGIS, N app replicas, nginx.
#   deploy/cluster.sh start N     (what `make cluster REPLICAS=N` runs)
#   deploy/cluster.sh stop        (what `make cluster-stop` runs)
#   deploy/cluster.sh db-stop | db-start   (stop or start only PostgreSQL: the load test's database outage)
# Everything lives under .cluster/ (git-ignored; CLUSTER_DIR chooses another folder): the database files,
# logs, process ids, nginx's configuration, and .cluster/env with the app's database URL (for
# `set -a; . .cluster/env; set +a`, or a systemd EnvironmentFile); .cluster/migrate.env has the migration
# role's URL for `python -m geo db init`.
#
# The database is set up as docs/deployment.md asks for production: no TCP port at all, only a unix socket
# in a folder that only the cluster's user can enter; the superuser `postgres` only by peer authentication
# (the operating-system user that runs the cluster), without a password; the app as role `atlas_app`
# (scram-sha-256 password; reads the sites and makes the writes of an import, undo and restore, nothing
# else: no superuser, no DDL, no COPY TO/FROM PROGRAM) and the schema migrations as role `atlas_migrate`,
# owner of the database, also no superuser. The replicas listen on 127.0.0.1:8661...; nginx on
# 127.0.0.1:8500 with the security headers of deploy/nginx-cluster.conf.template. EMBED_ANCESTORS lists the
# websites (origins, space-separated) that may frame the embed page.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_DIR="${CLUSTER_DIR:-$PWD/.cluster}"
PY="${PY:-.venv/bin/python}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
PG_PORT="${PG_PORT:-5432}"  # names the socket file (.s.PGSQL.<port>); nothing listens on TCP
NGINX_PORT="${NGINX_PORT:-8500}"
FIRST_REPLICA_PORT="${FIRST_REPLICA_PORT:-8661}"
EMBED_ANCESTORS="${EMBED_ANCESTORS:-}"
MAX_REPLICAS=9  # ports 8661-8669
DATABASE=atlas
APP_ROLE=atlas_app
MIGRATION_ROLE=atlas_migrate
PG_DIR="$CLUSTER_DIR/postgres"  # the data folder and the socket's folder

is_root() { [ "$(id -u)" = 0 ]; }

as_postgres() {
    # PostgreSQL refuses to run as root; as root, run its tools as the `postgres` user of Debian's package
    if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

wait_for_url() {  # url, seconds
    local deadline=$((SECONDS + $2))
    until "$PY" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)" "$1" 2>/dev/null; do
        if [ $SECONDS -ge $deadline ]; then echo "no answer from $1 after $2 s" >&2; return 1; fi
        sleep 0.5
    done
}

stop_pid_file() {  # stop the process whose id is in the file (ours), wait until it is gone
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

pg_start() {
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses='' -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c max_connections=200" \
        start >/dev/null
}

pg_stop() {
    if [ -f "$PG_DIR/data/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null || true
    fi
}

admin_sql() {  # database; the SQL on stdin, run as the superuser over the socket (peer authentication)
    as_postgres "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres -d "$1"
}

database_url() {  # role, password: a URL over the socket, the socket's folder as the URL-quoted host (libpq's
    # form; no `&` that a shell sourcing .cluster/env would take for a command of its own)
    "$PY" -c 'import sys, urllib.parse as u
role, password, folder, port, name = sys.argv[1:]
print(f"postgresql://{role}:{u.quote(password, safe=str())}@{u.quote(folder, safe=str())}:{port}/{name}")' \
        "$1" "$2" "$PG_DIR" "$PG_PORT" "$DATABASE"
}

start_database() {
    # a fresh cluster; only its user (or root) can enter the folder that holds the data and the socket
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    local os_user
    os_user=$(id -un)
    if is_root; then chown postgres "$PG_DIR"; os_user=postgres; fi
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth-local=peer --auth-host=reject \
        --encoding=UTF8 --locale=C.UTF-8 >"$CLUSTER_DIR/logs/initdb.log"
    # Who may log in, and how (the first matching line counts): the superuser only as the cluster's own
    # operating-system user; the two atlas roles with their passwords; nobody else, and nothing over TCP.
    cat >"$PG_DIR/data/pg_hba.conf" <<HBA
# written by deploy/cluster.sh
# TYPE  DATABASE     USER                          METHOD
local   all          postgres                      peer map=cluster_admin
local   $DATABASE        $APP_ROLE,$MIGRATION_ROLE       scram-sha-256
HBA
    printf '# written by deploy/cluster.sh: MAP  SYSTEM-USER  DATABASE-USER\ncluster_admin  %s  postgres\n' \
        "$os_user" >"$PG_DIR/data/pg_ident.conf"
    if is_root; then chown postgres "$PG_DIR/data/pg_hba.conf" "$PG_DIR/data/pg_ident.conf"; fi
    pg_start

    local app_password migration_password
    app_password=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
    migration_password=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(24))')
    # passwords on stdin, never on a command line; stored as scram-sha-256 (PostgreSQL 15's default)
    admin_sql postgres <<SQL
SET password_encryption = 'scram-sha-256';
CREATE ROLE $MIGRATION_ROLE LOGIN PASSWORD '$migration_password';
CREATE ROLE $APP_ROLE LOGIN PASSWORD '$app_password';
CREATE DATABASE $DATABASE OWNER $MIGRATION_ROLE;
REVOKE ALL ON DATABASE $DATABASE FROM PUBLIC;
GRANT CONNECT ON DATABASE $DATABASE TO $APP_ROLE;
SQL
    echo 'CREATE EXTENSION postgis;' | admin_sql "$DATABASE"  # PostGIS needs a superuser, once
    local app_url migration_url
    app_url=$(database_url "$APP_ROLE" "$app_password")
    migration_url=$(database_url "$MIGRATION_ROLE" "$migration_password")
    (umask 077
     echo "STANDORTATLAS_DATABASE_URL=$app_url" >"$CLUSTER_DIR/env"
     echo "STANDORTATLAS_DATABASE_URL=$migration_url" >"$CLUSTER_DIR/migrate.env")
    # the schema as its owner, then the app role's rights on it (docs/deployment.md, "PostgreSQL")
    STANDORTATLAS_DATABASE_URL="$migration_url" "$PY" -m geo db init --app-role "$APP_ROLE"
}

render_nginx_conf() {  # servers, prefix, user line
    local tile_sources
    tile_sources=$("$PY" -c 'from geo.maps.tiles import tile_source; print(tile_source().csp_source)')
    SERVERS="$1" PREFIX="$2" LISTEN="127.0.0.1:$NGINX_PORT" USER_LINE="$3" ANCESTORS="$EMBED_ANCESTORS" \
        TILES="$tile_sources" "$PY" - <<'PYTHON'
import os
import re
from pathlib import Path

ancestors = os.environ["ANCESTORS"].split()
for origin in ancestors:  # each goes into nginx's configuration and a header: nothing but an origin
    if not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?", origin):
        raise SystemExit(f"EMBED_ANCESTORS: {origin!r} is not an origin such as https://www.example.de")
template = Path("deploy/nginx-cluster.conf.template").read_text()
for key, value in (("@PREFIX@", os.environ["PREFIX"]), ("@LISTEN@", os.environ["LISTEN"]),
                   ("@SERVERS@", os.environ["SERVERS"].rstrip("\n")), ("@USER@", os.environ["USER_LINE"]),
                   ("@EMBED_ANCESTORS@", " ".join(ancestors)), ("@TILE_SOURCES@", os.environ["TILES"])):
    template = template.replace(key, value)
Path(os.environ["PREFIX"], "nginx.conf").write_text(template)
PYTHON
}

start() {
    local replicas=${1:-2}
    if [ "$replicas" -lt 1 ] || [ "$replicas" -gt $MAX_REPLICAS ]; then
        echo "REPLICAS must be 1 to $MAX_REPLICAS" >&2; exit 2
    fi
    if [ -f "$CLUSTER_DIR/env" ]; then
        echo "a cluster is already running ($CLUSTER_DIR/env exists): make cluster-stop first" >&2; exit 2
    fi
    mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/run"

    # 1. PostgreSQL with PostGIS, a fresh cluster on a private socket, the roles, the schema and the data
    start_database
    local url
    url=$(sed -n 's/^STANDORTATLAS_DATABASE_URL=//p' "$CLUSTER_DIR/env")

    # 2. the app replicas, each its own Streamlit process on 127.0.0.1. No file watcher: a served app does
    #    not reload its code when files change (a watcher would unload modules under running sessions).
    #    nginx on this machine is their proxy: its X-Forwarded-For names the real client of a staff login.
    local servers="" port
    for index in $(seq 0 $((replicas - 1))); do
        port=$((FIRST_REPLICA_PORT + index))
        STANDORTATLAS_DATABASE_URL="$url" STANDORTATLAS_TRUSTED_PROXIES="127.0.0.1" nohup "$PY" -m streamlit run serve.py \
            --server.address 127.0.0.1 --server.port "$port" --server.headless true \
            --server.fileWatcherType none \
            >"$CLUSTER_DIR/logs/replica-$port.log" 2>&1 &
        echo $! >"$CLUSTER_DIR/run/replica-$port.pid"
        servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    done
    for index in $(seq 0 $((replicas - 1))); do
        wait_for_url "http://127.0.0.1:$((FIRST_REPLICA_PORT + index))/_stcore/health" 120
    done

    # 3. nginx in front: sticky sessions, websockets, security headers
    local prefix="$CLUSTER_DIR/nginx" user_line=""
    mkdir -p "$prefix/tmp"
    if is_root; then
        user_line="user nobody nogroup;"
        chmod 1777 "$prefix/tmp"
    fi
    render_nginx_conf "$servers" "$prefix" "$user_line"
    nginx -t -q -c "$prefix/nginx.conf" -p "$prefix"
    nginx -c "$prefix/nginx.conf" -p "$prefix"
    wait_for_url "http://127.0.0.1:$NGINX_PORT/_stcore/health" 30
    echo "cluster up: http://127.0.0.1:$NGINX_PORT ($replicas replicas; database on the socket in $PG_DIR," \
         "app role $APP_ROLE: $CLUSTER_DIR/env)"
}

stop() {
    local prefix="$CLUSTER_DIR/nginx"
    if [ -f "$prefix/nginx.pid" ]; then
        nginx -c "$prefix/nginx.conf" -p "$prefix" -s quit 2>/dev/null || stop_pid_file "$prefix/nginx.pid"
        for _ in $(seq 50); do [ -f "$prefix/nginx.pid" ] || break; sleep 0.1; done
    fi
    for file in "$CLUSTER_DIR"/run/replica-*.pid; do
        [ -e "$file" ] && stop_pid_file "$file"
    done
    pg_stop
    # everything goes except the load test's results (.cluster/results/)
    [ -d "$CLUSTER_DIR" ] && find "$CLUSTER_DIR" -mindepth 1 -maxdepth 1 ! -name results -exec rm -rf {} +
    echo "cluster stopped"
}

case "${1:-}" in
    start) start "${2:-2}" ;;
    stop) stop ;;
    db-stop) pg_stop ;;
    db-start) pg_start ;;
    *) echo "usage: deploy/cluster.sh start N | stop | db-stop | db-start" >&2; exit 2 ;;
esac
