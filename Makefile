# The README's two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint install clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/podium demo $(ARGS)

test: lint
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

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
