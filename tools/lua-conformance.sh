#!/usr/bin/env bash
# `make lua-conformance`: Lua 5.4.4's own test files (../shared/lua-5.4.4-tests, test data, not
# part of the product) through `sinergi run`, unchanged but for the lines listed in
# tools/lua-conformance.skip — lines that differ from stock Lua by the sandbox's design, each
# with its reason. A skipped line is blanked (line numbers stay). Any other failure fails.
set -uo pipefail
cd "$(dirname "$0")/.."
tests=${LUA_TESTS:-../shared/lua-5.4.4-tests}
bin=${SINERGI_BIN:-.build/debug/sinergi}
if [ ! -d "$tests" ]; then
  echo "lua-conformance: skipped: $tests is absent (Lua's test files are test data, not shipped)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for file in "$tests"/*.lua; do
  name=$(basename "$file")
  [ "$name" = all.lua ] && continue
  # The skip list: "file.lua:LINE  reason" or "file.lua:FIRST-LAST  reason".
  ranges=$(grep -v '^[[:space:]]*#' tools/lua-conformance.skip | awk -v f="$name" '
    { split($1, p, ":"); if (p[1] == f) { n = split(p[2], r, "-"); print r[1], (n > 1 ? r[2] : r[1]) } }')
  awk -v ranges="$ranges" 'BEGIN { n = split(ranges, v, /[ \n]/); for (i = 1; i < n; i += 2) { lo[i] = v[i]; hi[i] = v[i + 1] } }
    { skip = 0; for (i in lo) if (NR >= lo[i] + 0 && NR <= hi[i] + 0) skip = 1; print (skip ? "" : $0) }' "$file" > "$work/$name"
  skipped=$(grep -c "^$name:" tools/lua-conformance.skip || true)
  if output=$(cd "$work" && "$OLDPWD/$bin" run --timeout 120s --memory 2GB "$name" 2>&1); then
    printf 'pass  %-14s (%s documented skips)\n' "$name" "$skipped"
  else
    printf 'FAIL  %-14s %s\n' "$name" "$(printf '%s\n' "$output" | grep -m1 '^error\[')"
    status=1
  fi
done
exit $status
