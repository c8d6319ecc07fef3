# Customer Lookup: `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
# Python 3.12, which requirements/ is locked for; else the first newer one on PATH (with pyenv,
# .python-version makes python3 resolve to 3.12).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
# Tests need a secret key (DEBUG is off there); it is only ever used by the test run.
TEST_ENV := SECRET_KEY=test-only-not-secret
# djade (the template formatter) on every template.
DJADE := find templates -name '*.html' -print0 | xargs -0 $(BIN)/djade

# The locked, hashed dependencies (`make lock` writes them from pyproject.toml): what runs the
# app (its dependencies and the `prod` extra), and that plus the `test` extra.
APP_LOCK := requirements/app.txt
DEV_LOCK := requirements/dev.txt
# pip refuses any package, dependency or file whose hash is not in the lock file.
LOCKED_PIP := $(BIN)/pip install --quiet --require-hashes
# Then the project itself, editable, from what is installed only (no index, the locked setuptools):
# it fails, naming the package, when pyproject.toml asks for something the lock file lacks.
comma := ,
INSTALL_PROJECT = $(BIN)/pip install --quiet --no-index --no-build-isolation -e ".[$(1)]" \
	|| { echo "pyproject.toml and requirements/ disagree: run make lock."; exit 1; }
# The catalogues (docs/languages.md): makemessages writes locale/<ll>/LC_MESSAGES/*.po for the
# shipped languages; compilemessages compiles them (.mo files are not committed) with GNU
# gettext's msgfmt (Debian: apt-get install gettext). Keep the options in step with
# customers/management/commands/check_messages.py.
MAKEMESSAGES := DEBUG=true $(BIN)/python manage.py makemessages --no-location --no-obsolete --no-wrap \
	-l hi -l ar -l zh_Hans -i '.venv/*' -i 'tests/*' -i 'node_modules/*' -i 'staticfiles/*' -i 'deploy/*' -i 'docs/*'
COMPILE_MESSAGES = @command -v msgfmt >/dev/null 2>&1 \
	|| { echo "msgfmt is missing: install GNU gettext (Debian: apt-get install gettext)."; exit 1; }; \
	DEBUG=true $(BIN)/python manage.py compilemessages --verbosity 0 \
	--ignore '.venv*' --ignore node_modules --ignore .git --ignore staticfiles
# make check-messages also fails on an untranslated or fuzzy entry when this is 1.
CHECK_MESSAGES_COMPLETE ?= 1

# The tests' Node packages: the OpenID Connect provider and axe-core.
NODE_TEST_DEPS := tests/oidc/node_modules/.package-lock.json tests/a11y/node_modules/.package-lock.json

.PHONY: help install install-dev run serve test test-fast lint typecheck format check bench \
	coverage lock clean messages check-messages

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(VENV)/.installed: $(APP_LOCK) pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (none found on PATH)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(LOCKED_PIP) -r $(APP_LOCK)
	$(call INSTALL_PROJECT,prod)
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed $(DEV_LOCK)
	$(LOCKED_PIP) -r $(DEV_LOCK)
	$(call INSTALL_PROJECT,prod$(comma)test)
	@touch $@

# The OpenID Connect provider the company sign-in tests run (skipped without Node and npm).
tests/oidc/node_modules/.package-lock.json: tests/oidc/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/oidc && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the company sign-in tests will be skipped."; fi

# axe-core, which the accessibility tests inject into each page (skipped without Node and npm).
tests/a11y/node_modules/.package-lock.json: tests/a11y/package-lock.json
	@if command -v npm >/dev/null 2>&1; then cd tests/a11y && npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is missing: the accessibility tests will be skipped."; fi

install: $(VENV)/.installed ## Create .venv with what runs the app (locked in requirements/app.txt), compile the catalogues
	$(COMPILE_MESSAGES)

install-dev: $(VENV)/.installed-dev ## Add the test, lint and type tools (requirements/dev.txt); make test and the checks do it themselves
	$(COMPILE_MESSAGES)

run: install ## Migrate, seed the sandbox, create demo users and serve on 127.0.0.1:$PORT
	export DEBUG=true; \
	$(BIN)/python manage.py migrate --no-input && \
	$(BIN)/python manage.py seed_sandbox && \
	$(BIN)/python manage.py demo_users && \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install-dev $(NODE_TEST_DEPS) ## Run the whole test suite (installs the test tools and Node packages first)
	$(TEST_ENV) $(BIN)/pytest

# Left out: the tests marked browser (Chromium through Playwright), services (PostgreSQL and Redis
# behind gunicorn pairs, nginx and PostgreSQL clusters of their own) or process (gunicorn, the
# OpenID Connect provider). tests/conftest.py adds browser and process from the fixtures a test uses.
test-fast: install-dev ## The suite without browser, deploy and multi-process tests (no Node needed)
	$(TEST_ENV) $(BIN)/pytest -m "not browser and not services and not process"

lint: install-dev ## ruff check, ruff format --check, djade --check (templates), import-linter (layers)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(DJADE) --check
	$(BIN)/lint-imports --no-cache

typecheck: install-dev ## mypy with django-stubs over the app and the wiring
	$(TEST_ENV) $(BIN)/mypy

format: install-dev ## Fix what ruff can fix, format the code and the templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(DJADE)

check: lint typecheck check-messages $(NODE_TEST_DEPS) ## lint, types, catalogues, Django's system checks, missing migrations, then the tests
	$(TEST_ENV) $(BIN)/python manage.py check
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(TEST_ENV) $(BIN)/pytest

messages: install-dev ## Extract the strings of the code and templates into locale/'s catalogues (then translate them)
	$(MAKEMESSAGES) -i 'deploy/*' -i 'docs/*'
	$(MAKEMESSAGES) -d djangojs

check-messages: install-dev ## Fail when a catalogue misses a string or has an error (CHECK_MESSAGES_COMPLETE=1: or an untranslated one)
	$(TEST_ENV) $(BIN)/python manage.py check_messages $(if $(filter 1,$(CHECK_MESSAGES_COMPLETE)),--complete)

serve: install ## Production: collectstatic, migrate, gunicorn on 127.0.0.1:$PORT (SECRET_KEY set)
	export DEBUG=false; \
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0 && \
	$(BIN)/python manage.py migrate --no-input && \
	PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py lookupsite.wsgi

# Audit rows for `make bench` (BENCH_ROWS=10000000 is the slow, 10-million-row run).
BENCH_ROWS ?= 1000000

bench: install-dev ## Benchmarks on PostgreSQL + Redis at 127.0.0.1 (minutes): prints tables
	$(BIN)/python -m tests.benchmarks.bench_lookup
	@if [ -f tests/benchmarks/bench_render.py ]; then $(TEST_ENV) $(BIN)/python -m tests.benchmarks.bench_render; fi
	$(BIN)/python -m tests.benchmarks.bench_browser
	$(BIN)/python -m tests.benchmarks.bench_audit --rows $(BENCH_ROWS)
	$(BIN)/python -m tests.benchmarks.bench_audit_write

coverage: install-dev $(NODE_TEST_DEPS) ## Run the suite under coverage and print what each module's tests reach
	$(TEST_ENV) $(BIN)/coverage run -m pytest -q
	$(BIN)/coverage report --skip-covered --sort=cover

# The lock files are for Python 3.12 on Linux; pip-tools resolves with pip itself, in a venv of
# its own. `make lock` keeps the pins that still fit pyproject.toml; UPGRADE=1 moves every one to
# the newest release pyproject.toml allows. dev.txt is resolved within app.txt's pins.
LOCK_VENV := .venv-lock
PIP_TOOLS_VERSION := 7.6.2
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --build-deps-for editable \
	--no-emit-index-url --no-emit-trusted-host --no-emit-find-links $(if $(UPGRADE),--upgrade)

$(LOCK_VENV)/.pip-tools-$(PIP_TOOLS_VERSION):
	@command -v python3.12 >/dev/null 2>&1 || { echo "make lock needs python3.12 on PATH."; exit 1; }
	rm -rf $(LOCK_VENV) && python3.12 -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet "pip-tools==$(PIP_TOOLS_VERSION)"
	@touch $@

lock: $(LOCK_VENV)/.pip-tools-$(PIP_TOOLS_VERSION) ## Write requirements/*.txt from pyproject.toml (UPGRADE=1: newest allowed)
	@mkdir -p requirements
	$(PIP_COMPILE) --extra prod --output-file $(APP_LOCK) pyproject.toml
	$(PIP_COMPILE) --extra prod --extra test --constraint $(APP_LOCK) --output-file $(DEV_LOCK) \
		pyproject.toml

clean: ## Remove the virtualenvs, collected static files and caches
	rm -rf $(VENV) $(LOCK_VENV) staticfiles .pytest_cache .ruff_cache
