# Set-up commands: `make run` (serve the app with demo data) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench lint format clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/hotelattrition db upgrade
	$(BIN)/hotelattrition demo-data --if-empty
	$(BIN)/hotelattrition run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest

bench: install
	$(PY) -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
