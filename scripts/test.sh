#!/usr/bin/env bash
# npm test: everything a fresh Debian machine needs, then every suite (unit, API on SQLite and
# PostgreSQL, browser journeys), ending with one line "N passed, N failed[, N skipped]".
# Steps that find their work already done cost well under a second, so a second run goes straight to tests.
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
RESULTS=test-results/vitest.json
VITEST_OUTPUT=test-results/vitest-output.txt
timings=()
extra_failures=0

# Runs a step and records how long it took, for the timing line at the end.
timed() {
  local label=$1 started=$SECONDS
  shift
  "$@"
  timings+=("$label $((SECONDS - started))s")
}

has_initdb() {
  local bins=(/usr/lib/postgresql/*/bin/initdb)
  [[ -x ${bins[0]} ]]
}

font_installed() {
  [[ $(dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null) == "install ok installed" ]]
}

# PostgreSQL, Chromium and a CJK font come from Debian, not npm; install only what is missing.
ensure_system_packages() {
  local missing=()
  has_initdb || missing+=(postgresql)
  [[ -x /usr/bin/chromium ]] || missing+=(chromium)
  command -v dpkg-query >/dev/null && ! font_installed && missing+=(fonts-noto-cjk)
  ((${#missing[@]} == 0)) && return 0

  echo "Installing from Debian: ${missing[*]}"
  if ! command -v apt-get >/dev/null; then
    echo "apt-get is not available; install ${missing[*]} yourself (see README)." >&2
    return 1
  fi
  local as_root=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "Installing ${missing[*]} needs root (or sudo)." >&2; return 1; }
    as_root=(sudo -n)
  fi
  # Keep the package's own PostgreSQL cluster from starting: tests start a throwaway one, and a
  # system server left running would outlive the run. Only a policy we created is removed again.
  local policy=/usr/sbin/policy-rc.d created_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod +x "$policy"
    created_policy=1
  fi
  local status=0
  "${as_root[@]}" apt-get update -qq || status=$?
  if ((status == 0)); then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" || status=$?
  fi
  ((created_policy)) && "${as_root[@]}" rm -f "$policy"
  return "$status"
}

ensure_node_modules() {
  # CI may already have run `npm ci`; a second one would only cost time.
  [[ -d node_modules ]] || npm ci --no-audit --no-fund
}

build_web() {
  if ! npm run --silent build:web; then
    echo "npm run build:web failed: counted as one failure; the browser journeys will fail without it." >&2
    extra_failures=$((extra_failures + 1))
  fi
}

# Every server the suites start logs everything here (server/test/test-logs.ts); scanned after the suites.
export CONVOY_LOG_DIR="$PWD/test-results/logs"

run_vitest() {
  mkdir -p "$(dirname "$RESULTS")"
  rm -f "$RESULTS"
  rm -rf "$CONVOY_LOG_DIR"
  vitest_status=0
  # The output is kept too: errors outside any test are printed again at the end, where a CI tail shows them.
  set +e
  npx vitest run --reporter=default --reporter=json --outputFile.json="$RESULTS" 2>&1 | tee "$VITEST_OUTPUT"
  vitest_status=${PIPESTATUS[0]}
  set -e
}

# No personal data in the logs: every phone and ID number the suites used, searched for in every log.
scan_logs() {
  if ! npx tsx scripts/scan-logs.ts "$CONVOY_LOG_DIR" --expect api,e2e; then
    extra_failures=$((extra_failures + 1))
  fi
}

# Whatever stops the script early (a failed install, npm ci), the last line is still the summary.
trap 'status=$?; ((status == 0)) || echo "0 passed, 1 failed"' EXIT

total_started=$SECONDS
timed "system packages" ensure_system_packages
timed "npm ci" ensure_node_modules
timed "build:web" build_web
timed "vitest" run_vitest
timed "log scan" scan_logs
printf -v timing_line '%s, ' "${timings[@]}"
echo "Timings: ${timing_line}total $((SECONDS - total_started))s"

# The summary is the last line printed; the script's exit status is the summarizer's.
exec node scripts/summarize-tests.mjs "$RESULTS" "$vitest_status" "$extra_failures" "$VITEST_OUTPUT"
