#!/usr/bin/env bash
# The demo. A demo writer (cmd/loggen) fills a Spring Boot log in real time,
# rotating it once, while `tattle run` follows it; every matched event is
# printed as it arrives (code and title), then the groups of the whole run.
# Then the bundled example logs of other formats are scanned. Everything it
# writes goes to demo-out/. (Alerts to the console, Slack and email come
# with issue 4.)
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf demo-out
mkdir -p demo-out/logs
cat > demo-out/tattle.toml <<'TOML'
[tattle]
state_dir = "demo-out/state"
listen = ""            # no HTTP listener for the demo

[[source]]
name = "shop"
paths = ["demo-out/logs/*.log"]
start = "beginning"
TOML
touch demo-out/events.jsonl
echo "\$ bin/tattle run -c demo-out/tattle.toml --events-out demo-out/events.jsonl &"
bin/tattle run -c demo-out/tattle.toml --events-out demo-out/events.jsonl 2> demo-out/tattle.log &
tattle=$!
# print each event as it arrives: its code, first line and title
tail -n +1 -f demo-out/events.jsonl 2>/dev/null | \
  sed -u -E 's/.*"line":([0-9]+).*"code":"([^"]*)","title":"([^"]*)".*/  event  \2  line \1  \3/' &
printer=$!
echo "\$ go run ./cmd/loggen -lines 4000 -rate 800 -rotate 2000 -error-rate 0.02 -o demo-out/logs/shop.log"
go run ./cmd/loggen -lines 4000 -rate 800 -rotate 2000 -error-rate 0.02 -seed 7 -o demo-out/logs/shop.log
sleep 2   # the last multi-line event is complete after flush_interval (1s)
kill -TERM "$tattle"
wait "$tattle" || true
kill "$printer" 2>/dev/null || true
echo
echo "tattle run wrote $(wc -l < demo-out/events.jsonl) events; its log:"
sed 's/^/  /' demo-out/tattle.log
echo
echo "\$ bin/tattle scan demo-out/logs/shop.log*   # the same files, grouped"
bin/tattle scan demo-out/logs/shop.log*
for f in examples/logs/*.log; do
  echo
  echo "\$ bin/tattle scan $f"
  bin/tattle scan "$f"
done
echo
echo "One event in full (scan --json prints every matched event as a JSON line):"
echo "\$ bin/tattle scan --json examples/logs/django.log | head -1"
bin/tattle scan --json examples/logs/django.log 2>/dev/null | head -1
