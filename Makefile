# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format typecheck demo bench clean install-desktop screenshots translations icons

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# sqlcipher3-binary (used before) installs the same sqlcipher3 module as
	# sqlcipher3-wheels: one is removed first, so the other's files stay whole.
	$(BIN)/python -m pip uninstall --quiet --yes sqlcipher3-binary
	$(BIN)/python -m pip install --quiet -e '.[test,dev,encryption]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ties

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

format: $(STAMP)
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

demo: $(STAMP)
	$(BIN)/ties demo

install-desktop: $(STAMP)
	sh packaging/linux/install-desktop.sh --exec $(abspath $(BIN))/ties-gui

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

translations: $(STAMP)
	$(BIN)/python scripts/update_translations.py

icons: $(STAMP)
	$(BIN)/python scripts/render_icons.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .mypy_cache
