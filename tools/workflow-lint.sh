#!/usr/bin/env bash
# Structural check of workflows/*.lua without the engine: copies them into a scratch workspace
# (made with SINERGI, default `sinergi`) and runs tools/workflow-lint.lua there.
set -euo pipefail
cd "$(dirname "$0")/.."
sinergi=${SINERGI:-sinergi}
ws=$(mktemp -d)
trap 'rm -rf "$ws"' EXIT
"$sinergi" init "$ws/w" > /dev/null
cp workflows/lib/*.lua "$ws/w/workflows/lib/"
names=()
for f in workflows/*.lua; do cp "$f" "$ws/w/workflows/lib/"; names+=("$(basename "$f" .lua)"); done
cp tools/workflow-lint.lua "$ws/w/workflows/lint.lua"
fires=$(grep -rho 'fire = "[a-z_]*"' workflows | sed 's/fire = "\(.*\)"/\1/' | sort -u)
cd "$ws/w" && "$sinergi" run workflows/lint.lua "${names[@]}" --fires $fires
