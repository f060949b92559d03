# Two commands: `make run` serves the workbench with the seeds and demo accounts; `make test` runs the suite.
# `make serve` runs the production stack locally; `make load` load-tests it (benchmarks/load/);
# `make bench` runs every benchmark on generated corpora (benchmarks/run).
VENV   := .venv
PYTHON := $(VENV)/bin/python
PORT   ?= 8000
DEV    := DEBUG=1
# Exports link to where the workbench is served; set WORKBENCH_BASE_URL for an address of your own.
WORKBENCH_BASE_URL ?= http://127.0.0.1:$(PORT)
SERVE  := $(DEV) WORKBENCH_BASE_URL=$(WORKBENCH_BASE_URL)

.PHONY: run serve load bench backup restore lock test lint e2e browser vnu check-deploy clean

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

# Every install comes from requirements.lock: the exact version and hashes of everything `.[dev,bench]`
# needs (the prod and semantic extras included), then the project itself from this tree. Reinstalls when
# either file changes. After changing pyproject.toml's dependencies, `make lock` writes the lock again.
$(VENV)/.installed: requirements.lock pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet --require-hashes -r requirements.lock
	$(PYTHON) -m pip install --quiet --no-deps -e .
	touch $@

# pip-tools resolves on this machine's registries (torch's CPU build comes from its wheel folder); the
# project's own line (its extras name it) is dropped: the tree is installed as itself.
lock: | $(PYTHON)
	$(PYTHON) -m pip install --quiet "pip-tools==7.6.2"
	$(PYTHON) -m piptools compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
		--no-emit-find-links --extra dev --extra bench --output-file requirements.lock pyproject.toml
	sed -i '/^# WARNING: pip install will require/,/^    # via workbench (pyproject.toml)/d' requirements.lock

run: $(VENV)/.installed
	$(DEV) $(PYTHON) manage.py migrate --no-input
	$(DEV) $(PYTHON) manage.py import_articles seeds/
	@echo "Demo accounts (local development only):"
	@$(DEV) $(PYTHON) manage.py demo_setup
	@echo "Serving the workbench on http://127.0.0.1:$(PORT)/ (with a background worker for imports and exports)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(SERVE) $(PYTHON) manage.py db_worker --no-reload & worker=$$!; \
	$(SERVE) $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine: PostgreSQL, DEBUG off, collected static files served by WhiteNoise,
# gunicorn (workbench/gunicorn.conf.py) and a db_worker; Ctrl-C stops both. It speaks plain http on
# loopback, so the https redirect, secure cookies and HSTS are off here, and only here.
# The defaults are variables of their own: a target-specific `DATABASE_URL ?=` would stop make 4.3 from
# passing the caller's DATABASE_URL on to every other recipe (`make test` then ran on SQLite).
SERVED_DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/workbench)
PRODUCTION = DATABASE_URL=$(SERVED_DATABASE_URL) DB_CONN_MAX_AGE=$(or $(DB_CONN_MAX_AGE),60) \
	SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" ALLOWED_HOSTS=127.0.0.1,localhost \
	WORKBENCH_BASE_URL=$(WORKBENCH_BASE_URL) \
	SECURE_SSL_REDIRECT=false SESSION_COOKIE_SECURE=false CSRF_COOKIE_SECURE=false SECURE_HSTS_SECONDS=0

serve: $(VENV)/.installed $(if $(SECRET_KEY),,var/secret_key)
	$(PRODUCTION) $(PYTHON) manage.py migrate --no-input
	$(PRODUCTION) $(PYTHON) manage.py collectstatic --no-input --verbosity 0
	@echo "Serving the production stack on http://127.0.0.1:$(PORT)/ (graceful restart: kill -HUP \$$(cat var/gunicorn.pid))"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PRODUCTION) $(PYTHON) manage.py db_worker --no-reload & worker=$$!; \
	$(PRODUCTION) $(VENV)/bin/gunicorn -c workbench/gunicorn.conf.py --bind 127.0.0.1:$(PORT) \
		--pid var/gunicorn.pid workbench.wsgi

# A key of this machine's own, made once and never committed (var/ is git-ignored).
var/secret_key: | $(PYTHON)
	@mkdir -p var
	@umask 077 && $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# Load-tests a running `make serve` (same PORT and DATABASE_URL): see benchmarks/load/run.py.
# Every benchmark's ratios: PostgreSQL at 20,000 articles / 100,000 claims, SQLite at 10,000 claims.
bench: $(VENV)/.installed
	PYTHON=$(PYTHON) benchmarks/run

load: $(VENV)/.installed
	DATABASE_URL=$(SERVED_DATABASE_URL) $(PYTHON) benchmarks/load/run.py --host http://127.0.0.1:$(PORT) $(LOAD_ARGS)

# A consistent snapshot of the database (DATABASE_URL, or the SQLite file) and the stored files, and its
# restore: see the README's "Backups". OUTPUT=path names the snapshot (default var/backups/).
backup: $(VENV)/.installed
	$(PYTHON) manage.py backup $(if $(OUTPUT),--output "$(OUTPUT)")

restore: $(VENV)/.installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/workbench-YYYYmmdd-HHMMSS.tar.gz" >&2; exit 2; }
	$(PYTHON) manage.py restore "$(FILE)"

test: $(VENV)/.installed lint vnu
	$(PYTHON) -m pytest --ignore=tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# Browser tests drive Debian's chromium through Playwright (never a downloaded browser).
e2e: $(VENV)/.installed browser
	$(PYTHON) -m pytest tests/e2e $(PYTEST_ARGS)

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >/dev/null; }

# The W3C Nu HTML Checker that tests/test_published_html.py runs on published pages: the npm package vnu-jar,
# pinned by its lock, run on the system's Java (its install script, which would download a Java, is skipped).
# Java and npm come from apt like the browser's packages when missing. Reinstalls only when the lock changes.
VNU_DIR := tests/conformance/vnu
VNU_JAR := $(VNU_DIR)/node_modules/vnu-jar/build/dist/vnu.jar

vnu: $(VNU_JAR)

$(VNU_JAR): $(VNU_DIR)/package.json $(VNU_DIR)/package-lock.json
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; }
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	cd $(VNU_DIR) && npm ci --ignore-scripts --no-audit --no-fund --silent
	touch $@

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
