#!/usr/bin/env bash
# `make prod-smoke`: the production topology on this machine, without Docker,
# and one video through it end to end (deploy/smoke.py).
#
# PostgreSQL 15 and Redis on loopback; moto's S3 server for media (through
# django-storages, signed URLs included); gunicorn serving the app with DEBUG
# off, a fresh SECRET_KEY, ALLOWED_HOSTS=127.0.0.1 and collected static files;
# a CPU worker (queues default, tts, billing) and a render worker (queue gpu),
# one process and one thread each; the scheduler. Afterwards it stops Redis and
# checks that /readyz turns 503. Everything it started is stopped on exit.
# SMOKE_LOAD=1 (make bench) then stops the workers and load-tests the API
# (deploy/load.py): a video's status at 200 requests/s, video creation at 20/s.
# SMOKE_FAULTS=1 (make faults) then runs the fault suite (deploy/faults.py):
# PostgreSQL and Redis restarted, a worker killed, S3 down, ffmpeg killed and the
# work disk full, each while videos render; a lost or twice-charged video fails it.
# Logs stay in $SMOKE_KEEP (if set) for a look afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=$PWD/.venv/bin/python
BIN=$PWD/.venv/bin
pgbin=/usr/lib/postgresql/15/bin
work=$(mktemp -d /tmp/talkingads-smoke.XXXXXX)
t0=$(date +%s%N)
pids=()

say() { local ms=$(( ($(date +%s%N) - t0) / 1000000 )); printf 'prod-smoke: %4d.%d s  %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$*"; }
free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi; }
wait_port() { # port, name, pid: until it accepts connections (30 s)
  for _ in $(seq 300); do
    if (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    if [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null; then break; fi
    sleep 0.1
  done
  echo "prod-smoke: $2 did not start on port $1; its log:" >&2
  tail -n 40 "$work/$2.log" >&2 || true
  exit 1
}
start() { # name, command...: in its own session (process group), output to $work/name.log
  local name=$1; shift
  setsid "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  eval "pid_${name//-/_}=$!"
}
in_fg() { # command...: run it, but let a signal interrupt the wait (bash defers traps
  # while a foreground child runs); cleanup stops it like the rest.
  setsid "$@" &
  pids+=("$!")
  wait "$!"
}
stop_all() {
  local pid
  # SIGTERM to each leader only: gunicorn and dramatiq stop their children gracefully.
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 150); do  # up to 15 s for a graceful stop, then SIGKILL
    local alive=0
    for pid in "${pids[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  pids=()
}
cleanup() {
  local status=$?
  stop_all
  if [ -f "$work/extra.pids" ]; then  # processes the fault suite started
    while read -r pid; do kill -KILL -- "-$pid" 2>/dev/null || true; done <"$work/extra.pids"
  fi
  mountpoint -q "$work/tiny" 2>/dev/null && umount -l "$work/tiny" || true
  [ -f "$work/redis.pid" ] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl -D $work/pg -m immediate stop" >/dev/null 2>&1 || true
  if [ "$status" != 0 ]; then
    echo "prod-smoke: FAILED (exit $status); the last lines of each log:" >&2
    for log in "$work"/*.log; do
      [ -f "$log" ] && { echo "--- $log" >&2; tail -n 25 "$log" >&2; }
    done
  fi
  if [ -n "${SMOKE_KEEP:-}" ]; then
    mkdir -p "$SMOKE_KEEP" && cp "$work"/*.log "$SMOKE_KEEP"/ 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$pgbin/initdb" ] || { echo "prod-smoke: PostgreSQL 15 is missing: run make setup" >&2; exit 1; }
[ -x "$BIN/gunicorn" ] && [ -x "$BIN/moto_server" ] || {
  echo "prod-smoke: gunicorn or moto_server is missing from .venv: run make setup" >&2; exit 1; }

pg_port=$(free_port); redis_port=$(free_port); s3_port=$(free_port); web_port=$(free_port)

# PostgreSQL and Redis on loopback ------------------------------------------------
[ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg "$pgbin/initdb -D $work/pg -A trust -U postgres -E UTF8 >/dev/null"
as_pg "$pgbin/pg_ctl -D $work/pg -l $work/pg.log -w start -o '-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$work -c fsync=off -c full_page_writes=off -c synchronous_commit=off'" >/dev/null
"$pgbin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres talkingads
redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
  --daemonize yes --pidfile "$work/redis.pid" --logfile "$work/redis.log"
say "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port"

# S3-compatible storage: moto's server, with a private bucket ------------------------
start s3 "$BIN/moto_server" -H 127.0.0.1 -p "$s3_port"
wait_port "$s3_port" s3 "$pid_s3"

# The production settings ---------------------------------------------------------
export DJANGO_SETTINGS_MODULE=saas.settings
export DEBUG=false
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
METRICS_TOKEN=$("$PY" -c 'import secrets; print(secrets.token_hex(32))')
export SECRET_KEY METRICS_TOKEN
export ALLOWED_HOSTS=127.0.0.1 SITE_ROOT="http://127.0.0.1:$web_port"
export CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$web_port"
# No TLS proxy in front here: plain HTTP must not be redirected.
export SECURE_SSL_REDIRECT=false
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/talkingads"
export BROKER_URL="redis://127.0.0.1:$redis_port/0" CACHE_URL="redis://127.0.0.1:$redis_port/1"
export S3_BUCKET=talkingads-media S3_ENDPOINT_URL="http://127.0.0.1:$s3_port" S3_REGION=us-east-1
export S3_ACCESS_KEY_ID=smoke S3_SECRET_ACCESS_KEY=smoke-secret S3_ADDRESSING_STYLE=path
export DATA_DIR="$work/data" STATIC_ROOT="$work/static" LOG_FORMAT=json
export GUNICORN_BIND="127.0.0.1:$web_port" GUNICORN_WORKERS=2 GUNICORN_THREADS=2
export WORKER_HEARTBEAT_SECONDS=2 XDG_CONFIG_HOME="$work/config"
unset REDIS_URL
# The load test is one key: the per-workspace rate limit would answer it 429.
if [ -n "${SMOKE_LOAD:-}" ]; then export API_RATE_LIMIT=1000000/min; fi
# The fault suite waits for the sweeper: leases and lost messages are noticed in seconds.
if [ -n "${SMOKE_FAULTS:-}" ]; then export RENDER_LEASE_SECONDS=10 RENDER_QUEUED_RESEND_SECONDS=10; fi

"$PY" - <<'EOF'
import os

import boto3

boto3.client(
    "s3",
    endpoint_url=os.environ["S3_ENDPOINT_URL"],
    region_name=os.environ["S3_REGION"],
    aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
    aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
).create_bucket(Bucket=os.environ["S3_BUCKET"])
EOF
say "moto S3 on 127.0.0.1:$s3_port, bucket $S3_BUCKET"

in_fg "$PY" manage.py migrate --noinput -v 0
in_fg "$PY" manage.py collectstatic --noinput -v 0
say "migrated, static files collected"

# The app: gunicorn, two workers on separate queues, the scheduler -----------------
start web "$BIN/gunicorn" -c deploy/gunicorn.conf.py saas.wsgi
start worker-cpu "$PY" manage.py rundramatiq --queues default tts billing -p 1 -t 1
start worker-gpu "$PY" manage.py rundramatiq --queues gpu -p 1 -t 1
start scheduler "$PY" manage.py run_scheduler
wait_port "$web_port" web "$pid_web"
say "gunicorn on 127.0.0.1:$web_port, workers and scheduler started"

key=$("$PY" manage.py create_api_key --email smoke@example.com --name prod-smoke)
in_fg "$PY" deploy/smoke.py --base-url "http://127.0.0.1:$web_port" --key "$key" \
  --metrics-token="$METRICS_TOKEN" --worker-log "$work/worker-cpu.log" \
  --worker-log "$work/worker-gpu.log"

if [ -n "${SMOKE_LOAD:-}" ]; then
  kill -TERM "$pid_worker_cpu" "$pid_worker_gpu" 2>/dev/null || true  # queue only, no renders
  in_fg "$PY" deploy/load_setup.py --key "$key" --id-file "$work/video-id"
  # The server's CPU is counted: gunicorn (its workers), PostgreSQL (its backends), Redis.
  in_fg "$PY" deploy/load.py --base-url "http://127.0.0.1:$web_port" --key "$key" \
    --video "$(cat "$work/video-id")" --cpu-pid "$pid_web" \
    --cpu-pid "$(head -n 1 "$work/pg/postmaster.pid")" --cpu-pid "$(cat "$work/redis.pid")"
  say "load test done"
fi

if [ -n "${SMOKE_FAULTS:-}" ]; then
  in_fg "$PY" deploy/faults.py --base-url "http://127.0.0.1:$web_port" --key "$key" \
    --work "$work" --pg-bin "$pgbin" --pg-data "$work/pg" --redis-port "$redis_port" \
    --s3-port "$s3_port" --s3-pid "$pid_s3" --worker-cpu-pid "$pid_worker_cpu" \
    --worker-gpu-pid "$pid_worker_gpu"
  say "fault suite done"
fi

# Readiness must notice a broker that went away ----------------------------------
kill "$(cat "$work/redis.pid")"
rm -f "$work/redis.pid"
for _ in $(seq 50); do (echo >"/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null || break; sleep 0.1; done
"$PY" - "http://127.0.0.1:$web_port/readyz" "$METRICS_TOKEN" <<'EOF'
import json
import sys
import urllib.error
import urllib.request

request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"})
try:
    urllib.request.urlopen(request, timeout=20)
    sys.exit("prod-smoke: /readyz still answers 200 with Redis stopped")
except urllib.error.HTTPError as exc:
    checks = json.loads(exc.read())["checks"]
    assert exc.code == 503 and not checks["broker"]["ok"] and checks["database"]["ok"], checks
    print(f"prod-smoke: /readyz with Redis stopped: 503, broker: {checks['broker']['error']}")
EOF
grep -q '"type": "access"' "$work/web.log" || { echo "prod-smoke: no JSON access log" >&2; exit 1; }
say "passed"
