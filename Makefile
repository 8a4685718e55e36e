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

demo: build
	./pcplay --demo

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

staticcheck: deps
	@test -x $(GOBIN)/staticcheck && $(GOBIN)/staticcheck -version | grep -q '$(STATICCHECK_VERSION:v%=%)' || \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...

unit: test-deps
	$(GO) test -race -count=1 ./...

test: test-deps fmt-check vet staticcheck unit

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

fixtures:
	scripts/mkfixtures.sh

clean:
	rm -f pcplay
