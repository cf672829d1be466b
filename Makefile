# Two commands: `make run` brings up the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

export DJANGO_SETTINGS_MODULE := config.settings
# Tests run like production (DEBUG off) with a throwaway key; static files come from the finders.
TEST_ENV := SECRET_KEY=test-only-not-secret CONN_MAX_AGE=0 ALLOWED_HOSTS=testserver,localhost,127.0.0.1 SECURE_COOKIES=0 \
	STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage

.PHONY: run test lint typecheck check static demo clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static: $(BIN)/.installed node_modules/.installed
	DEBUG=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0

demo: static
	DEBUG=1 $(BIN)/python manage.py migrate --noinput --verbosity 0
	DEBUG=1 $(BIN)/python manage.py load_demo

run: demo
	@echo "Werkstatt läuft unter http://$(HOST):$(PORT)/ (Beenden mit Strg+C)"
	@# The background jobs (mails of the participation) run beside the server and stop with it.
	DEBUG=1 $(BIN)/python manage.py db_worker --no-reload --interval 2 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: static
	$(TEST_ENV) $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/.installed
	DEBUG=1 $(BIN)/mypy

check: $(BIN)/.installed
	DEBUG=1 $(BIN)/python manage.py check
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) node_modules staticfiles werkstatt.sqlite3
