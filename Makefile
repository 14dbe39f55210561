# errcat's tasks. `make generate` regenerates generated/ from catalog/;
# `make test` runs every test (the command README.md gives and CI runs).
GO ?= go
FUZZTIME ?= 10s
PKGS = ./...
# Separate modules inside the repository (their dependencies never reach
# the root module's graph): each is tested and vetted from its own folder.
INTEGRATIONS = integrations/redislimit integrations/breaker integrations/otel
# The test-only module holding the tests that need third-party test
# libraries (goldmark, a JSON Schema validator); see ARCHITECTURE.md.
DEVTEST = internal/devtest
# staticcheck runs by version, not pinned in go.mod, so it never reaches the
# module graph of errcat's users (the Go module proxy fetches it once).
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.7.0

.PHONY: all generate check test test-root test-race test-serial test-modules test-norace test-long test-integrations test-oldest lint fmt-check vet staticcheck bench bench-ratios fuzz fleet ci

all: generate test

## generate: regenerate generated/ (and the consumer example) from the catalogs
generate:
	$(GO) generate $(PKGS)
	cd examples/consumer && $(GO) generate ./...

## check: fail if any generated file is stale, missing or extra
check:
	$(GO) run ./cmd/errcat check
	cd examples/consumer && $(GO) tool errcat check -out . catalog

## test: every test of the module, of the consumer example and of the
## integration modules, with the race detector where the machine can build
## it (cgo and a C compiler). The Redis tests need redis-server; without it
## they are skipped with a one-line reason (under CI=true they fail).
# The packages that start no goroutine and that no caller shares between
# goroutines (the catalog loader, the model, the Markdown emitter, errcat
# diff, the analyzer, the CLI and the repository checks) run without the
# race detector, which finds nothing there and made them take three times
# as long; the runtime, the generated packages, the writer and the Go
# emitter (both render concurrently) and every test of behaviour run under it.
# internal/hostile, every generated parser against hostile bodies, is the
# exception among behaviour tests: its bodies are in memory, which FromResponse
# reads without a goroutine, so the race detector only made it five times
# slower (50 s, the whole run's long pole once format v2 added twenty
# parsers); the goroutine that bounds a network body's read is raced in
# apierr's own tests (PeekBody, the transport) and in the feature tests.
# Test binaries run four at a time on two cores: many of them wait on child
# processes (go list, go build, git) or loopback servers, so -p 2 left a core
# idle much of the run (47 s of make test's root run against 35 s).
TESTP ?= 4
SERIAL = /(catalog|cmd/[^/]+|gen/(diff|load|markdown|model)|vet|internal/(hygiene|hostile)|templates)$$
RACE ?= $(shell [ "$$($(GO) env CGO_ENABLED)" = 1 ] && command -v "$$($(GO) env CC)" >/dev/null 2>&1 && echo -race)
# The root module's raced and unraced halves and the other modules' tests
# run side by side (the Redis fleet proof mostly waits on its rate limit,
# and run one after the other the two halves left a core idle at each
# one's tail: 78 s against 50 s and 28 s); --output-sync keeps each one's
# output together.
test:
	@$(MAKE) --no-print-directory -j 3 --output-sync=target test-race test-serial test-modules

# test-root is the root module's tests alone: test-race and test-serial.
test-root: test-race test-serial

test-race:
	$(GO) test $(RACE) -p $(TESTP) -count=1 $$($(GO) list $(PKGS) | grep -v -E '$(SERIAL)')

test-serial:
	$(GO) test -p $(TESTP) -count=1 $$($(GO) list $(PKGS) | grep -E '$(SERIAL)')

test-modules:
	cd examples/consumer && $(GO) test $(RACE) -count=1 ./...
	cd $(DEVTEST) && $(GO) test -count=1 ./...
	cd golangci && $(GO) test -count=1 ./...
	$(MAKE) --no-print-directory test-integrations

test-integrations:
	@command -v redis-server >/dev/null 2>&1 || echo "redis-server not installed: the Redis limiter's tests are skipped (apt-get install redis-server)"
	@set -e; for d in $(INTEGRATIONS); do \
		echo "cd $$d && $(GO) test $(RACE) -count=1 ./..."; \
		(cd $$d && $(GO) test $(RACE) -count=1 ./...); \
	done

## fleet: the longer fleet proof (README "Running a fleet"): replicas sharing
## one Redis against a fake vendor, with the measured table
FLEET_REQUESTS ?= 50
fleet:
	cd integrations/redislimit && FLEET_REQUESTS=$(FLEET_REQUESTS) $(GO) test -count=1 -run '^TestFleetSharesQuota$$' -v ./...

## test-norace: the tests that -race skips because the race detector makes
## them take minutes and they cover no concurrency (type-checking the package
## of a 10,000-code catalog, counting its lines per code); CI runs it after make test
test-norace:
	$(GO) test -count=1 -run '^(TestLargeCatalogTypeChecks|TestLinesPerCode)$$' -v ./gen/golang/

## test-long: the size bounds at full size (a ~24 MiB catalog, a 1 GiB
## streamed body, a 100 MiB gzip bomb) instead of the few MiB make test
## uses; see README.md
test-long:
	ERRCAT_LONG_TESTS=1 $(GO) test -count=1 -run '^(TestHugeFiles|TestGiantStreamingBodyStaysReadable|TestDecodeContent)$$' -v ./gen/load/ ./internal/hostile/ ./apierr/errcatimpl/

## test-oldest: build and test with the oldest supported Go release (fetched
## as a toolchain module from the Go module proxy)
OLDEST_GO ?= go1.25.14
test-oldest:
	GOTOOLCHAIN=$(OLDEST_GO) $(GO) vet $(PKGS)
	GOTOOLCHAIN=$(OLDEST_GO) $(GO) test -p $(TESTP) -count=1 $(PKGS)

## lint: gofmt, go vet, errcat vet and staticcheck
lint: fmt-check vet staticcheck

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)
	cd examples/consumer && $(GO) vet ./...
	cd bench && $(GO) vet ./...
	cd golangci && $(GO) vet ./...
	cd $(DEVTEST) && $(GO) vet ./...
	$(GO) run ./cmd/errcat vet $(PKGS)
	cd examples/consumer && $(GO) tool errcat vet ./...
	@set -e; for d in $(INTEGRATIONS); do echo "cd $$d && $(GO) vet ./..."; (cd $$d && $(GO) vet ./...); done

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)
	cd $(DEVTEST) && $(GO) run $(STATICCHECK) ./...

## bench: the benchmarks behind README.md's performance section
BENCHCOUNT ?= 3
bench:
	$(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./internal/perf/ ./apierr/...
	$(GO) test -run '^$$' -bench '10k' -benchmem -benchtime 3x -count $(BENCHCOUNT) ./gen/
	cd bench && $(GO) test -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) ./...

## bench-ratios: FromResponse ÷ the hand-written decode, errcat and manual
## run alternately (RATIOROUNDS rounds), as README's performance section
## reports them; then the allocation-bound table
RATIOROUNDS ?= 5
bench-ratios:
	internal/perf/ratios.sh $(RATIOROUNDS)
	$(GO) test -count=1 -run '^TestAllocationBound$$' -v ./internal/perf/

## fuzz: run every fuzz target briefly (FUZZTIME each). Targets are found
## with grep, not `go test -list`, which linked a test binary for each of the
## module's forty packages (40 s of CI) to find eight with targets.
# Go before 1.27 may fail a fuzz run with a bare "context deadline exceeded"
# when -fuzztime ends while a worker is mid-call (go.dev/issue/75804, a race
# in the fuzz coordinator, seen here under load). A run that fails that way
# and wrote no failing input is run once more; any other failure, and any
# run that found an input, fails at once.
fuzz:
	@set -e; out=$$(mktemp); trap 'rm -f "$$out"' EXIT; \
	for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for fn in $$(grep -h -o '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go | cut -d' ' -f2); do \
			echo "fuzz $$fn in $$dir for $(FUZZTIME)"; \
			rc=0; $(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$dir >"$$out" 2>&1 || rc=$$?; cat "$$out"; \
			if [ $$rc -ne 0 ]; then \
				if grep -q 'context deadline exceeded' "$$out" && ! grep -q -e 'Failing input written' -e 'panic:' "$$out"; then \
					echo "fuzz $$fn: the fuzz coordinator's deadline race (go.dev/issue/75804), no input found: running it again"; \
					$(GO) test -run '^$$' -fuzz "^$$fn$$" -fuzztime $(FUZZTIME) $$dir; \
				else exit $$rc; fi; \
			fi; \
		done; \
	done

## ci: everything CI checks
ci: lint check test test-norace
