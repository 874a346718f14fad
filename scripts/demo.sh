#!/usr/bin/env bash
# The demo: writes a small Spring Boot log with the demo writer (cmd/loggen)
# and scans it, and the bundled sample logs of other formats, with no
# configuration. Everything it writes goes to demo-out/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p demo-out
go run ./cmd/loggen -lines 20000 -seed 7 -o demo-out/shop.log
echo
echo "\$ bin/tattle scan demo-out/shop.log"
bin/tattle scan demo-out/shop.log
for f in examples/logs/*.log; do
  echo
  echo "\$ bin/tattle scan $f"
  bin/tattle scan "$f"
done
echo
echo "One event in full (scan --json prints every matched event as a JSON line):"
echo "\$ bin/tattle scan --json demo-out/shop.log | head -1"
bin/tattle scan --json demo-out/shop.log 2>/dev/null | head -1
