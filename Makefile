# Headroom: `make run` sets up and serves the app; `make test` sets up and runs every check.
# Setup installs only what is missing, at the versions pinned here, so a second run is a no-op.
#
# Versions and traps checked on this kind of machine (2 cores, Rust 1.95, Node 20):
# - cargo-leptos 0.3.11 needs rustc 1.96; 0.3.10 with --locked builds on 1.95 (about 15 min, once).
# - cargo-leptos runs wasm-bindgen and wasm-opt from PATH and otherwise tries to download them.
#   wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock (installed without --locked:
#   with it, the install fails on a yanked dependency).
# - Debian's binaryen (wasm-opt 108) breaks hydration ("WebAssembly.Table.set(): Argument 1 is
#   invalid for table"); npm's binaryen 132 works, so node_modules/.bin comes first on PATH.
# - No sass or tailwind (their binaries cannot be downloaded here): plain CSS.
# - Playwright uses Debian's Chromium (/usr/bin/chromium); it never downloads a browser.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

ADDR ?= 127.0.0.1:3000
TEST_ADDR ?= 127.0.0.1:3100
SITE := target/site
ECHARTS := public/vendor/echarts.min.js

.PHONY: help setup setup-rust-target setup-cargo-leptos setup-wasm-bindgen setup-chromium run build test check lint unit wasm-check e2e bench sizes clean-site

help:
	@echo "make run    set up, build (release) and serve on http://$(ADDR)"
	@echo "make test   set up and run every check: fmt, clippy, unit, wasm, end to end"
	@echo "make bench  run the benchmarks and print a table"

setup: setup-rust-target setup-cargo-leptos setup-wasm-bindgen node_modules/.package-lock.json $(ECHARTS) setup-chromium

setup-rust-target:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown

setup-cargo-leptos:
	@if cargo leptos --version 2>/dev/null | grep -q " $(CARGO_LEPTOS_VERSION)$$"; then :; else \
	  echo "Installing cargo-leptos $(CARGO_LEPTOS_VERSION) (about 15 minutes on 2 cores, once per machine)"; \
	  cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked; fi

setup-wasm-bindgen:
	@grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | grep -q '"$(WASM_BINDGEN_VERSION)"' \
	  || { echo "Cargo.lock's wasm-bindgen is not $(WASM_BINDGEN_VERSION): update WASM_BINDGEN_VERSION"; exit 1; }
	@if wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$"; then :; else \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Our own echarts build (see tools/echarts-entry.js), with the package's license beside it.
$(ECHARTS): tools/echarts-entry.js node_modules/.package-lock.json
	@mkdir -p $(dir $@)
	esbuild tools/echarts-entry.js --bundle --minify --format=iife --legal-comments=none --outfile=$@
	@cp node_modules/echarts/LICENSE $(dir $@)echarts.LICENSE.txt

setup-chromium:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else echo "Chromium is missing: run  sudo apt-get install -y chromium chromium-driver"; exit 1; fi

build: setup
	cargo leptos build --release

run: build
	@echo "Headroom: http://$(ADDR)"
	LEPTOS_SITE_ADDR=$(ADDR) LEPTOS_SITE_ROOT=$(SITE) ./target/release/headroom-server

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p headroom-app --features hydrate --target wasm32-unknown-unknown -- -D warnings

unit: setup
	cargo test --workspace

wasm-check: setup
	cargo check -p headroom --target wasm32-unknown-unknown

e2e: build
	HEADROOM_TEST_ADDR=$(TEST_ADDR) npx playwright test --config end2end/playwright.config.ts

test: lint unit wasm-check e2e

clean-site:
	rm -rf $(SITE)
