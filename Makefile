# One Makefile; its targets are what CI runs (see .ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The Django apps: type-checked with django-stubs (see pyproject.toml).
APPS   := src/kyoten/accounts src/kyoten/audit src/kyoten/people src/kyoten/registry \
          src/kyoten/submissions src/kyoten/outcomes src/kyoten/evaluation src/kyoten/conflicts \
          src/kyoten/web
# The pure cores: typed strictly, no Django.
CORES  := src/kyoten/text.py src/kyoten/identifiers.py src/kyoten/sources.py src/kyoten/validation.py src/kyoten/fiscal.py src/kyoten/program src/kyoten/cli.py src/kyoten/lifecycle.py src/kyoten/bibliometrics src/kyoten/reports src/kyoten/cycles src/kyoten/coi src/kyoten/assignment
# The web application's message catalogues: .po in git, .mo compiled here (Babel, no GNU gettext).
LOCALE := src/kyoten/locale
MO     := $(LOCALE)/ja/LC_MESSAGES/django.mo $(LOCALE)/en/LC_MESSAGES/django.mo \
          $(foreach l,ja en,src/kyoten/submissions/locale/$(l)/LC_MESSAGES/django.mo)
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
# Instants (Japan time) that split dates and fiscal years: the last evening of a fiscal year,
# the first hour of the next (the UTC date is still 31 March), 08:00 on New Year's Day (the
# UTC date is still the year before) and a day years ahead.
CLOCKS := 2027-03-31T23:30+09:00 2027-04-01T00:30+09:00 2027-01-01T08:00+09:00 2030-06-01T12:00+09:00
# pytest on every core (pytest-xdist; PYTEST_WORKERS=1 for one), each worker with its own test
# database. Tests are handed out in the order pytest-django sorts them (`--dist load`), so a
# worker runs the transactional tests, which leave its database empty, after those that read it.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist load
export DJANGO_SETTINGS_MODULE := kyoten.web.settings

.PHONY: run test test-postgres test-clocks lint typecheck pytest messages makemessages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: the main job — migrate, load the reference data and serve the web application
##      on http://127.0.0.1:8000 with gunicorn (static files by WhiteNoise)
run: $(VENV)/.installed messages
	$(BIN)/django-admin migrate --noinput
	$(BIN)/django-admin collectstatic --noinput --verbosity 0
	$(BIN)/kyoten load-reference
	$(BIN)/kyoten load-samples
	$(BIN)/kyoten outcomes load-samples
	$(BIN)/kyoten first-account
	$(BIN)/kyoten serve --host 127.0.0.1 --port 8000

## messages: compile the Japanese and English catalogues
messages: $(MO)

%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po | $(VENV)/.installed
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@

## makemessages: refresh the .po files from the code and templates (needs GNU gettext)
##               (then written by Babel at 100 columns, as the catalogues in git are)
makemessages: $(VENV)/.installed
	cd src/kyoten && KYOTEN_INSTANCE_DIR=../../var ../../$(BIN)/django-admin makemessages \
		--locale ja --locale en --ignore 'program/*' --no-obsolete --add-location file --no-wrap
	$(BIN)/python -c 'import sys; from babel.messages.pofile import read_po, write_po; \
		[write_po(open(p, "wb"), c, width=100) for p, c in [(p, read_po(open(p, "rb"))) for p in sys.argv[1:]]]' \
		$(MO:.mo=.po)

## test: lint, format check, strict typing of the cores, tests and doctests
test: lint typecheck pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy $(CORES) $(APPS)

pytest: $(VENV)/.installed messages
	$(PYTEST)

## test-postgres: the test suite again, on PostgreSQL
test-postgres: $(VENV)/.installed messages
	DATABASE_URL=$(POSTGRES_URL) $(PYTEST)

## test-clocks: the test suite again at each of CLOCKS (the clock pinned by KYOTEN_TEST_NOW)
test-clocks: $(VENV)/.installed messages
	@for now in $(CLOCKS); do \
		echo "== KYOTEN_TEST_NOW=$$now"; \
		KYOTEN_TEST_NOW=$$now $(PYTEST) -q -p no:cacheprovider || exit 1; \
	done

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
