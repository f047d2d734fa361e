# The two commands of the README: `make run` and `make test`. Everything a
# machine needs beyond Python 3.11+ and make is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
PYTEST_ARGS ?=
export FLASK_APP := participatie

.PHONY: run test bench lint format messages translations browser oidc-provider clean audit screenshots

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Participatie needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(VENV)/.installed

## Compile the translation catalogs (the .mo files are not kept in git).
translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d translations >/dev/null 2>&1 || $(BIN)/pybabel compile -d translations

## Extract the marked strings and update the catalogs (for developers).
## pybabel skips folders whose name starts with "_" unless told which to skip, and
## templates/_macros/ holds strings every form shows: skip only hidden folders.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F translations/babel.cfg --ignore-dirs '.* __pycache__' --no-location --sort-output -k _l -o translations/messages.pot participatie templates
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -w 100 -i translations/messages.pot -d translations

## Serve the app on SQLite under instance/, with the demo data.
run: $(VENV)/.installed translations
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load --if-empty
	@$(BIN)/flask demo info --host $(HOST) --port $(PORT)
	@# The outbox worker runs beside the server, as cron does in production.
	@( while sleep 60; do $(BIN)/flask mail send >/dev/null 2>&1; done ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

## Debian's chromium for the browser tests: installed where we can (root with apt).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "!!! /usr/bin/chromium is missing and cannot be installed here: the browser tests will be SKIPPED."; \
		echo "!!! Install Debian's chromium package to run them (with CI=true they fail instead)."; \
	fi

## The OpenID Connect provider the log-in tests start (npm's oidc-provider, in
## tests/oidc/): installed from its lock file with the machine's Node.js (Debian's,
## installed with apt where it is missing and we are root).
OIDC_DIR := tests/oidc
$(OIDC_DIR)/node_modules/.installed: $(OIDC_DIR)/package.json $(OIDC_DIR)/package-lock.json
	cd $(OIDC_DIR) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

oidc-provider:
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian's Node.js and npm for the OpenID Connect tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	fi
	@if command -v node >/dev/null && command -v npm >/dev/null; then \
		$(MAKE) --no-print-directory $(OIDC_DIR)/node_modules/.installed; \
	elif [ "$${CI:-}" = true ]; then \
		echo "!!! Node.js and npm are missing: the OpenID Connect tests cannot run." >&2; exit 1; \
	else \
		echo "!!! Node.js and npm are missing: the OpenID Connect tests will be SKIPPED."; \
		echo "!!! Install Node.js 20 or newer to run them (with CI=true make test fails instead)."; \
	fi

## Lint, check the import order, then the whole test suite (SQLite; set
## TEST_DATABASE_URL for PostgreSQL).
test: $(VENV)/.installed-test translations browser oidc-provider
	$(BIN)/ruff check participatie tests
	$(BIN)/ruff format --check participatie tests
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest $(PYTEST_ARGS)

## Benchmarks: page timings with a lot of data and budget counts of real
## elections, printed (never asserted in tests).
bench: $(VENV)/.installed-test translations
	$(BIN)/python -m tests.bench.pages
	$(BIN)/python -m tests.bench.budgets

$(VENV)/.installed-audit: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,audit]'
	@touch $@ $(VENV)/.installed $(VENV)/.installed-test

## The README's screenshots (docs/screenshots/), made from the demo in Chromium.
screenshots: $(VENV)/.installed-test translations browser
	$(BIN)/python -m tests.screenshots

## Security checks: ruff's bandit rules and bandit itself (each accepted finding is
## explained where it is), then pip-audit. Where the vulnerability service cannot be
## reached, it says plainly that the dependency audit did not run.
audit: $(VENV)/.installed-audit
	$(BIN)/ruff check --select S participatie
	$(BIN)/bandit -r participatie -q
	@out=$$($(BIN)/pip-audit --progress-spinner off --skip-editable 2>&1); status=$$?; \
	echo "$$out" | grep -v "could not be audited"; \
	missing=$$(echo "$$out" | grep -c "could not be audited"); \
	if [ $$status -ne 0 ] && ! echo "$$out" | grep -q "could not be audited"; then \
		echo "!!! The dependency audit did NOT run (pip-audit exit $$status): no vulnerability data."; \
	elif [ "$$missing" -gt 0 ]; then \
		echo "!!! The dependency audit did NOT run for $$missing packages: the vulnerability service"; \
		echo "!!! had no data for them (a package mirror without PyPI's JSON API?). Run make audit"; \
		echo "!!! where pypi.org answers. 'No known vulnerabilities' above covers only the rest."; \
	fi; \
	if echo "$$out" | grep -qE "^Found [0-9]+ known vulnerabilit"; then exit 1; fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check participatie tests
	$(BIN)/lint-imports --no-cache

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix participatie tests
	$(BIN)/ruff format participatie tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache $(OIDC_DIR)/node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find translations -name '*.mo' -delete
