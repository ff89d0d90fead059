# The README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean messages prerequisites audit lock

# The exact versions (with their hashes) of requirements.lock, then podium itself on
# top of them without resolving anything again.
$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/podium demo $(ARGS)

test: prerequisites lint audit
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

# Chromium, the DejaVu fonts and poppler: installed where it can, else the command to run.
prerequisites:
	bash scripts/prerequisites.sh

# Known vulnerabilities in requirements.lock fail; no advisory data reachable is said, not failed.
audit: $(STAMP)
	$(BIN)/python scripts/audit_dependencies.py requirements.lock

# A new requirements.lock from pyproject.toml (after a dependency was added or changed).
lock: $(STAMP)
	$(BIN)/pip install -q pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile -q --extra test --generate-hashes \
	  --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
	  -o requirements.lock pyproject.toml

# mypy reads its settings (files, strict domain and services) from pyproject.toml.
lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build *.egg-info

# Extract translatable text into the template and merge it into the German catalog.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ -k gettext -k ngettext:1,2 \
	  --no-location --omit-header --sort-output -o src/podium/locale/messages.pot .
	$(BIN)/pybabel update -i src/podium/locale/messages.pot -d src/podium/locale -D messages \
	  -l de --no-fuzzy-matching --ignore-obsolete
