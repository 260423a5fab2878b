#!/usr/bin/env bash
# Replays tools/hostile/*.lua through `sinergi run` and `sinergi repl` with a 2 s / 64 MB budget in
# a sample workspace, and prints each one's exit code, wall time and peak RSS (GNU time). What
# must hold (issue #7): every run ends within a few seconds of its budget, with a documented exit
# code (0 1 3 4 5 6 7 8), under 256 MB. The script exits 1 when one does not.
set -uo pipefail
cd "$(dirname "$0")/.."
bin=${SINERGI_BIN:-.build/debug/sinergi}
ws=$(mktemp -d)/ws
"$bin" init --sample "$ws" >/dev/null
export SINERGI_WORKSPACE=$ws
status=0
printf '%-28s %-5s %5s %7s %6s   %-5s %5s %7s %6s\n' script run exit seconds MB repl exit seconds MB
for file in tools/hostile/*.lua; do
  line=$(printf '%-28s' "$(basename "$file" .lua)")
  for mode in run repl; do
    if [ "$mode" = run ]; then cmd=("$bin" run --timeout 2s --memory 64MB "$file"); input=/dev/null
    else cmd=("$bin" repl --strict --timeout 2s --memory 64MB); input=$file; fi
    /usr/bin/time -f '%x %e %M' -o /tmp/hostile.time timeout 30 "${cmd[@]}" <"$input" >/dev/null 2>/tmp/hostile.err
    read -r code seconds kb < <(tail -1 /tmp/hostile.time | sed 's/Command exited with non-zero status //')
    mb=$((kb / 1024))
    line+=$(printf ' %-5s %5s %7s %6s  ' "$mode" "$code" "$seconds" "$mb")
    case "$code" in 0|1|3|4|5|6|7|8) ;; *) status=1 ;; esac
    if [ "$mb" -ge 256 ] || awk "BEGIN { exit !($seconds > 6) }"; then status=1; fi
  done
  echo "$line"
done
rm -rf "$(dirname "$ws")"
exit $status
