# pcplay: `make demo` plays the built-in demo library, `make test` runs every check.
GO ?= go
STATICCHECK_VERSION ?= v0.8.2
GOBIN ?= $(shell $(GO) env GOPATH)/bin

.PHONY: all build demo test deps test-deps lint fmt-check vet staticcheck unit bench fixtures clean

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

build: deps
	$(GO) build -o pcplay .

# On a machine with no sound device pcplay exits 3 before the UI starts; the
# demo then runs silently on the null output, so the UI can still be tried.
demo: build
	@./pcplay --demo; st=$$?; \
	if [ $$st -eq 3 ]; then \
		echo "make demo: no sound device here, so the demo plays silently (--output null); with speakers you hear it."; \
		sleep 3; ./pcplay --demo --output null; \
	else exit $$st; fi

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

staticcheck: deps
	@test -x $(GOBIN)/staticcheck && $(GOBIN)/staticcheck -version | grep -q '$(STATICCHECK_VERSION:v%=%)' || \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...

# CI=1: a test that needs a missing tool (tmux, pulseaudio) fails instead of
# skipping, so `make test` (and .ci/run) cannot pass without testing.
unit: test-deps
	CI=1 $(GO) test -race -count=1 ./...

test: test-deps fmt-check vet staticcheck unit

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

fixtures:
	scripts/mkfixtures.sh

clean:
	rm -f pcplay
