# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install demo serve test lint format migrate seed lock clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the lock changes; the stamp makes a second run instant.
$(INSTALLED): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
	$(UV) pip install --quiet --python $(PY) -r requirements.lock
	touch $(INSTALLED)

# Compiled gettext catalogues (*.mo) are build output: made here from the committed *.po.
install: $(INSTALLED)
	@$(PY) manage.py compile_catalogs -v0

migrate: install
	$(PY) manage.py migrate --no-input

seed: migrate
	$(PY) manage.py seed_demo

demo: seed
	@echo "Serving the demo on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Regenerate the pinned lock after changing pyproject.toml.
lock: install
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var
