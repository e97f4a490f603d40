# Entry points for a fresh machine (see README.md); each checks its prerequisites first:
#   make demo   installs woo-publicatie in .venv and builds the demo site from decisions/ into site/
#   make test   builds the wheel, installs it in .venv-test with the test extras (plus npm packages and
#               Debian chromium where possible) and runs the tests against that installed package
#   make lint   ruff (lint + format check) and mypy on publish/
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint install examples serve bench clean

# A normal (non-editable) install, as users get it; redone when the code or its data change.
$(BIN)/woo-publish: pyproject.toml $(shell find publish -type f ! -path '*/__pycache__/*' ! -name '*.pyc' 2>/dev/null)
	@bash -c '. scripts/prereqs.sh && need_python && need_ssh_keygen && ensure_venv $(VENV)'
	@rm -rf build/lib build/bdist.*
	$(BIN)/pip install --quiet --disable-pip-version-check .
	@touch $@

install: $(BIN)/woo-publish

demo: install
	$(BIN)/woo-publish check decisions
	$(BIN)/woo-publish build --decisions decisions --out site
	@echo "Bekijk de site met: $(BIN)/woo-publish serve  (http://127.0.0.1:8000/)"

examples: install
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[test]"
	$(BIN)/python scripts/make_examples.py --out decisions

serve: install
	$(BIN)/woo-publish serve

test:
	bash scripts/test.sh

lint:
	bash scripts/lint.sh

bench:
	bash scripts/bench.sh

clean:
	rm -rf site .cache .pytest_cache build .venv-test
