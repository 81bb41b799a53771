#!/usr/bin/env bash
# make bench: no scenarios yet; the registration-rush benchmark comes with its issue.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_venv dev
mkdir -p var/bench
say "No benchmark scenarios yet (see bench/README.md)."
