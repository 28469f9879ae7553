#!/usr/bin/env bash
# Start K dashboard processes and Debian's nginx in front of them, with session affinity.
#
#   bash scripts/serve-replicas.sh [K]        # K processes (default 2) + nginx on one machine
#
# Settings (environment variables):
#   PORT=8501         port nginx listens on (the address users open)
#   ADDRESS=127.0.0.1 address nginx listens on (0.0.0.0: reachable from other machines)
#   APP_PORT=8601     port of the first process; the others use the ports after it
#   RUN_DIR=…         folder for nginx.conf, pid files and logs (default: a new temp folder)
#   SBD_ROLE=all      all: processes + nginx (default); app: ONE process on ADDRESS:PORT;
#                     balancer: only nginx, in front of UPSTREAMS ("host:port host:port")
#                     — compose.yaml uses the last two, each in its own container
#   SBD_NO_SETUP=1    do not run scripts/setup-env.sh (the server image: packages built in)
# Stop with Ctrl+C or SIGTERM: the script stops nginx and every process it started.
set -euo pipefail
cd "$(dirname "$0")/.."

REPLICAS="${1:-${REPLICAS:-2}}"
PORT="${PORT:-8501}"
ADDRESS="${ADDRESS:-127.0.0.1}"
APP_PORT="${APP_PORT:-8601}"
ROLE="${SBD_ROLE:-all}"
RUN_DIR="${RUN_DIR:-$(mktemp -d -t sociale-basis-XXXXXX)}"
mkdir -p "$RUN_DIR"

if [ -z "${SBD_NO_SETUP:-}" ] && [ "$ROLE" != "balancer" ]; then
    bash scripts/setup-env.sh requirements.txt
fi
PY="${SBD_PYTHON:-.venv/bin/python}"
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

app_command() {  # app_command ADDRESS PORT: one Streamlit process (ui/serve.py: app.py, warm)
    APP_CMD=("$PY" -m ui.serve --server.address "$1" --server.port "$2"
        --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false)
}

write_conf() {  # write_conf "host:port host:port …": fill deploy/nginx.conf.template
    local servers="" extra="" upstream conf
    for upstream in $1; do
        servers+="        server ${upstream} max_fails=1 fail_timeout=10s;"$'\n'
    done
    if [ -n "${SBD_DEBUG_UPSTREAM:-}" ]; then  # tests: which process answered
        extra='        add_header X-Sbd-Upstream $upstream_addr always;'
    fi
    conf="$(<deploy/nginx.conf.template)"
    conf="${conf//@@RUN_DIR@@/$RUN_DIR}"
    conf="${conf//@@LISTEN@@/$ADDRESS:$PORT}"
    conf="${conf//@@UPSTREAM_SERVERS@@/${servers%$'\n'}}"
    conf="${conf//@@EXTRA_HEADERS@@/$extra}"
    printf '%s\n' "$conf" >"$RUN_DIR/nginx.conf"
    "$NGINX" -t -q -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log"
}

wait_healthy() {  # wait_healthy URL SECONDS
    "$PY" - "$1" "$2" <<'PYEOF'
import sys, time, urllib.request
url, deadline = sys.argv[1], time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            if resp.read() == b"ok":
                sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit(f"{url} antwoordt niet")
PYEOF
}

case "$ROLE" in
app)
    app_command "$ADDRESS" "$PORT"
    exec "${APP_CMD[@]}"
    ;;
balancer)
    write_conf "${UPSTREAMS:?zet UPSTREAMS, bijvoorbeeld UPSTREAMS='app:8501'}"
    exec "$NGINX" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" -g 'daemon off;'
    ;;
all) ;;
*)
    echo "Onbekende SBD_ROLE '$ROLE' (kies all, app of balancer)." >&2
    exit 2
    ;;
esac

if [ ! -x "$NGINX" ]; then
    echo "nginx ontbreekt. Installeer het met: sudo apt-get install nginx" >&2
    exit 1
fi

PIDS=()
stop_all() {
    trap - EXIT INT TERM
    [ -f "$RUN_DIR/nginx.pid" ] && kill -QUIT "$(cat "$RUN_DIR/nginx.pid")" 2>/dev/null || true
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 0' INT TERM

UPSTREAM_LIST=""
for ((i = 0; i < REPLICAS; i++)); do
    port=$((APP_PORT + i))
    app_command 127.0.0.1 "$port"
    "${APP_CMD[@]}" >"$RUN_DIR/app-$i.log" 2>&1 &
    PIDS+=("$!")
    echo "$!" >"$RUN_DIR/app-$i.pid"
    UPSTREAM_LIST+="127.0.0.1:$port "
done
write_conf "$UPSTREAM_LIST"
"$NGINX" -c "$RUN_DIR/nginx.conf" -e "$RUN_DIR/nginx-error.log" -g 'daemon off;' &
PIDS+=("$!")
for ((i = 0; i < REPLICAS; i++)); do
    wait_healthy "http://127.0.0.1:$((APP_PORT + i))/_stcore/health" 180
done
wait_healthy "http://$ADDRESS:$PORT/_stcore/health" 30
echo "Het dashboard draait op http://$ADDRESS:$PORT met $REPLICAS processen (map: $RUN_DIR)."
echo "ready" >"$RUN_DIR/ready"
wait "${PIDS[-1]}"  # nginx; a stopped app process does not end the script
