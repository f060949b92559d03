# Two commands: `make run` serves the workbench with the seeds and demo accounts; `make test` runs the suite.
VENV   := .venv
PYTHON := $(VENV)/bin/python
PORT   ?= 8000
DEV    := DEBUG=1
# Exports link to where the workbench is served; set WORKBENCH_BASE_URL for an address of your own.
WORKBENCH_BASE_URL ?= http://127.0.0.1:$(PORT)
SERVE  := $(DEV) WORKBENCH_BASE_URL=$(WORKBENCH_BASE_URL)

.PHONY: run test lint e2e browser check-deploy clean

$(PYTHON):
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PYTHON)
	$(PYTHON) -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(DEV) $(PYTHON) manage.py migrate --no-input
	$(DEV) $(PYTHON) manage.py import_articles seeds/
	@echo "Demo accounts (local development only):"
	@$(DEV) $(PYTHON) manage.py demo_setup
	@echo "Serving the workbench on http://127.0.0.1:$(PORT)/ (with a background worker for imports and exports)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(SERVE) $(PYTHON) manage.py db_worker & worker=$$!; \
	$(SERVE) $(PYTHON) manage.py runserver 127.0.0.1:$(PORT)

test: $(VENV)/.installed lint
	$(PYTHON) -m pytest --ignore=tests/e2e $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# Browser tests drive Debian's chromium through Playwright (never a downloaded browser).
e2e: $(VENV)/.installed browser
	$(PYTHON) -m pytest tests/e2e $(PYTEST_ARGS)

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core fonts-liberation >/dev/null; }

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
