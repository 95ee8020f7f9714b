# Campus: `make demo` serves the demo campus, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Python keeps compiled modules (and pytest its rewritten test modules) in __pycache__:
# where the environment forbids it, each test worker and each server or probe the
# suite starts compiles the whole project again (collection took 30 s of CPU, 13
# with the cache).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo serve install install-dev test test-postgres lint migrations-check format quality bench bench-import bench-concurrency bench-cluster lighthouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# --no-compile: pip would compile every module of every package (25 s of a 95 s
# install); Python compiles and keeps those that are imported, on first use.
$(VENV)/.base-installed: requirements/base.lock | $(BIN)/python
	$(PY) -m pip install -q --no-compile --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.dev-installed: requirements/dev.lock | $(BIN)/python
	$(PY) -m pip install -q --no-compile --require-hashes -r requirements/dev.lock
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
	CAMPUS_DEMO=1 $(MANAGE) task_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  CAMPUS_DEMO=1 $(PY) -m gunicorn campus.wsgi -b 127.0.0.1:8000 -w 2 --access-logfile -

# The suite shares the machine's cores (pytest-xdist): each worker has its own test
# database, and for the browser tests its own live server and Chromium. A worker done
# with its share takes tests from the other (worksteal): a few browser tests take
# tens of seconds, and a worker left alone with them made the end of a run idle.
TEST_WORKERS ?= 2

test: lint migrations-check
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-postgres: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint campus --lint

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# A target of its own: `make quality test` (CI) checks the migrations once.
migrations-check: install-dev
	CAMPUS_TESTING=1 $(MANAGE) makemigrations --check --dry-run

quality: lint migrations-check
	DJANGO_SECRET_KEY=$$(head -c 48 /dev/urandom | base64) DJANGO_ALLOWED_HOSTS=campus.example.fr \
	  $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles var

# Benchmarks (not tests); see docs/benchmarks.md. Public pages on the demo data against
# the trivial page, in-process then under wrk for WRK_DURATION seconds a page (the pages
# issue 10 names), page cache off then on; then every public page a crawl finds, cold;
# then the catalogue and map at national scale; then the agenda at 20,000 events.
WRK_DURATION ?= 60
bench: install-dev
	$(PY) bench/pages_bench.py --database sqlite --wrk-duration $(WRK_DURATION) --wrk-core
	$(PY) bench/pages_bench.py --database postgres --wrk-duration $(WRK_DURATION) --wrk-core
	$(PY) bench/pages_bench.py --database sqlite --all-public 400 --page-cache cold --wrk-duration 0
	$(PY) bench/pages_bench.py --database postgres --all-public 400 --page-cache cold --wrk-duration 0
	$(PY) bench/trainings_bench.py --database sqlite
	$(PY) bench/trainings_bench.py --database postgres
	$(PY) bench/agenda_bench.py --database sqlite
	$(PY) bench/agenda_bench.py --database postgres
	$(PY) bench/observatory_bench.py --database sqlite
	$(PY) bench/observatory_bench.py --database postgres
	$(PY) bench/needs_bench.py --database sqlite
	$(PY) bench/needs_bench.py --database postgres
	$(PY) bench/skills_bench.py --database sqlite
	$(PY) bench/skills_bench.py --database postgres
	$(PY) bench/offers_bench.py --database sqlite
	$(PY) bench/offers_bench.py --database postgres
	$(PY) bench/api_bench.py --database sqlite --repetitions 60
	$(PY) bench/api_bench.py --database postgres --repetitions 60
	$(PY) bench/exports_bench.py --database sqlite
	$(PY) bench/exports_bench.py --database postgres
	$(PY) bench/report_bench.py --database sqlite --repetitions 5
	$(PY) bench/report_bench.py --database postgres --repetitions 5
$(VENV)/.bench-installed: requirements/bench.lock | $(BIN)/python
	$(PY) -m pip install -q --require-hashes -r requirements/bench.lock
	touch $@

bench/lighthouse/node_modules/.package-lock.json: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund --loglevel=error

# Lighthouse scores of the public pages, mobile preset; see docs/benchmarks.md.
lighthouse: install-dev bench/lighthouse/node_modules/.package-lock.json
	$(PY) bench/lighthouse_bench.py $(BENCH_ARGS)

# Sirene importer against a plain polars scan: 1 and 5 million generated rows in var/bench/.
bench-import: install-dev $(VENV)/.bench-installed
	$(PY) bench/sirene_bench.py --rows 1000000 --rows 5000000 $(BENCH_ARGS)

# Logins and a partner's edit against gunicorn (SQLite), with and without a Sirene
# import of 5 million generated rows running; see docs/benchmarks.md.
bench-concurrency: install-dev
	$(PY) bench/import_concurrency_bench.py --rows 5000000 $(BENCH_ARGS)

# The catalogue behind nginx with one then two gunicorn app servers, PostgreSQL, Redis
# and two task workers, then during a 5-million-row Sirene import; page cache on, then
# off (needs nginx and wrk: apt-get install -y nginx wrk); see docs/benchmarks.md.
bench-cluster: install-dev
	$(PY) bench/cluster_bench.py --rows 5000000 $(BENCH_ARGS)
	$(PY) bench/cluster_bench.py --rows 5000000 --page-cache-seconds 0 $(BENCH_ARGS)
