# bwbulk — bulk user creation for Cisco BroadWorks.
# `make help` lists the targets. `make run` and `make test` install what they need on Debian/Ubuntu.

SHELL := /bin/bash
GO ?= go
BIN ?= bwbulk
# The OCI-P R25 schema (third-party, never copied into this repository).
OCIP_SCHEMA_DIR ?= $(abspath ../shared/ocip-schema)
export OCIP_SCHEMA_DIR
export CGO_ENABLED := 1
VERSION := $(shell sed -n 's/^Version *= *"\(.*\)"/\1/p' FyneApp.toml)
LDFLAGS := -X main.version=$(VERSION)
FUZZTIME ?= 30s
STALL_USERS ?= 10000
FYNE_TOOL := fyne.io/tools/cmd/fyne@v1.7.4
MINGW_CC := x86_64-w64-mingw32-gcc

.DEFAULT_GOAL := help
.PHONY: help deps build run test test-unit test-keyring test-postgres smoke schema-check fmt-check release windows windows-test package fuzz bench bench-window stall soak lint sim screenshots golden clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

deps: ## install the system packages (Debian/Ubuntu; idempotent)
	@./scripts/deps.sh

build: deps ## build ./bwbulk
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .

run: build ## build and start the app (on the built-in demo server by default)
	./$(BIN)

sim: build ## run the standalone OCI-P simulator on 127.0.0.1:2208 (ARGS="--tls ..." for more)
	./$(BIN) sim $(ARGS)

test: deps schema-check fmt-check ## everything CI checks: gofmt, vet, -race suite, real keyring, real-window smoke, the .exe under Wine
	$(GO) vet -tags ci ./...
	$(GO) build -ldflags '$(LDFLAGS)' -o $(BIN) .
	$(MAKE) --no-print-directory test-unit test-postgres test-keyring smoke windows-test

test-unit:
	$(GO) test -race -shuffle=on -tags ci -timeout 30m ./...

test-keyring: ## the keyring tests against a real Secret Service (gnome-keyring on a private D-Bus)
	./scripts/keyring-test.sh $(GO) test -race -tags 'ci keyring' -count=1 -run Keyring ./jobs/...

test-postgres: ## the store's tests again on a throw-away PostgreSQL (team mode), and the team tests of the binary
	./scripts/pg-test.sh env BWBULK_TEST_ENGINE=postgres $(GO) test -race -tags ci -count=1 -timeout 30m ./jobs/

smoke: ## the real window under Xvfb: first-frame time and a non-blank screenshot
	./scripts/smoke.sh ./$(BIN)

schema-check:
	@test -f "$(OCIP_SCHEMA_DIR)/OCISchemaAS.xsd" || { echo "OCI-P schema not found in $(OCIP_SCHEMA_DIR) (set OCIP_SCHEMA_DIR)"; exit 1; }

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' ; git ls-files -o --exclude-standard '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

release: deps ## stripped build for this OS
	$(GO) build -trimpath -tags migrated_fynedo -ldflags '-s -w $(LDFLAGS)' -o $(BIN) .

windows: ## cross-build bwbulk.exe for Windows amd64 (mingw-w64)
	BWBULK_DEPS_WINDOWS=1 ./scripts/deps.sh
	GOOS=windows GOARCH=amd64 CC=$(MINGW_CC) $(GO) build -trimpath -tags migrated_fynedo \
		-ldflags '-s -w -H windowsgui $(LDFLAGS)' -o $(BIN).exe .

WINDOWS_GO := GOOS=windows GOARCH=amd64 CC=$(MINGW_CC) $(GO)

windows-test: windows ## bwbulk.exe under Wine 10 (a Debian trixie root cached in /var/cache/bwbulk-wine): screens, task, keyring, exports
	@mkdir -p dist
	$(WINDOWS_GO) test -c -tags 'ci keyring' -o dist/jobs.test.exe ./jobs
	$(WINDOWS_GO) test -c -tags 'ci keyring' -o dist/ui.test.exe ./ui
	./scripts/windows-test.sh $(BIN).exe dist/jobs.test.exe dist/ui.test.exe $(VERSION) shots/windows

package: ## Windows .exe with the icon and metadata embedded (fyne package); see README for macOS
	BWBULK_DEPS_WINDOWS=1 ./scripts/deps.sh
	GOBIN=$(CURDIR)/.tools CGO_ENABLED=0 $(GO) install $(FYNE_TOOL)
	CC=$(MINGW_CC) .tools/fyne package -os windows -release -tags migrated_fynedo \
		-icon assets/icon.png -name $(BIN)

fuzz: ## run every fuzz target for FUZZTIME (default 30s) each
	./scripts/fuzz.sh $(FUZZTIME)

BENCH ?= .

bench: ## run the benchmarks, the scale ones at 1k/10k/100k users (about 10 minutes; compare runs with benchstat); BENCH=regexp picks some
	$(GO) test -tags ci -run '^$$' -bench '$(BENCH)' -benchmem -timeout 60m ./...

bench-window: ## the window's benchmarks at 1k/10k/100k: preview build, edit (a name, a user id) and scroll; Tasks open, filter and search and their store pages
	$(GO) test -tags ci -run '^$$' -bench 'Preview_(Build|Edit|EditUserID|Scroll)$$|Tasks$$' -benchmem -timeout 60m ./ui/
	$(GO) test -tags ci -run '^$$' -bench 'JobsPage$$' -benchmem -timeout 60m ./jobs/

SOAK_COUNT ?= 50

soak: ## every wired test SOAK_COUNT (50) times under -race, then the long variants: a 5-minute outage, 40 kill -9
	set -o pipefail; $(GO) test -race -tags ci -timeout 600m -count=$(SOAK_COUNT) -run 'TestWired' -v . | grep -E '^(--- FAIL|ok|FAIL|panic)'
	set -o pipefail; BWBULK_SOAK=1 $(GO) test -race -tags ci -timeout 60m -count=1 -run 'TestWired' -v . | grep -E '^(--- |ok|FAIL|wired:)'

stall: build ## longest wait of the UI goroutine while a task of STALL_USERS (10000) demo users runs
	./scripts/keyring-test.sh xvfb-run -a -s '-screen 0 1280x800x24' ./$(BIN) --data-dir "$$(mktemp -d)" --measure-stall $(STALL_USERS)

lint: ## go vet, gofmt, staticcheck (fetched from the Go module proxy)
	$(MAKE) --no-print-directory fmt-check
	$(GO) vet -tags ci ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -tags ci ./...

screenshots: build ## drive the real app under Xvfb through every screen; PNGs in shots/
	./scripts/screenshots.sh ./$(BIN) shots

golden: ## regenerate golden files after a reviewed change
	$(GO) test ./wizard/ ./broadworks/internal/ociwire/ -update

clean: ## remove build outputs
	rm -rf $(BIN) $(BIN).exe shots dist
