#!/usr/bin/env bash
# Shared helpers for the Makefile's targets. Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
UV_VERSION="0.13.8"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Python >= 3.12: $PYTHON if given, then python3.13/python3.12 on PATH, then pyenv's.
find_python() {
  local candidates=()
  [ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
  candidates+=(python3.12 python3.13)
  if command -v pyenv >/dev/null 2>&1; then
    local v
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])(\.|$)' | sort -V); do
      candidates+=("$(pyenv prefix "$v" 2>/dev/null)/bin/python3")
    done
  fi
  candidates+=(python3)
  local c
  for c in "${candidates[@]}"; do
    if command -v "$c" >/dev/null 2>&1 && "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"
      return 0
    fi
  done
  echo "Python 3.12 or newer is needed: install python3.12 (or set PYTHON=/path/to/python3.12)." >&2
  return 1
}

# Create .venv and install the locked dependencies; "dev" adds the test tools.
# Re-runs only when a lock file is newer than the stamp, so a second run costs nothing.
ensure_venv() {
  local want="${1:-runtime}" py stamp locks
  stamp="$VENV/.installed-$want"
  locks=("$ROOT/requirements.txt")
  [ "$want" = dev ] && locks+=("$ROOT/requirements-dev.txt")
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    py="$(find_python)"
    say "Creating the environment with $("$py" --version)"
    rm -rf "$VENV"
    "$py" -m venv "$VENV"
  fi
  local fresh=1 f
  [ -f "$stamp" ] || fresh=0
  for f in "${locks[@]}"; do [ "$f" -nt "$stamp" ] && fresh=0; done
  [ "$fresh" = 1 ] && return 0
  if [ ! -x "$VENV/bin/uv" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
  fi
  say "Installing locked dependencies ($want)"
  if [ "$want" = dev ]; then
    "$VENV/bin/uv" pip sync --quiet --python "$VENV/bin/python" "${locks[@]}"
  else
    # Keep the dev tools if they are there; install what the runtime lock asks for.
    "$VENV/bin/uv" pip install --quiet --python "$VENV/bin/python" --require-hashes -r "$ROOT/requirements.txt"
  fi
  rm -f "$VENV"/.installed-*
  touch "$stamp"
  [ "$want" = dev ] && touch "$VENV/.installed-runtime"
  return 0
}

deb_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Debian packages the test suite needs: PostgreSQL server, Chromium, zbar.
ensure_system_packages() {
  local missing=()
  [ -n "$(pg_bindir 2>/dev/null)" ] || missing+=(postgresql)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  deb_installed libzbar0 || missing+=(libzbar0)
  deb_installed fonts-dejavu-core || missing+=(fonts-dejavu-core)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})" >&2
    return 1
  fi
  say "Installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Directory with initdb/pg_ctl: pg_config's answer, else Debian's layout.
pg_bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1; then
    d="$(pg_config --bindir)"
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

# A throwaway PostgreSQL cluster on a loopback port. Sets DATABASE_URL and PG_TMP.
# As root, the cluster runs as the 'postgres' system user (initdb refuses root).
start_postgres() {
  local bindir port runas=()
  bindir="$(pg_bindir)"
  PG_TMP="$(mktemp -d /tmp/mosprom-pg.XXXXXX)"
  port="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$PG_TMP"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bindir/initdb" -D "$PG_TMP/data" -U mosprom --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$PG_TMP/initdb.log" 2>&1 \
    || { cat "$PG_TMP/initdb.log" >&2; return 1; }
  "${runas[@]}" "$bindir/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=256MB" \
    start >/dev/null || { cat "$PG_TMP/server.log" >&2; return 1; }
  PG_BINDIR="$bindir"
  PG_RUNAS="${runas[*]}"
  export DATABASE_URL="postgres://mosprom@127.0.0.1:$port/mosprom"
  "$bindir/createdb" -h 127.0.0.1 -p "$port" -U mosprom mosprom
  say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

stop_postgres() {
  [ -n "${PG_TMP:-}" ] && [ -d "$PG_TMP/data" ] || return 0
  # shellcheck disable=SC2086
  $PG_RUNAS "$PG_BINDIR/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_TMP"
}
