#!/usr/bin/env bash
# Runs every test file in its own Jest invocation, one after the other, and fails if any file
# fails alone: a file must not lean on another file having run first (shared state, a database,
# a compiled artefact). Starts a throw-away PostgreSQL through scripts/with-postgres.sh unless
# TEST_POSTGRES_URL is already set.
#   bash scripts/each-test-file-alone.sh                 # every file of every tier
#   bash scripts/each-test-file-alone.sh --randomize     # extra Jest arguments go to each run
#   EACH_FILE_PATTERN=libs/domain bash scripts/each-test-file-alone.sh
# Not run in CI: one Jest start per file makes it take several minutes longer than `npm test`.
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

log=$(mktemp "${TMPDIR:-/tmp}/each-test-file-alone.XXXXXX")
trap 'rm -f "$log"' EXIT
failed=()
started=$SECONDS
for file in "${files[@]}"; do
  file_started=$SECONDS
  if npx jest --runInBand --runTestsByPath "$file" "$@" >"$log" 2>&1 && grep -q '^Test Suites: 1 passed, 1 total' "$log"; then
    printf 'ok    %4ss  %s\n' "$((SECONDS - file_started))" "$file"
  else
    printf 'FAIL  %4ss  %s\n' "$((SECONDS - file_started))" "$file"
    sed 's/^/      /' "$log" | tail -n 60
    failed+=("$file")
  fi
done

echo "each-test-file-alone: ${#files[@]} files, ${#failed[@]} failed, $((SECONDS - started))s"
for file in "${failed[@]}"; do echo "  failed alone: $file"; done
[ "${#failed[@]}" -eq 0 ]
