# Campus: `make demo` serves the demo campus, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo serve install install-dev test test-postgres lint format quality bench bench-import clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.base-installed: requirements/base.lock | $(BIN)/python
	$(PY) -m pip install -q --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(BIN)/python
	$(PY) -m pip install -q --require-hashes -r requirements/dev.lock
	touch $@ $(VENV)/.base-installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

install: $(VENV)/.base-installed node_modules/.package-lock.json

install-dev: $(VENV)/.dev-installed node_modules/.package-lock.json

demo: install
	CAMPUS_DEMO=1 $(MANAGE) migrate --no-input
	CAMPUS_DEMO=1 $(MANAGE) load_demo
	CAMPUS_DEMO=1 $(MANAGE) collectstatic --no-input -v 0
	@echo "Campus de démonstration : http://127.0.0.1:8000/ (Ctrl-C pour arrêter)"
	CAMPUS_DEMO=1 $(MANAGE) db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  CAMPUS_DEMO=1 $(PY) -m gunicorn campus.wsgi -b 127.0.0.1:8000 -w 2 --access-logfile -

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	CAMPUS_TESTING=1 $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

quality: lint
	CAMPUS_TESTING=1 $(MANAGE) makemigrations --check --dry-run
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=campus.example.fr \
	  $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles var

# Benchmark of the catalogue and map at national scale (not a test); see docs/benchmarks.md.
bench: install-dev
	$(PY) bench/trainings_bench.py --database sqlite
	$(PY) bench/trainings_bench.py --database postgres
$(VENV)/.bench-installed: requirements/bench.lock | $(BIN)/python
	$(PY) -m pip install -q --require-hashes -r requirements/bench.lock
	touch $@

# Sirene importer against a plain polars scan: 1 and 5 million generated rows in var/bench/.
bench-import: install-dev $(VENV)/.bench-installed
	$(PY) bench/sirene_bench.py --rows 1000000 --rows 5000000 $(BENCH_ARGS)
