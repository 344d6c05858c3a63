# Examdesk: `make demo` runs the product with demo data, `make test` runs every test. Nothing else to install.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=

.PHONY: demo test test-fast lint install dev chromium gettext messages fonts clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium: run 'sudo apt-get install chromium', then 'make test' again."; exit 1; \
	  fi; \
	fi

# The translations (examdesk/locale/*/LC_MESSAGES/django.po) are compiled by Django's compilemessages, which needs
# GNU gettext's msgfmt; the catalogue tests run makemessages, which needs its xgettext. Debian's `gettext` has both.
gettext:
	@if ! command -v msgfmt >/dev/null || ! command -v xgettext >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's gettext for the translations…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null; \
	  else \
	    echo "The translations need GNU gettext: run 'sudo apt-get install gettext', then make again."; exit 1; \
	  fi; \
	fi

# The .mo files are built, never committed.
messages: install gettext
	$(BIN)/examdesk compilemessages --ignore .venv --verbosity 0

# Every PDF is typeset with Debian's Noto fonts (documents/fonts.py: the fallback chain for every script), and
# the document tests read PDFs back with poppler's pdftotext and pdftoppm and scan QR codes with zbarimg.
FONT_PACKAGES := fonts-noto-core fonts-noto-cjk
TEST_PDF_PACKAGES := poppler-utils zbar-tools

fonts:
	@missing=""; for p in $(FONT_PACKAGES) $(TEST_PDF_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's$$missing for the documents…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Documents need Debian's$$missing: run 'sudo apt-get install$$missing', then make again."; exit 1; \
	  fi; \
	fi

# The demo makes two-step sign-in optional, so that every demo login works without a phone; set
# EXAMDESK_MFA_REQUIRED_ROLES=board_staff,centre_admin to see it required as it is by default.
DEMO_ENV = EXAMDESK_MFA_REQUIRED_ROLES="$${EXAMDESK_MFA_REQUIRED_ROLES-none}"

demo: install messages fonts
	$(BIN)/examdesk migrate --verbosity 0
	$(DEMO_ENV) $(BIN)/examdesk demo
	@echo
	@echo "Open http://127.0.0.1:8000/ and sign in with one of the logins above."
	$(DEMO_ENV) $(BIN)/examdesk serve

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(BIN)/examdesk makemigrations --check --dry-run

test: dev chromium messages fonts lint
	$(BIN)/pytest $(PYTEST_ARGS)

# A quicker check while working: no browser and no component tests (CI runs the whole `make test`).
test-fast: dev messages fonts
	$(BIN)/pytest -m "not browser and not component" $(PYTEST_ARGS)

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
