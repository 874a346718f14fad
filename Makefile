# The menu. CI runs `make test` (through .ci/run).
GO            ?= go
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2 # release 2026.2.2
BIN           := bin
FUZZTIME      ?= 5s

.PHONY: all build test lint vet fmt-check staticcheck fuzz bench stress demo clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -o $(BIN)/tattle ./cmd/tattle

# Every test with the race detector, plus the linters.
test: lint
	$(GO) test -race -count=1 ./...

lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

staticcheck:
	$(GO) run $(STATICCHECK) ./...

# Each fuzz target for FUZZTIME (default 5s).
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; \
	done

# Speed and memory, measured: see scripts/bench.sh.
bench: build
	./scripts/bench.sh

# Full-scale stress and the daemon's measurements (latency, CPU, RSS, the
# 100,000 lines/s rename stress): tests built with -tags measure.
stress: build
	$(GO) test -p 1 -tags measure -count=1 -run 'TestStress|TestMeasure' -v ./tailer/ ./app/ 2>&1 | grep -E '^(=== RUN|--- |\s+\S+_test.go:|ok|FAIL|PASS)'

demo: build
	./scripts/demo.sh

clean:
	rm -rf $(BIN) bench-out demo-out
