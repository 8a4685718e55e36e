# pcplay: `make demo` plays the built-in demo library, `make test` runs every check,
# `make release` builds what is published (dist/).
GO ?= go
STATICCHECK_VERSION ?= v0.8.2
GOBIN ?= $(shell $(GO) env GOPATH)/bin
# nfpm builds the .deb packages; `go run pkg@version` leaves go.mod alone.
# v2.48.0 needs Go 1.26.4 or later.
NFPM_VERSION ?= v2.48.0
NFPM ?= $(GO) run github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)
# The Maintainer of the packages.
MAINTAINER ?= the pcplay authors

.PHONY: all build demo test deps test-deps lint fmt-check vet staticcheck unit speaker-nocgo bench fixtures clean release ci-arm64

all: build

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

# Go alone builds pcplay: the speaker opens libasound at run time (purego),
# so no C compiler and no headers; deps installs that library.
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

# vet and staticcheck check bench/cmd/alsafloor too, a cgo benchmark (the
# ALSA headers: test-deps).
vet: test-deps
	$(GO) vet ./...

staticcheck: test-deps
	@test -x $(GOBIN)/staticcheck && $(GOBIN)/staticcheck -version | grep -q '$(STATICCHECK_VERSION:v%=%)' || \
		$(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(GOBIN)/staticcheck ./...

# CI=1: a test that needs a missing tool (tmux, pulseaudio) fails instead of
# skipping, so `make test` (and .ci/run) cannot pass without testing.
# The mp3 decoder (github.com/hajimehoshi/go-mp3, a third-party library
# that each stream's one decoding goroutine calls) is built without the race
# detector's instrumentation: instrumented, it decoded about 20 times slower
# and the player's tests spent most of their time in it (the player package:
# 154 s -> 58 s). All of pcplay's own code, beep and the rest stay
# instrumented. -race also turns on checkptr (the unsafe.Pointer checks) in
# every package, the standard library's math too, whose Float64bits and
# Float64frombits are conversions through unsafe.Pointer: the decoder's
# math.Pow then spent two thirds of its time in checkptr (player's tests:
# 10.6 s of CPU in math.Pow -> 3.9 s). math stays race-instrumented.
RACE_EXEMPT ?= -gcflags='github.com/hajimehoshi/go-mp3/...=-race=false' -gcflags='math=-d=checkptr=0'

# The two longest packages first (go test starts packages in the order
# given; ./... repeats none): in import-path order player started after
# two minutes and ran alone at the end while the other slot of -p 2 idled.
UNIT_FIRST ?= ./player/ ./e2e/

unit: test-deps
	CI=1 $(GO) test -race $(RACE_EXEMPT) -count=1 $(UNIT_FIRST) ./...

# -race needs cgo, so unit's speaker tests call libasound through purego on
# cgo's runtime; the release binaries have none (purego's own). The e2e
# binary is built that way (CGO_ENABLED=0), and speaker-nocgo runs the
# speaker's tests (underrun, release, reopen) that way too.
speaker-nocgo: test-deps
	CI=1 CGO_ENABLED=0 $(GO) test -count=1 -run '^TestSpeaker' ./player/

test: test-deps fmt-check vet staticcheck unit speaker-nocgo

# Release: no cgo, so no build dependencies; see scripts/release.sh. The
# version, commit and date come from git (scripts/version.sh) and show in
# pcplay --version.
release:
	GO="$(GO)" NFPM="$(NFPM)" MAINTAINER="$(MAINTAINER)" scripts/release.sh all

# CI: the arm64 release binary under qemu-aarch64-static: --version, and the
# demo on the null output and into a WAV file (scripts/qemu-check.sh).
ci-arm64:
	@scripts/install-deps.sh ci
	GO="$(GO)" scripts/release.sh binary arm64 dist/ci/pcplay_linux_arm64
	scripts/qemu-check.sh dist/ci/pcplay_linux_arm64

bench: deps
	$(GO) test -run '^$$' -bench . -benchmem ./...

fixtures:
	scripts/mkfixtures.sh

clean:
	rm -rf pcplay dist
