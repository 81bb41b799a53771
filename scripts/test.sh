#!/usr/bin/env bash
# make test: install what is missing, start a throwaway PostgreSQL, lint, check, test.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

ensure_venv dev
ensure_system_packages
start_postgres
trap stop_postgres EXIT

export MOSPROM_TESTING=1
export MOSPROM_VAR_DIR="$PG_TMP/var"
export PATH="$VENV/bin:$PATH"
status=0
step() { say "$*"; "$@" || status=1; }

step ruff check .
step ruff format --check .
step python manage.py check --fail-level WARNING
step python manage.py makemigrations --check --dry-run
say "pytest"
pytest "$@" || status=1
exit $status
