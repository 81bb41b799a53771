#!/usr/bin/env bash
# make bench: the registration rush (bench/README.md). Everything runs on 127.0.0.1 and is
# stopped at the end: a throwaway PostgreSQL (durable settings, like a stock install), the
# booking transaction's raw ceiling with pgbench, the app server docs/OPERATIONS.md recommends,
# then the rush alone and the rush with 100 readers. Results in var/bench/, a line in
# docs/PERFORMANCE.md.
#
# Knobs (env): ATTEMPTS=5000 CONCURRENCY=100 READERS=100 SESSIONS=50 PLACES=20
#              REPEATS=5 (the rush round's repeats, each on a fresh season; rush.json is the median)
#              WARM_UP=300 (booking attempts on a season of their own before the first round)
#              USERS=(REPEATS+1)*ATTEMPTS+WARM_UP (every repeat and the browse round have users of their own)
#              SERVER=granian|gunicorn WORKERS=cores+1 (granian) or 2*cores+1 (gunicorn)
#              THREADS=2 (granian's blocking threads per worker) or 1 (gunicorn) WORKER_CLASS=sync (gunicorn)
#              PYSPY=1 (sample the app server with py-spy into var/bench/pyspy-<round>.txt)
#              PGBENCH_T=20 NO_DOC=1 (skip the table line)
#              ROUNDS="rush browse" PROFILE=1 (CPU per request + cProfile instead of the rounds)
#              SCENARIO=figures: instead of the rush, the figures pages at ten years of Moscow-scale
#              data (issue 9, bench/figures.py); its knobs: SCALE=1 SEED=9 WARM=20 (warm requests
#              per page); results in var/bench/figures.json and a line in docs/PERFORMANCE.md
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv dev

ATTEMPTS="${ATTEMPTS:-5000}"
CONCURRENCY="${CONCURRENCY:-100}"
READERS="${READERS:-100}"
SESSIONS="${SESSIONS:-50}"
PLACES="${PLACES:-20}"
if [ "${PROFILE:-0}" = 1 ]; then REPEATS=1 WARM_UP=0; fi  # in-process: no rounds are run
REPEATS="${REPEATS:-5}"
WARM_UP="${WARM_UP:-300}"
MEASURED=$(((REPEATS + 1) * ATTEMPTS))  # the rush repeats' users, then the browse round's
USERS="${USERS:-$((MEASURED + WARM_UP))}"
CORES="$(nproc)"
SERVER="${SERVER:-granian}"
if [ "$SERVER" = granian ]; then
  WORKERS="${WORKERS:-$((CORES + 1))}"  # docs/OPERATIONS.md
else
  WORKERS="${WORKERS:-$((2 * CORES + 1))}"
fi
WORKER_CLASS="${WORKER_CLASS:-sync}"
if [ "$SERVER" = granian ]; then THREADS="${THREADS:-2}"; else THREADS="${THREADS:-1}"; fi
PGBENCH_T="${PGBENCH_T:-20}"
OUT="$ROOT/var/bench"
PY="$VENV/bin/python"
mkdir -p "$OUT"

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# PostgreSQL as a stock install runs it (fsync and synchronous_commit on), unlike the test
# cluster of scripts/lib.sh, which trades durability for speed.
BENCH_TMP="$(mktemp -d /tmp/mosprom-bench.XXXXXX)"
PG_BINDIR="$(pg_bindir)"
RUNAS=()
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$BENCH_TMP"; RUNAS=(runuser -u postgres --); fi
PG_PORT="$(free_port)"
SERVER_PID=""
VMSTAT_PID=""
cleanup() {
  [ -n "$VMSTAT_PID" ] && kill "$VMSTAT_PID" 2>/dev/null || true
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
  fi
  "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$BENCH_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
  cp "$BENCH_TMP/server.log" "$OUT/postgres.log" 2>/dev/null || true
  rm -rf "$BENCH_TMP"
}
trap cleanup EXIT INT TERM

say "PostgreSQL (durable settings) on 127.0.0.1:$PG_PORT"
"${RUNAS[@]}" "$PG_BINDIR/initdb" -D "$BENCH_TMP/data" -U mosprom --auth=trust --encoding=UTF8 \
  --locale=C.UTF-8 >"$BENCH_TMP/initdb.log" 2>&1 || { cat "$BENCH_TMP/initdb.log" >&2; exit 1; }
"${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$BENCH_TMP/data" -l "$BENCH_TMP/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $BENCH_TMP -c max_connections=100 -c shared_buffers=128MB -c log_autovacuum_min_duration=0 -c log_line_prefix='%m '" \
  start >/dev/null || { cat "$BENCH_TMP/server.log" >&2; exit 1; }
"$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U mosprom mosprom
"$PG_BINDIR/createdb" -h 127.0.0.1 -p "$PG_PORT" -U mosprom pgbench

# Production settings over plain HTTP on loopback.
export MOSPROM_MODE=production MOSPROM_TESTING=0 DEBUG=0 LOG_LEVEL=WARNING
export MOSPROM_VAR_DIR="$BENCH_TMP/var" STATIC_ROOT="$BENCH_TMP/static" MEDIA_ROOT="$BENCH_TMP/media"
export DATABASE_URL="postgres://mosprom@127.0.0.1:$PG_PORT/mosprom"
export DB_CONN_MAX_AGE="${DB_CONN_MAX_AGE:-600}"
export SECRET_KEY="$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')"
export FIELD_ENCRYPTION_KEY="$("$PY" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SECURE_HSTS_SECONDS=0 TASKS_BACKEND=database
# Every attempt comes from 127.0.0.1: bench/settings.py raises the per-IP limits (the limiter
# stays on; per-account limits are never reached with one attempt per user).
export DJANGO_SETTINGS_MODULE=bench.settings

if [ "${SCENARIO:-rush}" = figures ]; then
  say "Migrating, static files; ten years of records (bench/figures.py, scale ${SCALE:-1}, seed ${SEED:-9})"
  "$PY" manage.py migrate --noinput -v0
  "$PY" manage.py collectstatic --noinput -v0
  "$PY" -m bench.figures generate --scale "${SCALE:-1}" --seed "${SEED:-9}" --out "$OUT/figures-data.json"
  # Empty shared buffers: the first request of the first page reads from the OS cache.
  "${RUNAS[@]}" "$PG_BINDIR/pg_ctl" -D "$BENCH_TMP/data" -l "$BENCH_TMP/server.log" -m fast -w -t 60 \
    restart >/dev/null
  say "Timing the figures pages in-process as an organiser (${WARM:-20} warm requests each)"
  "$PY" -m bench.figures measure --rounds "${WARM:-20}" --data "$OUT/figures-data.json" --out "$OUT/figures.json"
  [ "${NO_DOC:-0}" = 1 ] || "$PY" -m bench.figures doc --result "$OUT/figures.json"
  say "Results: var/bench/figures.json"
  exit 0
fi

say "Migrating, static files, bench data ($USERS users, $SESSIONS × $PLACES places, $REPEATS rush repeats + browse)"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" -m bench.fixtures users --count "$USERS" --out "$OUT/users.json"
RUSH_ROUNDS=""
for i in $(seq 1 "$REPEATS"); do
  RUSH_ROUNDS="$RUSH_ROUNDS rush-$i"
  "$PY" -m bench.fixtures sessions --label "rush-$i" --sessions "$SESSIONS" --places "$PLACES" --out "$OUT/sessions-rush-$i.json"
done
cp "$OUT/sessions-rush-1.json" "$OUT/sessions-rush.json"  # PROFILE=1 reads it
"$PY" -m bench.fixtures sessions --label browse --sessions "$SESSIONS" --places "$PLACES" --out "$OUT/sessions-browse.json"
# The warm-up's season: half its attempts get a place, half are refused.
"$PY" -m bench.fixtures sessions --label warm --sessions 5 --places "$(((WARM_UP + 9) / 10 + 1))" \
  --out "$OUT/sessions-warm.json"

if [ "${PROFILE:-0}" = 1 ]; then
  "$PY" -m bench.profile "$OUT" | tee "$OUT/profile.txt"
  exit 0
fi

say "pgbench: the booking transaction without the web stack (32 clients, 50 rows, ${PGBENCH_T}s)"
export PGOPTIONS="-c client_min_messages=warning"
PGB=(psql -q -h 127.0.0.1 -p "$PG_PORT" -U mosprom pgbench)
"${PGB[@]}" -f bench/pgbench/schema.sql
"$PG_BINDIR/pgbench" -h 127.0.0.1 -p "$PG_PORT" -U mosprom -n -M prepared -c 32 -j 2 -T "$PGBENCH_T" \
  -f bench/pgbench/booking_txn.sql pgbench >"$OUT/pgbench.txt" 2>&1
"$PY" - "$OUT/pgbench.txt" "$OUT/pgbench.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read()
tps = float(re.search(r"tps = ([0-9.]+)", text).group(1))
lat = re.search(r"latency average = ([0-9.]+) ms", text)
json.dump({"tps": round(tps, 1), "latency_avg_ms": float(lat.group(1)) if lat else None,
           "clients": 32, "rows": 50, "script": "bench/pgbench/booking_txn.sql"}, open(sys.argv[2], "w"))
print(f"pgbench: {tps:.0f} booking transactions/s")
PY

GPORT="$(free_port)"
BASE="http://127.0.0.1:$GPORT"
if [ "$SERVER" = granian ]; then
  SERVER_DESC="granian wsgi ×$WORKERS (blocking threads $THREADS)"
  say "granian config.wsgi: $WORKERS workers (blocking threads $THREADS) on $BASE"
  "$VENV/bin/granian" --interface wsgi config.wsgi:application --workers "$WORKERS" \
    --blocking-threads "$THREADS" --host 127.0.0.1 --port "$GPORT" --backlog 2048 --no-ws \
    --log-level warning >"$OUT/server.log" 2>&1 &
else
  SERVER_DESC="gunicorn $WORKER_CLASS ×$WORKERS (threads $THREADS)"
  say "gunicorn config.wsgi: $WORKERS $WORKER_CLASS workers (threads $THREADS) on $BASE"
  "$VENV/bin/gunicorn" config.wsgi --workers "$WORKERS" --worker-class "$WORKER_CLASS" --threads "$THREADS" \
    --bind "127.0.0.1:$GPORT" --backlog 2048 --log-level warning >"$OUT/server.log" 2>&1 &
fi
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$BASE/api/v1/tourism/sessions?limit=1" 2>/dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log" >&2; exit 1; }
  sleep 0.2
done

# What else used the CPU when a round started (other people's test runs share the machine).
others() { ps -eo pcpu=,args= --sort=-pcpu | awk '!/gunicorn|granian|postgres|bench\.|ps -eo|awk/ && n++ < 5 {print substr($0, 1, 100)}' || true; }

round() {  # round NAME READERS TOKEN_OFFSET (sessions from sessions-NAME.json)
  local name=$1 readers=$2 offset=$3
  say "Round '$name': $ATTEMPTS attempts, $CONCURRENCY clients, $readers readers"
  others >"$OUT/others-$name.txt"
  "$PY" -m bench.cpu snap >"$OUT/cpu0-$name.json"
  vmstat 1 >"$OUT/vmstat-$name.txt" & VMSTAT_PID=$!
  SPY_PID=""
  if [ "${PYSPY:-0}" = 1 ]; then  # where the app server's CPU goes, sampled (py-spy, dev tools)
    "$VENV/bin/py-spy" record --subprocesses --nonblocking --gil --format raw --rate 100 -p "$SERVER_PID" \
      -o "$OUT/pyspy-$name.txt" >/dev/null 2>&1 & SPY_PID=$!
  fi
  /usr/bin/time -f '{"user_s": %U, "sys_s": %S, "elapsed_s": %e}' -o "$OUT/loadcpu-$name.json" \
    "$PY" -m bench.rush load --base "$BASE" --users "$OUT/users.json" --sessions "$OUT/sessions-$name.json" \
    --attempts "$ATTEMPTS" --concurrency "$CONCURRENCY" --readers "$readers" --token-offset "$offset" --out "$OUT/load-$name.json"
  kill "$VMSTAT_PID"; VMSTAT_PID=""
  if [ -n "$SPY_PID" ]; then kill -INT "$SPY_PID"; wait "$SPY_PID" || true; fi
  "$PY" - "$OUT" "$name" <<'PY'
import json, subprocess, sys
out, name = sys.argv[1], sys.argv[2]
cpu = json.loads(subprocess.run([sys.executable, "-m", "bench.cpu", "diff", f"{out}/cpu0-{name}.json"],
                                capture_output=True, text=True, check=True).stdout)
rows = [l.split() for l in open(f"{out}/vmstat-{name}.txt") if l.split() and l.split()[0].isdigit()][1:]
vm = {k: round(sum(int(r[i]) for r in rows) / len(rows)) for k, i in (("us", 12), ("sy", 13), ("id", 14), ("wa", 15))} if rows else {}
loadgen = json.load(open(f"{out}/loadcpu-{name}.json"))
# The load generator has exited by now: its CPU comes from /usr/bin/time, not from /proc.
cpu["loadgen"] = round(loadgen["user_s"] + loadgen["sys_s"], 1)
cpu["everything_else"] = round(cpu["machine_busy"] - cpu["server"] - cpu["postgres"] - cpu["loadgen"], 1)
json.dump({"cpu_seconds": cpu, "loadgen": loadgen, "vmstat_mean_pct": vm,
           "busiest_other_processes_at_start": open(f"{out}/others-{name}.txt").read().splitlines()},
          open(f"{out}/cpu-{name}.json", "w"), indent=1)
PY
  "$PY" -m bench.rush report --scenario "$name" --load "$OUT/load-$name.json" \
    --sessions "$OUT/sessions-$name.json" --pgbench "$OUT/pgbench.json" --cpu "$OUT/cpu-$name.json" \
    --meta "$OUT/meta.json" --warm "$OUT/warm.json" --out "$OUT/$name.json"
}

"$PY" - "$OUT/meta.json" "$SERVER_DESC" <<'PY'
import json, platform, subprocess, sys, datetime
model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next(int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal"))
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = bool(subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout.strip())
json.dump({"date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
           "commit": commit + ("+dirty" if dirty else ""),
           "machine": f"{subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} vCPU {model}, {mem // 1024 // 1024} GiB",
           "server": sys.argv[2],
           "python": platform.python_version()}, open(sys.argv[1], "w"))
PY

say "Warm-up: $WARM_UP booking attempts on a season of their own (not timed, not counted)"
"$PY" -m bench.rush warm --base "$BASE" --users "$OUT/users.json" --sessions "$OUT/sessions-warm.json" \
  --attempts "$WARM_UP" --keep "$MEASURED" --out "$OUT/warm.json"

ROUNDS="${ROUNDS:-rush browse}"
for name in $ROUNDS; do
  if [ "$name" = browse ]; then
    round browse "$READERS" "$((REPEATS * ATTEMPTS))"
  else
    offset=0 repeats=()
    for repeat in $RUSH_ROUNDS; do
      round "$repeat" 0 "$offset"
      offset=$((offset + ATTEMPTS)) repeats+=("$OUT/$repeat.json")
    done
    "$PY" -m bench.rush combine --out "$OUT/rush.json" "${repeats[@]}"
  fi
done
[ "$ROUNDS" = "rush browse" ] || { say "Results: var/bench/{$ROUNDS}.json (no table line for a partial run)"; exit 0; }

"$PY" - "$OUT" "${NO_DOC:-0}" <<'PY'
import json, sys
out, no_doc = sys.argv[1], sys.argv[2] == "1"
rush = json.load(open(f"{out}/rush.json"))
browse = json.load(open(f"{out}/browse.json"))
rush["browse_round"] = {k: browse.get(k) for k in ("confirmed_per_s", "latency_ms", "codes", "overbooked",
                                                   "server_errors", "browse")}
json.dump(rush, open(f"{out}/rush.json", "w"), indent=1, ensure_ascii=False)
m, lc, lr = rush["meta"], rush["latency_ms"]["confirmed"], rush["latency_ms"]["refused"]
pages = browse.get("browse", {})
cal = next((v["latency_ms"] for k, v in pages.items() if k == "/tours/"), {})
exp = next((v["latency_ms"] for k, v in pages.items() if k != "/tours/"), {})
lg = rush["cpu"]["loadgen"]
# The median repeat's figures; the spread of the repeats and their worst p99 beside them.
repeats = rush.get("repeats", [])
spread = ""
if len(repeats) > 1:
    lo, hi = rush["confirmed_per_s_range"]
    spread = f" ({lo}–{hi}, median of {len(repeats)})"
def worst(kind):
    return f" (worst {rush['latency_p99_max_ms'][kind]})" if len(repeats) > 1 else ""
line = (f"| {m['date']} | {m['commit']} | {m['machine']} | {m['server']} | {rush['attempts']} | "
        f"**{rush['confirmed_per_s']}**{spread} | {rush['attempts_per_s']} | {lc['p50']}/{lc['p95']}/{lc['p99']}{worst('confirmed')} | "
        f"{lr['p50']}/{lr['p95']}/{lr['p99']}{worst('refused')} | {rush['overbooked']} | {rush['server_errors']} | "
        f"{rush['pgbench']['tps']:.0f} ({rush['pgbench_ratio']:.1%}) | "
        f"{browse['confirmed_per_s']} · {cal.get('p50')}/{cal.get('p99')} · {exp.get('p50')}/{exp.get('p99')} | "
        f"{lg['user_s'] + lg['sys_s']:.1f} s |")
print(line)
if not no_doc:
    with open("docs/PERFORMANCE.md", "a") as f:
        f.write(line + "\n")
PY
say "Results: var/bench/rush.json, var/bench/browse.json"
