#!/usr/bin/env bash
# Runs every test file in its own Jest invocation and fails if any file fails alone: a file must
# not lean on another having run first (shared state, a database, a compiled artefact). Starts a
# throw-away PostgreSQL through scripts/with-postgres.sh unless TEST_POSTGRES_URL is already set.
# CI runs it after `npm test` (.ci/run). Files run EACH_FILE_JOBS at a time (default 2, one per
# core of the CI machine): each is still alone in its own Jest process, with its own temporary
# directories, ports and PostgreSQL database, which is what this checks.
#   bash scripts/each-test-file-alone.sh                 # every file of every tier
#   bash scripts/each-test-file-alone.sh --randomize     # extra Jest arguments go to each run
#   EACH_FILE_PATTERN=libs/domain bash scripts/each-test-file-alone.sh
#   EACH_FILE_JOBS=1 bash scripts/each-test-file-alone.sh   # one file at a time
set -uo pipefail
cd "$(dirname "$0")/.."

if [ -z "${TEST_POSTGRES_URL:-}" ]; then
  exec bash scripts/with-postgres.sh bash "$0" "$@"
fi

mapfile -t files < <(npx jest --listTests ${EACH_FILE_PATTERN:+"$EACH_FILE_PATTERN"} | sed "s|^$PWD/||" | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "each-test-file-alone: no test files found" >&2
  exit 2
fi

logs=$(mktemp -d "${TMPDIR:-/tmp}/each-test-file-alone.XXXXXX")
trap 'rm -rf "$logs"' EXIT
export EACH_FILE_LOGS="$logs"

# One file: its verdict on one line (the log of a failure below it), and a marker for the tally.
run_one() {
  local file=$1; shift
  local started=$SECONDS log
  log="$EACH_FILE_LOGS/$(printf '%s' "$file" | tr '/' '_').log"
  if npx jest --runInBand --runTestsByPath "$file" "$@" >"$log" 2>&1 && grep -q '^Test Suites: 1 passed, 1 total' "$log"; then
    printf 'ok    %4ss  %s\n' "$((SECONDS - started))" "$file"
  else
    { printf 'FAIL  %4ss  %s\n' "$((SECONDS - started))" "$file"; sed 's/^/      /' "$log" | tail -n 60; } | cat
    printf '%s\n' "$file" >"$log.failed"
  fi
}
export -f run_one

started=$SECONDS
printf '%s\0' "${files[@]}" | xargs -0 -n 1 -P "${EACH_FILE_JOBS:-2}" bash -c 'run_one "${@: -1}" "${@:1:$#-1}"' _ "$@" 2>&1
mapfile -t failed < <(cat "$logs"/*.failed 2>/dev/null)

echo "each-test-file-alone: ${#files[@]} files, ${#failed[@]} failed, $((SECONDS - started))s"
for file in "${failed[@]}"; do echo "  failed alone: $file"; done
[ "${#failed[@]}" -eq 0 ]
