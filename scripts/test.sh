#!/usr/bin/env bash
# Runs every test of Confide: build with warnings as errors, then every test project.
# Prints the plain closing line "N passed, N failed, N skipped" (no `dotnet test` mode prints it).
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The document tests render PDFs to PNG with pdftoppm (Debian's poppler-utils) and fail without it.
if ! command -v pdftoppm >/dev/null; then
  apt-get install -y -qq poppler-utils >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq poppler-utils; }
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
