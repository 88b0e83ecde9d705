# Annals: `make run` starts the app on the seed data, `make test` runs every check.
# Both install what is missing first (Debian packages, with sudo when not root;
# npm packages), so they work on a fresh Debian or Ubuntu with Rust and Node.

SHELL := /bin/bash
.DEFAULT_GOAL := help

CARGO ?= cargo
# The app embeds ui/dist (custom-protocol); `e2e` only adds the end-to-end test
# target, which needs a display, so plain test runs leave it out.
APP_FEATURES := custom-protocol
E2E_FEATURES := custom-protocol,e2e
APP := target/debug/annals-app
CLI := target/debug/annals
DISPLAY_NUM ?= 99
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := libwebkit2gtk-4.1-dev build-essential pkg-config xvfb xauth webkit2gtk-driver imagemagick x11-utils xdotool dbus
export CARGO_PROFILE_DEV_DEBUG ?= 0
# Every cargo build here uses the committed Cargo.lock as it is.
LOCKED := --locked
# cargo-deny, pinned: 0.20.2 builds with Rust 1.88 and later and fetches its
# advisory database with the git command (no git library to compile).
CARGO_DENY_VERSION := 0.20.2
# The RustSec snapshot beside the repository (CI clones the repository beside
# shared/), and where cargo-deny reads it (deny.toml's db-path).
ADVISORY_SNAPSHOT ?= ../shared/rustsec-advisory-db
ADVISORY_DBS := target/advisory-dbs

# Runs a command with a display: $DISPLAY when one is given, else an Xvfb
# started for it and stopped after; the command's exit status is kept.
define with-display
if [ -z "$$DISPLAY" ]; then \
  Xvfb :$(DISPLAY_NUM) -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$$!; \
  export DISPLAY=:$(DISPLAY_NUM); sleep 1; \
fi; \
$(1); status=$$?; \
[ -n "$$xvfb" ] && kill $$xvfb; exit $$status
endef

.PHONY: help deps deps-apt deps-npm deps-deny supply-chain ui build run test lint test-rust test-ui bindings-check e2e screenshot measure measure-import measure-datasets bench eval eval-events eval-parser train-parser train-anchoring deb data clean fuzz frames compare release-bins

help: ## This list
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

deps: deps-apt deps-npm ## Install missing Debian and npm packages

deps-apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

deps-npm: ui/node_modules/.package-lock.json

ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

ui: deps-npm ## Build the frontend into ui/dist
	cd ui && npm run build

build: deps ui ## Build the app and the CLI (debug)
	$(CARGO) build $(LOCKED) --workspace --features $(APP_FEATURES)

run: build ## Build and start the app (database in the app data folder, or $$ANNALS_DB)
	$(APP)

test: deps ## Every check: fmt, clippy, supply chain, Rust tests, bindings drift, UI tests, end-to-end
	$(MAKE) lint
	$(MAKE) supply-chain
	$(MAKE) test-rust
	$(MAKE) bindings-check
	$(MAKE) test-ui
	$(MAKE) e2e

lint: ui ## cargo fmt --check and clippy -D warnings (the app embeds ui/dist)
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(LOCKED) --workspace --all-targets --features $(E2E_FEATURES) -- -D warnings
	$(CARGO) clippy $(LOCKED) -p annals-cli --all-targets --features annals-cli/test-hooks -- -D warnings

test-rust: ui ## Core, CLI and shell tests (fast: no window)
	$(CARGO) test $(LOCKED) --workspace --features $(APP_FEATURES),annals-cli/test-hooks

bindings-check: ## The committed TypeScript bindings match the Rust types
	@git diff --exit-code --stat -- ui/src/bindings || { echo "ui/src/bindings is stale: run cargo test and commit it"; exit 1; }
	@untracked=$$(git ls-files --others --exclude-standard -- ui/src/bindings); \
	  [ -z "$$untracked" ] || { echo "new bindings not committed: $$untracked"; exit 1; }

deps-deny: ## Install cargo-deny (the pinned version) when it is missing
	@if [ "$$($(CARGO) deny --version 2>/dev/null)" != "cargo-deny $(CARGO_DENY_VERSION)" ]; then \
	  echo "installing cargo-deny $(CARGO_DENY_VERSION) (about 5 minutes on 2 cores)"; \
	  $(CARGO) install --locked cargo-deny@$(CARGO_DENY_VERSION); \
	fi

# No network for advisories: cargo-deny reads the RustSec snapshot (its age is
# printed; it fails past deny.toml's maximum-db-staleness), npm audit asks the
# registry (scripts/npm-audit.sh says what happens when it cannot). `--offline`
# also keeps cargo-deny's `cargo metadata` off the network, so `cargo fetch` first
# brings every platform's crates (the graph covers Windows and macOS too).
supply-chain: deps-deny deps-npm ## cargo deny (advisories, licences, sources, bans) and npm audit of what ships
	@start=$$(date +%s); \
	scripts/advisory-snapshot.sh $(ADVISORY_SNAPSHOT) $(ADVISORY_DBS) && \
	$(CARGO) fetch --locked --quiet && \
	$(CARGO) deny --offline --locked check advisories licenses sources bans && \
	scripts/npm-audit.sh && \
	echo "supply chain checked in $$(( $$(date +%s) - start )) s"

test-ui: deps-npm ## Type check and unit tests of the frontend
	cd ui && npm run check && npm test

# Xvfb is started only when no display is given; the tests start their own
# WebKitWebDriver and app per test, each on a temporary database.
e2e: build ## End-to-end tests of the real app over WebDriver under Xvfb
	@$(call with-display,$(CARGO) test $(LOCKED) --features $(E2E_FEATURES) --test e2e -- --test-threads=1)

screenshot: build ## Run the app under Xvfb on a fresh seeded database, save docs/screenshot.png
	@mkdir -p docs; tmp=$$(mktemp -d); \
	Xvfb :$(DISPLAY_NUM) -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$$!; sleep 1; \
	ANNALS_DB=$$tmp/annals.sqlite3 DISPLAY=:$(DISPLAY_NUM) timeout 30 $(APP) >/dev/null 2>&1 & app=$$!; \
	DISPLAY=:$(DISPLAY_NUM) timeout 15 xdotool search --sync --name '^Annals$$' >/dev/null; sleep 3; \
	DISPLAY=:$(DISPLAY_NUM) import -window root docs/screenshot.png; \
	kill $$app $$xvfb 2>/dev/null; rm -rf $$tmp; echo "wrote docs/screenshot.png"

measure-import: deps ui ## Import the Reuters corpus through the window (release build), stories/s
	$(CARGO) build --release --features $(E2E_FEATURES)
	@$(call with-display,ANNALS_APP=target/release/annals-app $(CARGO) run -q --features $(E2E_FEATURES) --example import_speed)

DATASET_ROWS ?= 1000000
measure-datasets: ## CSV dataset import speed (release): a generated CSV of DATASET_ROWS rows, three runs, rows/s
	$(CARGO) run --release --locked -q -p annals-core --example dataset_speed -- $(DATASET_ROWS) 3

bench: ## Criterion benchmarks (tagger throughput, window queries over a million events)
	$(CARGO) bench -p annals-core

eval: ## Score the date tagger on the TimeML development corpora
	$(CARGO) build --profile eval --locked -p annals-cli
	../shared/corpora/eval-timeml.sh target/eval/annals ../shared/corpora/timeml-dev/tml/timebank ../shared/corpora/timeml-dev/plain/timebank
	../shared/corpora/eval-timeml.sh target/eval/annals ../shared/corpora/timeml-dev/tml/aquaint ../shared/corpora/timeml-dev/plain/aquaint

eval-events: ## Score event anchoring (strict: the trigger must be the linked event) on TimeML
	$(CARGO) build --profile eval --locked -p annals-cli
	../shared/corpora/eval-events.sh target/eval/annals ../shared/corpora/timeml-dev/tml/timebank ../shared/corpora/timeml-dev/plain/timebank
	../shared/corpora/eval-events.sh target/eval/annals ../shared/corpora/timeml-dev/tml/aquaint ../shared/corpora/timeml-dev/plain/aquaint

deb: deps deps-npm ## Build the .deb package (release; DEB_FLAGS=--debug for a quick one), with the app and the `annals` command
	$(CARGO) build $(LOCKED) -p annals-cli $(if $(findstring --debug,$(DEB_FLAGS)),,--release)
	mkdir -p target/deb-cli && cp target/$(if $(findstring --debug,$(DEB_FLAGS)),debug,release)/annals target/deb-cli/annals
	ui/node_modules/.bin/tauri build --bundles deb $(DEB_FLAGS)
	@deb=$$(ls -1t target/*/bundle/deb/*.deb | head -1); echo "$$deb"; \
	  dpkg-deb -c "$$deb" | grep -q '[ /.]usr/bin/annals$$' || { echo "the package lacks /usr/bin/annals"; exit 1; }; \
	  dpkg-deb -c "$$deb" | grep -q '[ /.]usr/lib/annals/parser.model$$' || { echo "the package lacks the syntax model"; exit 1; }; \
	  dpkg-deb --fsys-tarfile "$$deb" | tar -xO --wildcards '*usr/share/applications/*.desktop' | grep -q '^Categories=Office;' \
	    || { echo "the package's desktop entry is not in the Office category"; exit 1; }; \
	  ls -l "$$deb"

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := intake_text intake_markdown intake_html story_line sentences extract tag parse

# -detect_leaks=0: the gazetteer and the syntax model live in statics for the
# life of the process, which LeakSanitizer reports at exit.
fuzz: ## Each cargo-fuzz target for FUZZ_SECONDS (nightly, cargo-fuzz; see fuzz/README.md)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p fuzz/corpus-work/$$t; \
	  if [ -d fuzz/corpus/$$t ]; then cp -n fuzz/corpus/$$t/* fuzz/corpus-work/$$t/; fi; \
	  ASAN_OPTIONS=detect_leaks=0 nice -n 15 $(CARGO) +nightly fuzz run -O $$t fuzz/corpus-work/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	    -detect_leaks=0 || exit 1; \
	done

UD := ../shared/corpora/ud-english-ewt

eval-parser: ## Score data/parser.model on UD English EWT dev and test (gold words)
	$(CARGO) run --release --locked -q -p annals-core --example train_parser -- --score data/parser.model $(UD)/en_ewt-ud-dev.conllu $(UD)/en_ewt-ud-test.conllu

train-anchoring: ## Train data/anchoring.model on the TimeML TLINKs and print its cross-validated scores
	$(CARGO) run --profile eval --locked -q -p annals-core --example train_anchoring -- ../shared/corpora/timeml-dev --out data/anchoring.model

train-parser: ## Train data/parser.model on UD English EWT (about five minutes)
	scripts/train-parser.sh $(UD)

data: deps-npm ## Regenerate data/countries.json from the world-countries package
	node scripts/gen-countries.mjs

clean:
	$(CARGO) clean
	rm -rf ui/dist ui/node_modules

FRAMES_EVENTS ?= 1000000
# The release CLI and app (with the WebDriver hooks) that measurements drive.
release-bins: deps ui
	$(CARGO) build --release $(LOCKED) -p annals-cli
	$(CARGO) build --release $(LOCKED) --features $(E2E_FEATURES) --bin annals-app

frames: release-bins ## Frame and query times of the real app (release) at FRAMES_EVENTS events: zoom all time to a day and back, pan a year
	@$(call with-display,ANNALS_APP=target/release/annals-app ANNALS_CLI=target/release/annals $(CARGO) run -q $(LOCKED) --features $(E2E_FEATURES) --example frames -- $(FRAMES_EVENTS))

COMPARE_EVENTS ?= 1000 10000 100000
compare: release-bins ## Our timeline against vis-timeline in the same webview (release): first render and zoom frames at COMPARE_EVENTS events
	@$(call with-display,ANNALS_APP=target/release/annals-app ANNALS_CLI=target/release/annals $(CARGO) run -q $(LOCKED) --features $(E2E_FEATURES) --example compare -- $(COMPARE_EVENTS))

measure: build ## Start-up time (launch to first timeline frame) and memory of the real app
	@$(call with-display,$(CARGO) run -q --features $(E2E_FEATURES) --example startup)
