#!/usr/bin/env bash
# Measures tattle scan's speed and memory the way issue 2 asks:
#  1. a 1,000,000-line Spring Boot log (cmd/loggen, seed 1: ~1.3% of records
#     are ERROR records, most with 40-60 line traces), scanned on one core,
#     beside `grep -cE` on the same file in the same run;
#  2. peak RSS of that scan (/usr/bin/time -v);
#  3. a file holding one 1 GiB line with no newline: peak RSS and the cut;
#  4. the Go micro-benchmarks.
# Output goes to the terminal and to bench-out/report.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench-out
mkdir -p "$OUT"
REPORT=$OUT/report.txt
: > "$REPORT"
say() { echo "$@" | tee -a "$REPORT"; }
TATTLE=bin/tattle
LOG=$OUT/spring-1m.log
RUNS=${RUNS:-5}

if [ ! -s "$LOG" ]; then
  go run ./cmd/loggen -lines 1000000 -seed 1 -o "$LOG"
fi
lines=$(wc -l < "$LOG")
say "== machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(uname -r)"
say "== file: $LOG, $lines lines, $(stat -c %s "$LOG") bytes"
cat "$LOG" > /dev/null # warm the page cache for every contender alike

# best of RUNS wall-clock seconds of a command pinned to core 0
best() {
  local best=999999 t tf
  tf=$(mktemp)
  for _ in $(seq "$RUNS"); do
    # stdout to a file, not /dev/null: GNU grep stops at the first
    # match when its output is /dev/null
    /usr/bin/time -f '%e' -o "$tf" taskset -c 0 "$@" > "$tf.out" 2>&1
    t=$(tail -1 "$tf")
    best=$(echo "$t $best" | awk '{print ($1 < $2) ? $1 : $2}')
  done
  rm -f "$tf" "$tf.out"
  echo "$best"
}

say "== 1. speed, one core (taskset -c 0, GOMAXPROCS=1), best of $RUNS"
t_tattle=$(GOMAXPROCS=1 best $TATTLE scan "$LOG")
t_grep=$(best grep -cE 'ERROR|Exception' "$LOG")
awk -v l="$lines" -v t="$t_tattle" -v g="$t_grep" 'BEGIN {
  printf "tattle scan: %.3f s = %.2f M lines/s\n", t, (t > 0 ? l / t / 1e6 : 0);
  printf "grep -cE:    %.3f s = %.2f M lines/s\n", g, (g > 0 ? l / g / 1e6 : 0);
  printf "tattle / grep time ratio: %.2f\n", (g > 0 ? t / g : 0) }' | tee -a "$REPORT"
say "-- tattle scan output:"
GOMAXPROCS=1 taskset -c 0 $TATTLE scan "$LOG" 2>&1 | tee -a "$REPORT"

say "== 2. peak RSS of that scan (/usr/bin/time -v)"
GOMAXPROCS=1 /usr/bin/time -v taskset -c 0 $TATTLE scan "$LOG" 2>&1 >/dev/null | grep -E 'Maximum resident|Elapsed' | tee -a "$REPORT"

say "== 3. one 1 GiB line with no newline"
BIG=$OUT/one-gib-line.log
if [ ! -s "$BIG" ] || [ "$(stat -c %s "$BIG")" != 1073741824 ]; then
  head -c 1073741824 /dev/zero | tr '\0' 'x' > "$BIG"
fi
/usr/bin/time -v $TATTLE scan "$BIG" 2>"$OUT/big.time" | tee -a "$REPORT"
grep -E 'Maximum resident|Elapsed' "$OUT/big.time" | tee -a "$REPORT"

say "== 4. Go benchmarks"
go test -run '^$' -bench . -benchmem -benchtime 1s ./parsers/... ./rules/... 2>&1 | grep -E '^(Benchmark|ok|PASS|FAIL)' | tee -a "$REPORT"
say "report written to $REPORT"
