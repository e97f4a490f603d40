# Two entry points for a fresh machine (see README.md):
#   make demo   installs woo-publicatie and builds the demo site from decisions/ into site/
#   make test   installs what the tests need (Python test extras, npm packages, Debian chromium) and runs them
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install examples serve bench clean

$(BIN)/woo-publish: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/woo-publish

demo: install
	$(BIN)/woo-publish check decisions
	$(BIN)/woo-publish build --decisions decisions --out site
	@echo "Bekijk de site met: $(BIN)/woo-publish serve  (http://127.0.0.1:8000/)"

examples:
	$(BIN)/pip install --quiet -e ".[test]"
	$(BIN)/python scripts/make_examples.py --out decisions

serve: install
	$(BIN)/woo-publish serve

test:
	bash scripts/test.sh

bench:
	bash scripts/bench.sh

clean:
	rm -rf site .cache .pytest_cache
