#!/usr/bin/env bash
# A throwaway reference deployment on this machine: PostgreSQL with PostGIS, N app replicas, nginx.
#   deploy/cluster.sh start N     (what `make cluster REPLICAS=N` runs)
#   deploy/cluster.sh stop        (what `make cluster-stop` runs)
# Everything lives under .cluster/ (git-ignored): the database files, logs, process ids, nginx's
# configuration, and .cluster/env with the database URL (for `set -a; . .cluster/env; set +a`, or a
# systemd EnvironmentFile). Loopback only: PostgreSQL on 127.0.0.1 (a free port), the replicas on
# 127.0.0.1:8661..., nginx on 127.0.0.1:8500.
set -euo pipefail
cd "$(dirname "$0")/.."

CLUSTER_DIR="$PWD/.cluster"
PY="${PY:-.venv/bin/python}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
NGINX_PORT="${NGINX_PORT:-8500}"
FIRST_REPLICA_PORT="${FIRST_REPLICA_PORT:-8661}"
MAX_REPLICAS=9  # ports 8661-8669
DATABASE=atlas

as_postgres() {
    # PostgreSQL refuses to run as root; as root, run its tools as the `postgres` user of Debian's package
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
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

start() {
    local replicas=${1:-2}
    if [ "$replicas" -lt 1 ] || [ "$replicas" -gt $MAX_REPLICAS ]; then
        echo "REPLICAS must be 1 to $MAX_REPLICAS" >&2; exit 2
    fi
    if [ -f "$CLUSTER_DIR/env" ]; then
        echo "a cluster is already running (.cluster/env exists): make cluster-stop first" >&2; exit 2
    fi
    mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/run"

    # 1. PostgreSQL with PostGIS, a fresh cluster on a free loopback port
    local pg_port pg_dir="$CLUSTER_DIR/postgres"
    pg_port=$(free_port)
    rm -rf "$pg_dir"
    mkdir -p "$pg_dir"
    [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
    as_postgres "$PG_BIN/initdb" -D "$pg_dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$CLUSTER_DIR/logs/initdb.log"
    as_postgres "$PG_BIN/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c max_connections=200" \
        start >/dev/null
    echo "$pg_port" >"$CLUSTER_DIR/run/postgres.port"
    as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres "$DATABASE"
    local url="postgresql://postgres@127.0.0.1:$pg_port/$DATABASE"
    echo "STANDORTATLAS_DATABASE_URL=$url" >"$CLUSTER_DIR/env"
    STANDORTATLAS_DATABASE_URL="$url" "$PY" -m geo db init

    # 2. the app replicas, each its own Streamlit process on 127.0.0.1. No file watcher: a served app does
    #    not reload its code when files change (a watcher would unload modules under running sessions).
    local servers="" port
    for index in $(seq 0 $((replicas - 1))); do
        port=$((FIRST_REPLICA_PORT + index))
        STANDORTATLAS_DATABASE_URL="$url" nohup "$PY" -m streamlit run serve.py \
            --server.address 127.0.0.1 --server.port "$port" --server.headless true \
            --server.fileWatcherType none \
            >"$CLUSTER_DIR/logs/replica-$port.log" 2>&1 &
        echo $! >"$CLUSTER_DIR/run/replica-$port.pid"
        servers+="        server 127.0.0.1:$port max_fails=1 fail_timeout=5s;"$'\n'
    done
    for index in $(seq 0 $((replicas - 1))); do
        wait_for_url "http://127.0.0.1:$((FIRST_REPLICA_PORT + index))/_stcore/health" 120
    done

    # 3. nginx in front, sticky sessions and websockets
    local prefix="$CLUSTER_DIR/nginx" user_line=""
    mkdir -p "$prefix/tmp"
    if [ "$(id -u)" = 0 ]; then
        user_line="user nobody nogroup;"
        chmod 1777 "$prefix/tmp"
    fi
    SERVERS="$servers" PREFIX="$prefix" LISTEN="127.0.0.1:$NGINX_PORT" USER_LINE="$user_line" "$PY" - <<'PYTHON'
import os
from pathlib import Path
template = Path("deploy/nginx-cluster.conf.template").read_text()
for key, value in (("@PREFIX@", os.environ["PREFIX"]), ("@LISTEN@", os.environ["LISTEN"]),
                   ("@SERVERS@", os.environ["SERVERS"].rstrip("\n")), ("@USER@", os.environ["USER_LINE"])):
    template = template.replace(key, value)
Path(os.environ["PREFIX"], "nginx.conf").write_text(template)
PYTHON
    nginx -t -q -c "$prefix/nginx.conf" -p "$prefix"
    nginx -c "$prefix/nginx.conf" -p "$prefix"
    wait_for_url "http://127.0.0.1:$NGINX_PORT/_stcore/health" 30
    echo "cluster up: http://127.0.0.1:$NGINX_PORT ($replicas replicas, database $url; see .cluster/env)"
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
    if [ -f "$CLUSTER_DIR/postgres/data/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/postgres/data" -m fast -w stop >/dev/null || true
    fi
    # everything goes except the load test's results (.cluster/results/)
    [ -d "$CLUSTER_DIR" ] && find "$CLUSTER_DIR" -mindepth 1 -maxdepth 1 ! -name results -exec rm -rf {} +
    echo "cluster stopped"
}

case "${1:-}" in
    start) start "${2:-2}" ;;
    stop) stop ;;
    *) echo "usage: deploy/cluster.sh start N | stop" >&2; exit 2 ;;
esac
