#!/usr/bin/env bash
# Runs every test of Confide: build with warnings as errors, then every test project.
# Prints the plain closing line "N passed, N failed, N skipped" (no `dotnet test` mode prints it).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
pgdir=""
cleanup() {
  rm -f "$log"
  if [ -n "$pgdir" ]; then
    (cd / && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pgdir/data" -m fast -w stop >/dev/null 2>&1) || true
    rm -rf "$pgdir"
  fi
}
trap cleanup EXIT

# A throwaway PostgreSQL for the web tests, which run on SQLite and on PostgreSQL: a temp directory
# owned by postgres, initdb, pg_ctl on a free port from 55432; stopped and removed on exit, even on
# failure. A CONFIDE_TEST_POSTGRES that is already set (your own server) is used as it is.
if [ -z "${CONFIDE_TEST_POSTGRES:-}" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PGBIN" ] && command -v apt-get >/dev/null; then
    echo "Installing the PostgreSQL server (Debian package postgresql)..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  pgport=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$pgport") 2>/dev/null; do pgport=$((pgport + 1)); done
  pgdir=$(mktemp -d)
  chown postgres:postgres "$pgdir"
  (cd / && runuser -u postgres -- "$PGBIN/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null)
  (cd / && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -p $pgport -k $pgdir" start >/dev/null)
  export CONFIDE_TEST_POSTGRES="Host=127.0.0.1;Port=$pgport;Username=postgres"
fi

# The document tests render PDFs to PNG with pdftoppm (Debian's poppler-utils) and fail without it.
if ! command -v pdftoppm >/dev/null; then
  apt-get install -y -qq poppler-utils >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq poppler-utils; }
fi

# The browser tests drive Debian's chromium through Playwright and fail without it (Playwright's own
# browser builds are never downloaded).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (Debian package) for the browser tests..."
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } ||
    echo "Could not install chromium: the browser tests will fail." >&2
fi

dotnet build Confide.slnx -c Release -nologo -clp:ErrorsOnly

set +e
dotnet test --solution Confide.slnx -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# The Microsoft.Testing.Platform summary ends with "failed: N", "succeeded: N", "skipped: N".
summary() { grep -E "^\s*$1:\s*[0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || echo 0; }
passed=$(summary succeeded)
failed=$(summary failed)
skipped=$(summary skipped)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run failed without a test failing (a crash, or no test ran): never report green
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
