#!/bin/sh
# Runs the sandbox fuzz test (Tests/ScriptHostTests/SandboxFuzzTests.swift) over many programs, in
# as many processes as it takes: a program that crashes or hangs the test process is recorded as a
# finding and the run resumes with the next program. Prints how many programs ran, the outcome
# counts per error class, and every finding with the command that regenerates its program.
#
# usage: tools/fuzz.sh TEST_BINARY OUT_DIR
# environment (see Tests/ScriptHostTests/SandboxFuzzHarness.swift): SINERGI_FUZZ_PROGRAMS,
#   SINERGI_FUZZ_SEED, SINERGI_FUZZ_START, SINERGI_FUZZ_AVOID, SINERGI_FUZZ_SECONDS (a wall-clock
#   budget for the whole run), SINERGI_FUZZ_HANG_SECONDS, SINERGI_FUZZ_SLOW_SECONDS, SINERGI_FUZZ_PRINT;
#   SINERGI_FUZZ_RUNNER, a command the test binary runs under (`make valgrind` uses valgrind).
# Exit status: 0 when no program broke anything, 1 when there are findings.
set -u
binary=$1
out=$2
programs=${SINERGI_FUZZ_PROGRAMS:-20000}
start=${SINERGI_FUZZ_START:-0}
seed=${SINERGI_FUZZ_SEED:-20261130}
budget=${SINERGI_FUZZ_SECONDS:-0}
runner=${SINERGI_FUZZ_RUNNER:-}
export SINERGI_FUZZ_SEED="$seed"
end=$((start + programs))
began=$(date +%s)
mkdir -p "$out"
rm -f "$out"/progress "$out"/run-*.log "$out"/crashes "$out"/program-*.lua
: > "$out/progress"
: > "$out/crashes"
next=$start
processes=0
while [ "$next" -lt "$end" ]; do
  left=""
  if [ "$budget" -gt 0 ]; then
    left=$((budget - ($(date +%s) - began)))
    [ "$left" -le 0 ] && break
  fi
  processes=$((processes + 1))
  log="$out/run-$next.log"
  SINERGI_FUZZ_START=$next SINERGI_FUZZ_PROGRAMS=$((end - next)) SINERGI_FUZZ_SECONDS=$left \
    SINERGI_FUZZ_PROGRESS="$out/progress" $runner "$binary" --testing-library swift-testing --filter SandboxFuzzTests \
    > "$log" 2>&1
  status=$?
  last=$(tail -n 1 "$out/progress")
  case "$last" in
    "done "*) break ;;
    begin\ *|crash\ *|hang\ *|end\ *)
      index=$(echo "$last" | cut -d' ' -f2)
      kind=crash
      [ "$status" -eq 86 ] && kind=hang
      case "$last" in end\ *) kind="crash-after-checks" ;; esac
      # What the checker said (memcheck, AddressSanitizer), else the top of Swift's backtrace of the
      # crashed thread; the exit status is 128+N for signal N, 99 for a memcheck error, 86 for a hang.
      where=$(grep -m1 -A3 -E 'Invalid (read|write|free)|Conditional jump|Use of uninitialised|ERROR: AddressSanitizer' "$log" |
              sed -E 's/^==[0-9]+== *//' | tr '\n' ' ' | cut -c1-400)
      [ -z "$where" ] && where=$(grep -A6 ' crashed:' "$log" | grep -E '^ *[0-9]+ ' | grep -v -E 'libswiftCore|libc\.so|\[thunk\]' | head -2 |
              sed -E 's/^ *[0-9]+ +(\[ra\] +)?0x[0-9a-f]+ //; s/ in SinergiPackageTests.xctest at / at /' | tr '\n' ';')
      [ -z "$where" ] && where=$(grep -m1 -E 'Fatal error|fatal error|Process terminating' "$log")
      # The program itself, regenerated from the seed (the checker may have ended the process before
      # the test could print it).
      SINERGI_FUZZ_START=$index SINERGI_FUZZ_PROGRAMS=1 SINERGI_FUZZ_LIST=1 "$binary" --testing-library swift-testing \
        --filter SandboxFuzzTests 2>/dev/null | sed -n '/^--- program /,$p' | sed '1d' > "$out/program-$index.lua"
      echo "$kind $index status=$status program=$out/program-$index.lua log=$log $where" >> "$out/crashes"
      echo "fuzz: $kind in program $index (exit status $status); resuming at $((index + 1))"
      [ "$last" = "begin $index" ] && echo "crash $index" >> "$out/progress"
      next=$((index + 1))
      ;;
    *)
      echo "fuzz: the test process ended (status $status) before its first program; see $log"
      exit 2
      ;;
  esac
done
elapsed=$(($(date +%s) - began))
awk -v seed="$seed" -v start="$start" -v elapsed="$elapsed" -v processes="$processes" '
  $1 == "end" { ran++; count[$3]++; ms = $4 + 0; total += ms; if (ms > slowest) { slowest = ms; slowestIndex = $2 }
                if (NF >= 5) { n = split($5, kinds, ","); for (i = 1; i <= n; i++) finding[kinds[i]]++ } }
  $1 == "crash" { ran++; crashes++ }
  $1 == "hang" { ran++; hangs++ }
  END {
    printf "fuzz: seed %s, from program %s: %d programs ran in %d s (%d processes); slowest program %s (%d ms), mean %d ms\n", seed, start, ran, elapsed, processes, slowestIndex, slowest, ran ? total / ran : 0
    line = "fuzz: outcomes:"
    split("ok runtime syntax timeout memory forbidden permission validation not-found unexpected", order, " ")
    for (i = 1; i <= 10; i++) line = line sprintf(" %s %d%s", order[i], count[order[i]], i < 10 ? "," : "")
    print line
    line = sprintf("fuzz: findings: crash %d, hang %d", crashes, hangs)
    for (k in finding) line = line sprintf(", %s %d", k, finding[k])
    print line
  }' "$out/progress"
if [ -s "$out/crashes" ]; then
  echo "fuzz: crashes and hangs (each log has the program and the command that regenerates it):"
  sed 's/^/  /' "$out/crashes"
fi
if grep -q -E '^end [0-9]+ [a-z-]+ [0-9]+ms [a-z]' "$out/progress"; then
  echo "fuzz: other findings, first program of each kind (details in $out/run-*.log):"
  awk '$1 == "end" && NF >= 5 { n = split($5, kinds, ","); for (i = 1; i <= n; i++) if (!(kinds[i] in seen)) { seen[kinds[i]] = 1; printf "  %s: program %s\n", kinds[i], $2 } }' "$out/progress"
fi
if [ -s "$out/crashes" ] || grep -q -E '^end [0-9]+ [a-z-]+ [0-9]+ms [a-z]' "$out/progress"; then exit 1; fi
exit 0
