#!/usr/bin/env bash
# Runs every test, setting up what the tests need first:
#   - Debian's chromium (real-browser tests) and postgresql (the PostgreSQL store tests start a
#     throwaway cluster on a loopback port), installed when missing and we are root with apt;
#   - the browser tests' JavaScript tools (npm ci in tests/Passkeys.Browser.Tests/js): axe-core for
#     the accessibility tests, esbuild and @simplewebauthn/browser for the npm package tests (the
#     packed SDK itself installs offline from its tarball);
#   - then `dotnet test` over the whole solution.
# The last line states the passed/failed/skipped counts. With CI=true a missing prerequisite
# fails the run instead of being skipped (the tests themselves check CI too).
set -uo pipefail
cd "$(dirname "$0")"

need_pkgs=()
[ -x /usr/bin/chromium ] || need_pkgs+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_pkgs+=(postgresql)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "test.sh: installing ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq "${need_pkgs[@]}" >/dev/null \
      || { echo "test.sh: could not install ${need_pkgs[*]}"; [ "${CI:-}" = true ] && { echo "0 passed, 1 failed (prerequisites)"; exit 1; }; }
  else
    echo "test.sh: ${need_pkgs[*]} missing and cannot be installed here (not root with apt);"
    echo "          the tests that need them will say so and skip (they fail instead when CI=true)."
  fi
fi

# Test-only JavaScript (axe-core injected into pages; esbuild, with its platform package, to bundle
# a fresh app; @simplewebauthn/browser for the compatibility test), at the versions pinned in
# tests/Passkeys.Browser.Tests/js/package-lock.json; npm ci reinstalls them exactly.
if command -v npm >/dev/null; then
  (cd tests/Passkeys.Browser.Tests/js && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
    || { echo "test.sh: npm ci in tests/Passkeys.Browser.Tests/js failed; the accessibility and npm package tests will fail"; }
else
  echo "test.sh: npm missing: the accessibility (axe-core) and npm package tests cannot run; install Node.js and npm"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
dotnet test Passkeys.slnx --nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Each test assembly prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T ...".
read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed:' "$log" | sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1   # the build or a test host failed before any test could report
  echo "test.sh: dotnet test exited with $status before reporting a failed test (build error?)"
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
