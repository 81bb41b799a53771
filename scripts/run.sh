#!/usr/bin/env bash
# make run: environment, migrations, demo data, then the site and the task worker together.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv runtime
PY="$VENV/bin/python"
HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"

say "Migrating the database"
"$PY" manage.py migrate --noinput -v0
if [ ! -f var/.demo-loaded ]; then
  say "Loading the demo data (built from the press releases in the seeds)"
  "$PY" manage.py demo_data && touch var/.demo-loaded
fi

pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$PY" manage.py db_worker --queue-name default >>var/worker.log 2>&1 &
pids+=($!)
"$PY" manage.py runserver "$HOST:$PORT" --noreload --skip-checks &
pids+=($!)

"$PY" manage.py demo_data --print-logins
cat <<MSG

  Mosprom Platform is running: http://$HOST:$PORT/
  API docs: http://$HOST:$PORT/api/docs   ·   Mail lands in var/mail/   ·   Worker log: var/worker.log
  Press Ctrl+C to stop.

MSG
wait -n "${pids[@]}"
