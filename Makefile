# momentos: `make demo` to try it, `make test` to run every test. Both install what they need first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/momentos
# Two workers: pytest-django gives each its own test database (…_gw0, …_gw1) on SQLite and PostgreSQL.
XDIST  ?= -n 2
PYTEST := $(BIN)/python -m pytest -q
DEMO_ARGS ?=

.PHONY: install messages gettext demo test lint ruff typecheck check-migrations i18n-check \
        test-sqlite test-postgres test-browser chromium messages-update clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# GNU gettext compiles the catalogues; Debian-like machines get it from apt when it is missing.
gettext:
	@if ! command -v msgfmt >/dev/null 2>&1; then \
	  echo "Installing GNU gettext (msgfmt)"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq gettext >/dev/null; \
	fi

# Compiled catalogues are build output, not sources.
messages: $(STAMP) gettext
	$(BIN)/python manage.py compilemessages -v 0 --ignore=.venv --ignore=var

demo: install
	$(BIN)/momentos demo $(DEMO_ARGS)

# Debian's Chromium for the browser tests (Playwright's own download does not work everywhere).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

ruff: install
	$(BIN)/ruff check .

# mypy with django-stubs, as configured in pyproject.toml.
typecheck: install
	$(BIN)/mypy momentos config

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run -v 1

# Fails when a string is not extracted yet or has no Spanish translation.
i18n-check: install
	$(BIN)/python -m momentos.core.i18n_check

lint: ruff typecheck check-migrations i18n-check

test-sqlite: install
	$(PYTEST) -m "not browser" $(XDIST)

# Each run gets its own test database name, so a run left behind by a killed job cannot block this one.
test-postgres: install
	DATABASE_URL=$(PG_URL) TEST_DATABASE_NAME=test_momentos_$$$$ $(PYTEST) -m "not browser" $(XDIST)

test-browser: install chromium
	$(PYTEST) -m browser

# Every step runs even when an earlier one fails (-k), so one run shows every problem; any failure fails.
test:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory -k lint test-sqlite test-postgres test-browser; status=$$?; \
	echo "make test: $$(( $$(date +%s) - start ))s, $$( [ $$status -eq 0 ] && echo 'every step passed' || echo 'FAILED (see above)' )"; \
	exit $$status

# Benchmarks, not part of `make test` (several minutes; needs PostgreSQL). See bench/README.md.
# Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--only import --rows 100000".
BENCH_ARGS ?=
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var build *.egg-info test-artifacts

# Re-extract the strings after changing them; then translate the new Spanish entries.
messages-update: $(STAMP)
	$(BIN)/python manage.py makemessages -l es -l en --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' --ignore='tests/*' --ignore='build/*'
