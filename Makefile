# Set-up commands: `make run` (serve the app with demo data) and `make test` (the whole suite).
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install debian-packages run test bench lint format translations clean
CATALOGS := hotelattrition/translations

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Message catalogues are compiled by the build from the committed .po files.
$(CATALOGS)/%/LC_MESSAGES/messages.mo: $(CATALOGS)/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --statistics -d $(CATALOGS) -l $*

install: $(STAMP) $(patsubst %.po,%.mo,$(wildcard $(CATALOGS)/*/LC_MESSAGES/messages.po))

# Extract the strings of the code and templates, and merge them into each language's .po.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
		-o $(CATALOGS)/messages.pot .
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching

run: install
	$(BIN)/hotelattrition db upgrade
	$(BIN)/hotelattrition demo-data --if-empty
	$(BIN)/hotelattrition run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/pytest

# Debian packages beside the Python ones: Chromium for the browser tests, poppler-utils to turn
# PDFs into pictures, HarfBuzz's subsetter (without it WeasyPrint subsets fonts with fontTools,
# four times slower) and the invoices' font. Installed when missing (needs root and apt).
DEBIAN_PACKAGES := chromium poppler-utils libharfbuzz-subset0 fonts-liberation

debian-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

bench: install debian-packages
	$(PY) -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
