#!/usr/bin/env bash
# Makes release-d945451.db with the release at commit d945451 (its binary as the first argument):
# a workspace, two users' runs at fixed clocks, then the database file. Run once; the .db is committed.
set -euo pipefail
old=${1:?usage: make-release-d945451.sh PATH/TO/d945451/sinergi}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
USER=admin "$old" init "$work/ws"
cat >> "$work/ws/sinergi.lua" <<'LUA'

users { { id = "sari", name = "Sari (contoh)", login = "sari", roles = { "sekretariat" } } }
testing = { clock_override = true }
LUA
mkdir "$work/ws/arsip"
printf 'PKS UJI/001/KSDD/2024 (fixture)\n' > "$work/ws/arsip/pks-001.txt"
cd "$work/ws"
USER=admin "$old" run --now 2026-11-30T09:00:00+07:00 "$here/release-d945451-populate.lua"
USER=sari "$old" run --now 2026-12-01T10:30:00+07:00 "$here/release-d945451-amend.lua"
USER=admin "$old" audit verify
test ! -e .sinergi/sinergi.db-wal || { echo "the WAL was not checkpointed" >&2; exit 1; }
cp .sinergi/sinergi.db "$here/release-d945451.db"
