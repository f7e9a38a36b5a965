# HomeStrength: `make run` serves the app, `make test` runs every check. See README.md.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_NO_PROGRESS := 1

.PHONY: install install-dev run dev worker test lint bench vendor messages clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --inexact keeps uv itself (and the dev group, once installed) in the venv.
install: $(UV)
	$(UV) sync --frozen --inexact --no-dev --quiet

install-dev: $(UV)
	$(UV) sync --frozen --inexact --quiet

# Collected (hashed and compressed) again only when a static file or a dependency changed.
STATIC_MANIFEST := var/static/staticfiles.json
$(STATIC_MANIFEST): uv.lock $(shell find static -type f 2>/dev/null)
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

run: install
	$(BIN)/python manage.py migrate --noinput
	@$(MAKE) --no-print-directory $(STATIC_MANIFEST)
	$(BIN)/python manage.py load_library
	@echo "HomeStrength is serving on http://127.0.0.1:$(PORT)  (Ctrl-C stops it)"
	DEBUG=False PYTHON_BIN=$(BIN)/python ./scripts/with-worker.sh \
		$(BIN)/gunicorn homestrength.wsgi --bind 127.0.0.1:$(PORT) \
		--workers $${WEB_CONCURRENCY:-3} --access-logfile - --log-level warning

# A background job worker on its own (imports, email), for hosts that run only workers.
worker: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py db_worker --queue-name '*' --no-reload

dev: install-dev
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_library
	DEBUG=True PYTHON_BIN=$(BIN)/python ./scripts/with-worker.sh \
		$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# pytest-xdist: one test process per core (2 on the development and CI machines).
PYTEST_WORKERS ?= auto

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -n $(PYTEST_WORKERS)

bench: install-dev
	$(BIN)/python bench/run.py

vendor:
	./scripts/refresh-vendor.sh

# The Spanish catalogues (README, "Languages"): every marked string of the templates, the
# Python code and static/js into locale/es/LC_MESSAGES/*.po, then compiled into the .mo
# files that are committed beside them (so `make run` needs no gettext). Needs GNU gettext.
MESSAGES_IGNORE := --ignore=.venv --ignore=var --ignore=static/vendor --ignore=bench --ignore=tests \
	--ignore=node_modules
messages: install-dev
	$(BIN)/python manage.py makemessages -l es -d django $(MESSAGES_IGNORE)
	$(BIN)/python manage.py makemessages -l es -d djangojs $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages -l es $(MESSAGES_IGNORE)

clean:
	rm -rf $(VENV) var/static
