# Customer Lookup: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 on PATH (with pyenv, .python-version makes python3 resolve to 3.12).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
# Tests need a secret key (DEBUG is off there); it is only ever used by the test run.
TEST_ENV := SECRET_KEY=test-only-not-secret
# djade (the template formatter) on every template.
DJADE := find templates -name '*.html' -print0 | xargs -0 $(BIN)/djade

.PHONY: help install run serve test lint typecheck format check bench coverage clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (none found on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test,prod]"
	@touch $@

# The OpenID Connect provider the company sign-in tests run (skipped without Node and npm).
tests/oidc/node_modules/.package-lock.json: tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the company sign-in tests will be skipped."; fi

# axe-core, which the accessibility tests inject into each page (skipped without Node and npm).
tests/a11y/node_modules/.package-lock.json: tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the accessibility tests will be skipped."; fi

install: $(VENV)/.installed tests/oidc/node_modules/.package-lock.json tests/a11y/node_modules/.package-lock.json ## Create .venv and install the project with its test extras

run: install ## Migrate, seed the sandbox, create demo users and serve on 127.0.0.1:$PORT
	export DEBUG=true; \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py seed_sandbox && \
	$(BIN)/python manage.py demo_users && \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install ## Run the whole test suite
	$(TEST_ENV) $(BIN)/pytest

lint: install ## ruff check, ruff format --check, djade --check (templates), import-linter (layers)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DJADE) --check
	$(BIN)/lint-imports --no-cache

typecheck: install ## mypy with django-stubs over the app and the wiring
	$(TEST_ENV) $(BIN)/mypy

format: install ## Fix what ruff can fix, format the code and the templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(DJADE)

check: lint typecheck ## lint, types, Django's system checks, missing migrations, then the tests
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest

serve: install ## Production: collectstatic, migrate, gunicorn on 127.0.0.1:$PORT (SECRET_KEY set)
	export DEBUG=false; \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 && \
	$(BIN)/python manage.py migrate --no-input && \
	PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py lookupsite.wsgi

# Audit rows for `make bench` (BENCH_ROWS=10000000 is the slow, 10-million-row run).
BENCH_ROWS ?= 1000000

bench: install ## Benchmarks on PostgreSQL + Redis at 127.0.0.1 (minutes): prints tables
	$(BIN)/python -m tests.benchmarks.bench_lookup
	@if [ -f tests/benchmarks/bench_render.py ]; then $(TEST_ENV) $(BIN)/python -m tests.benchmarks.bench_render; fi
	$(BIN)/python -m tests.benchmarks.bench_browser
	$(BIN)/python -m tests.benchmarks.bench_audit --rows $(BENCH_ROWS)
	$(BIN)/python -m tests.benchmarks.bench_audit_write

coverage: install ## Run the suite under coverage and print what each module's tests reach
	$(TEST_ENV) $(BIN)/coverage run -m pytest -q
	$(BIN)/coverage report --skip-covered --sort=cover

clean: ## Remove the virtualenv, collected static files and caches
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
