# momentos: `make demo` to try it, `make test` to run every test. Both install what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/momentos
PYTEST := $(BIN)/python -m pytest -q -p no:randomly

.PHONY: messages-update install demo test test-sqlite test-postgres test-browser lint messages chromium check-migrations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Compiled catalogues are build output, not sources.
messages: $(STAMP)
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv --ignore=var

demo: install
	$(BIN)/momentos demo

# Debian's Chromium for the browser tests (Playwright's own download does not work everywhere).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1
	$(BIN)/python -m momentos.core.i18n_check

test-sqlite: install
	$(PYTEST) -m "not browser" -n 2

test-postgres: install
	DATABASE_URL=$(PG_URL) $(PYTEST) -m "not browser" -n 2

test-browser: install chromium
	$(PYTEST) -m browser

test: lint test-sqlite test-postgres test-browser

clean:
	rm -rf $(VENV) var build *.egg-info

# Re-extract the strings after changing them; then translate the new Spanish entries.
messages-update: $(STAMP)
	$(BIN)/python manage.py makemessages -l es -l en --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='tests/*' --ignore='build/*'
