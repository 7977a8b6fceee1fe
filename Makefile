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
# - cargo-fuzz needs nightly compiler flags: it uses the nightly toolchain when one is installed,
#   otherwise the stable one with RUSTC_BOOTSTRAP=1 (a new machine cannot download a toolchain).
# - wrk (load tests) is Debian's package; so is promtool (prometheus), which checks /metrics.
# - nginx (`make cluster`, and the Playwright suite, which runs through it) is Debian's package,
#   run as the calling user from target/ (scripts/cluster.sh); Debian's own service is not used.
# - kubernetes-validate (PyPI) checks deploy/kubernetes/ offline against the Kubernetes schemas
#   it bundles; it lives in .venv/ with its dependencies pinned in tools/kubernetes-validate.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
CARGO_FUZZ_VERSION := 0.13.2
# The OpenAPI check (scripts/openapi_check.sh): schemathesis and openapi-spec-validator, pinned
# with their dependencies in tools/openapi-check.txt.
SCHEMATHESIS_VERSION := 4.32.5
OPENAPI_VENV := .venv-openapi
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

ADDR ?= 127.0.0.1:3000
TEST_ADDR ?= 127.0.0.1:3100
SITE := target/site
ECHARTS := public/vendor/echarts.min.js

# Fuzzing: seconds per target for `make fuzz`, and for the shorter run inside `make test`.
FUZZ_TARGETS := units query report_import hpa_yaml router traffic
FUZZ_SECONDS ?= 60
TEST_FUZZ_SECONDS ?= 30
FUZZ_CARGO = $(if $(shell rustup toolchain list 2>/dev/null | grep '^nightly'),cargo +nightly,RUSTC_BOOTSTRAP=1 cargo)
FUZZ_DIRS := --fuzz-dir fuzz --target-dir target/fuzz
# How the targets are built: `make fuzz` as cargo-fuzz builds by default (optimized, with
# AddressSanitizer, one codegen unit: slow to build, fast to run); the short run inside
# `make test` unoptimized and without a sanitizer, which builds in a quarter of the time and
# still finds what these targets look for: panics, overflow (debug assertions are on) and
# unbounded work in our safe Rust (BENCHMARKS.md, "Fuzzing inside make test").
FUZZ_BUILD ?=
TEST_FUZZ_BUILD ?= --dev --sanitizer none

# `make cluster`: nginx's address; the replicas listen on the next three ports.
CLUSTER_ADDR ?= 127.0.0.1:3080
# kubernetes-validate, and the Kubernetes versions the manifests are checked against: the oldest
# they need (the preStop `sleep` action is on by default from 1.30) and the newest it bundles.
VENV := .venv
KUBERNETES_VALIDATE_VERSION := 1.37.0
KUBERNETES_VERSIONS := 1.30.0 1.37.0

.PHONY: help setup setup-rust-target setup-cargo-leptos setup-wasm-bindgen setup-chromium setup-prometheus setup-nginx setup-kubernetes-validate setup-openapi-check openapi-check run build test check lint unit wasm-check e2e bench sizes clean-site setup-fuzz fuzz fuzz-corpus setup-wrk load restart-test ops-check metrics-check abuse cluster cluster-stop cluster-check k8s-check

help:
	@echo "make run    set up, build (release) and serve on http://$(ADDR)"
	@echo "make test   set up and run every check: fmt, clippy, unit, wasm, end to end, fuzz, load"
	@echo "make bench  run the benchmarks and print a table"
	@echo "make fuzz   run each cargo-fuzz target for FUZZ_SECONDS (default $(FUZZ_SECONDS))"
	@echo "make load   load test on loopback: 256 connections for 60 s, zero errors, flat memory"
	@echo "make restart-test  restart the server under load; no request may be lost"
	@echo "make metrics-check /metrics after a short load run, checked with promtool"
	@echo "make cluster  three replicas behind nginx on http://$(CLUSTER_ADDR) (Ctrl-C stops them)"
	@echo "make cluster-check  kill a replica under load, the rate limit across replicas, and more"
	@echo "make k8s-check  validate deploy/kubernetes/ offline"

setup: setup-rust-target setup-cargo-leptos setup-wasm-bindgen node_modules/.package-lock.json $(ECHARTS) setup-chromium setup-prometheus setup-nginx setup-kubernetes-validate setup-openapi-check

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

# promtool, which checks a /metrics scrape (`make metrics-check`); the server, node exporter and
# the rest that Debian recommends are not needed.
setup-prometheus:
	@if command -v promtool >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; \
	else echo "promtool is missing: run  sudo apt-get install -y --no-install-recommends prometheus"; exit 1; fi

# nginx for `make cluster` and the Playwright suite. Where an init system runs, Debian's package
# also starts its own nginx on port 80; ours is a separate process with its own prefix in target/.
setup-nginx:
	@if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx; \
	else echo "nginx is missing: run  sudo apt-get install -y --no-install-recommends nginx"; exit 1; fi

# kubernetes-validate in its own virtual environment, every package at the version in
# tools/kubernetes-validate.txt (reinstalled when that file changes).
setup-kubernetes-validate: $(VENV)/.kubernetes-validate

$(VENV)/.kubernetes-validate: tools/kubernetes-validate.txt
	@[ -x $(VENV)/bin/pip ] || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --disable-pip-version-check -r tools/kubernetes-validate.txt
	@$(VENV)/bin/kubernetes-validate --version | grep -q "$(KUBERNETES_VALIDATE_VERSION)"
	@touch $@

# schemathesis and openapi-spec-validator in a virtual environment of their own (their jsonschema
# differs from kubernetes-validate's), every package at the version in tools/openapi-check.txt
# (reinstalled when that file changes).
setup-openapi-check: $(OPENAPI_VENV)/.openapi-check

$(OPENAPI_VENV)/.openapi-check: tools/openapi-check.txt
	@[ -x $(OPENAPI_VENV)/bin/pip ] || python3 -m venv $(OPENAPI_VENV)
	$(OPENAPI_VENV)/bin/pip install -q --disable-pip-version-check -r tools/openapi-check.txt
	@$(OPENAPI_VENV)/bin/st --version | grep -q "$(SCHEMATHESIS_VERSION)"
	@touch $@

# --precompress leaves .br and .gz beside every static file; the server sends those as they are.
build: setup
	cargo leptos build --release --precompress --split

run: build
	@echo "Headroom: http://$(ADDR)"
	LEPTOS_SITE_ADDR=$(ADDR) LEPTOS_SITE_ROOT=$(SITE) ./target/release/headroom serve

lint: setup
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p headroom-app --features hydrate --target wasm32-unknown-unknown -- -D warnings

unit: setup
	cargo test --workspace

wasm-check: setup
	cargo check -p headroom --target wasm32-unknown-unknown

# Through nginx in front of three replicas (end2end/playwright.config.ts says why);
# HEADROOM_TEST_DIRECT=1 runs it against one binary.
e2e: build setup-nginx
	HEADROOM_TEST_ADDR=$(TEST_ADDR) npx playwright test --config end2end/playwright.config.ts

# Bundle sizes against tools/size-budget.json: a regression past the ceiling fails the build.
sizes: build
	node tools/sizes.mjs --check

test: lint unit wasm-check e2e sizes k8s-check
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS) FUZZ_BUILD="$(TEST_FUZZ_BUILD)"
	$(MAKE) --no-print-directory ops-check

# cargo-fuzz, pinned; only the fuzz targets need it.
setup-fuzz:
	@if cargo fuzz --version 2>/dev/null | grep -q " $(CARGO_FUZZ_VERSION)$$"; then :; else \
	  cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked; fi

# Each target for FUZZ_SECONDS, starting from the corpus kept in fuzz/corpus (read only); what it
# finds goes to target/fuzz/corpus, crashes to target/fuzz/artifacts.
fuzz: setup-fuzz
	$(FUZZ_CARGO) fuzz build $(FUZZ_BUILD) $(FUZZ_DIRS)
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p target/fuzz/corpus/$$t target/fuzz/artifacts/$$t; \
	  dict=""; [ -f fuzz/$$t.dict ] && dict="-dict=fuzz/$$t.dict"; \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
	  $(FUZZ_CARGO) fuzz run $(FUZZ_BUILD) $(FUZZ_DIRS) $$t target/fuzz/corpus/$$t fuzz/corpus/$$t -- \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	    -artifact_prefix=target/fuzz/artifacts/$$t/ -print_final_stats=1 $$dict \
	    2>target/fuzz/$$t.log || { tail -40 target/fuzz/$$t.log; exit 1; }; \
	  grep -E '^Done|stat::number_of_executed_units' target/fuzz/$$t.log | tail -1; \
	done

# Folds what fuzzing found back into fuzz/corpus, keeping a minimal covering set.
fuzz-corpus: setup-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  rm -rf target/fuzz/merged/$$t && mkdir -p target/fuzz/merged/$$t; \
	  $(FUZZ_CARGO) fuzz run $(FUZZ_DIRS) $$t target/fuzz/merged/$$t fuzz/corpus/$$t target/fuzz/corpus/$$t -- \
	    -set_cover_merge=1 2>/dev/null; \
	  cp -n target/fuzz/merged/$$t/* fuzz/corpus/$$t/ || true; \
	  echo "fuzz/corpus/$$t: $$(ls fuzz/corpus/$$t | wc -l) files"; \
	done

setup-wrk:
	@if command -v wrk >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	else echo "wrk is missing: run  sudo apt-get install -y wrk"; exit 1; fi

# 256 connections for 60 s on loopback: zero errors, one log line per request, flat memory.
load: build setup-wrk
	scripts/load.sh

# Restarts the server three times under load through a shared listening socket: no request lost.
restart-test: build setup-wrk
	scripts/restart.py

# The short versions that `make test` runs, after e2e has built the release binary, the
# attacks of scripts/abuse.py, /metrics after traffic, the replicas behind nginx, and the API
# against its OpenAPI document (about three minutes).
ops-check: setup-wrk setup-prometheus setup-nginx setup-openapi-check
	LOAD_SECONDS=15 scripts/load.sh
	scripts/restart.py --seconds 15 --restarts 2 --connections 64
	scripts/abuse.py
	scripts/metrics_check.sh
	scripts/cluster_check.py
	scripts/openapi_check.sh

# Three replicas behind nginx on loopback, in the foreground; Ctrl-C stops them all.
# `scripts/cluster.sh start` does the same in the background, and `make cluster-stop` stops it.
cluster: build setup-nginx
	CLUSTER_ADDR=$(CLUSTER_ADDR) scripts/cluster.sh run

cluster-stop:
	CLUSTER_ADDR=$(CLUSTER_ADDR) scripts/cluster.sh stop

# Kill a replica under load, the rate limit across replicas, the client's address behind the
# proxy, exports and imports across replicas (about 20 s).
cluster-check: build setup-wrk setup-nginx
	scripts/cluster_check.py

# Every manifest in deploy/kubernetes/ against the Kubernetes schemas kubernetes-validate
# bundles, offline, strictly (an unknown field fails); then a misspelt copy, which must fail, so
# that a validator that checks nothing cannot pass.
k8s-check: setup-kubernetes-validate
	@for v in $(KUBERNETES_VERSIONS); do \
	  $(VENV)/bin/kubernetes-validate --strict --quiet --kubernetes-version $$v deploy/kubernetes/*.yaml || exit 1; \
	done
	@misspelt=$$(mktemp --suffix=.yaml); \
	sed 's/readinessProbe:/readinesProbe:/' deploy/kubernetes/deployment.yaml >"$$misspelt"; \
	if $(VENV)/bin/kubernetes-validate --strict --quiet "$$misspelt" >/dev/null 2>&1; then \
	  rm -f "$$misspelt"; echo "kubernetes-validate passed a misspelt field: it checks nothing"; exit 1; fi; \
	rm -f "$$misspelt"
	@echo "k8s-check: $$(ls deploy/kubernetes/*.yaml | wc -l) manifests valid for Kubernetes $(KUBERNETES_VERSIONS), strictly"

# The served OpenAPI document validated, and schemathesis's bounded run against the release build.
openapi-check: build setup-openapi-check
	scripts/openapi_check.sh

# /metrics on its own listener after a short load run: promtool check metrics, and the counts.
metrics-check: build setup-wrk setup-prometheus
	scripts/metrics_check.sh

# Every attack of scripts/abuse.py against the release build, on loopback.
abuse: build
	scripts/abuse.py

# Every benchmark of issue 8 (core, server, client) and Lighthouse on every page (issue 16) in
# one run, about 12 minutes (LIGHTHOUSE_RUNS=0 skips Lighthouse's 6); writes the results into
# BENCHMARKS.md. `make test` runs no Lighthouse.
bench: build setup-wrk
	tools/bench.sh

clean-site:
	rm -rf $(SITE)
