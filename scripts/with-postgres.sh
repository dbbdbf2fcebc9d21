#!/usr/bin/env bash
# Runs a command with TEST_POSTGRES_URL pointing at a PostgreSQL server.
#   scripts/with-postgres.sh npx jest libs/read-models
# - TEST_POSTGRES_URL already set: runs the command as is.
# - else starts a throwaway server (initdb + pg_ctl; PG_BIN, PATH or /usr/lib/postgresql/*/bin)
#   on a free loopback port, unix socket in its temp dir, trust auth, and removes it afterwards.
#   PostgreSQL refuses to run as root, so as root the server runs as a system user
#   ($PG_TEST_USER, default "postgres", created if missing).
# - no PostgreSQL binaries: fails (exit 3). There is no opt-out: the PostgreSQL variants of the
#   tests fail without a server, so a run without one can never pass as complete.
# Exits with the command's exit code.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  exec "$@"
fi

find_pg_bin() {
  if [ -n "${PG_BIN:-}" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ]; then echo "$PG_BIN"; return 0; fi
  local initdb_path
  if initdb_path=$(command -v initdb 2>/dev/null) && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$initdb_path")"; return 0
  fi
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! pg_bin=$(find_pg_bin); then
  echo "with-postgres: ERROR: PostgreSQL server binaries (initdb, pg_ctl) not found on PATH, in \$PG_BIN" >&2
  echo "  or under /usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql), or set" >&2
  echo "  TEST_POSTGRES_URL to an existing server whose databases the tests may create and drop." >&2
  exit 3
fi

work_dir=$(mktemp -d "${TMPDIR:-/tmp}/with-postgres.XXXXXX")
data_dir="$work_dir/data"
socket_dir="$work_dir/socket"
log_file="$work_dir/postgres.log"
mkdir -p "$socket_dir"

run_as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
  server_user="${PG_TEST_USER:-postgres}"
  if ! id "$server_user" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$server_user"
  fi
  chown -R "$server_user" "$work_dir"
  if command -v runuser >/dev/null 2>&1; then
    run_as_server_user=(runuser -u "$server_user" --)
  else
    run_as_server_user=(su -s /bin/sh "$server_user" -c '"$0" "$@"' --)
  fi
fi

server_started=0
cleanup() {
  local status=$?
  if [ "$server_started" = 1 ]; then
    (cd "$work_dir" && "${run_as_server_user[@]}" "$pg_bin/pg_ctl" -D "$data_dir" -m immediate -w stop >/dev/null 2>&1) || true
  fi
  rm -rf "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

cd_and_run() { (cd "$work_dir" && "${run_as_server_user[@]}" "$@"); }

if ! cd_and_run "$pg_bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$work_dir/initdb.log" 2>&1; then
  echo "with-postgres: initdb failed:" >&2
  cat "$work_dir/initdb.log" >&2
  exit 4
fi

started=0
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  server_started=1
  if cd_and_run "$pg_bin/pg_ctl" -D "$data_dir" -l "$log_file" -w -t 30 \
      -o "-p $port -k $socket_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
  server_started=0
done
if [ "$started" != 1 ]; then
  echo "with-postgres: PostgreSQL did not start:" >&2
  cat "$log_file" >&2 || true
  exit 5
fi

export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$pg_bin/pg_ctl" --version | awk '{print $3}') on $TEST_POSTGRES_URL" >&2

set +e
"$@"
command_status=$?
set -e
exit "$command_status"
