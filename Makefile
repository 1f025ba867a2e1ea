# Set-up commands: `make run` (serve the app with demo data) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install debian-packages run-packages run test bench lint format translations clean
CATALOGS := hotelattrition/translations

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Message catalogues are compiled by the build from the committed .po files.
$(CATALOGS)/%/LC_MESSAGES/messages.mo: $(CATALOGS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(CATALOGS) -l $*

# The package's bytecode too, as a regular pip install writes it: the editable install does not,
# and with PYTHONDONTWRITEBYTECODE set every command would compile its modules at each start.
install: $(STAMP) $(patsubst %.po,%.mo,$(wildcard $(CATALOGS)/*/LC_MESSAGES/messages.po))
	$(PY) -m compileall -q hotelattrition

# Extract the strings of the code and templates, and merge them into each language's .po.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k document_label:1c,2 --no-location --sort-output \
		-o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching

run: run-packages install
	$(BIN)/hotelattrition db upgrade
	$(BIN)/hotelattrition demo-data --if-empty
	$(BIN)/hotelattrition run --host 127.0.0.1 --port 5000

test: debian-packages install
	$(BIN)/pytest

# Debian packages beside the Python ones. WeasyPrint needs Pango, and HarfBuzz's subsetter
# (without it WeasyPrint subsets fonts with fontTools, four times slower, and warns, which the
# suite treats as an error); the invoices are set in Liberation Sans. The tests also need
# Chromium for the browser tests and poppler-utils to turn PDFs into pictures. As root the
# missing ones are installed; otherwise make stops at once with the apt-get line to run.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils

run-packages:
	@sh scripts/debian-packages $(RUN_PACKAGES)

debian-packages:
	@sh scripts/debian-packages $(TEST_PACKAGES)

bench: install debian-packages
	$(PY) -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
