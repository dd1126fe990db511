# Talking Ads. `make help` lists the tasks.
SHELL := /bin/bash
PYTHON_BIN ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python

# Debian packages the product and its tests need (CI installs the same list).
APT_PACKAGES := redis-server postgresql fonts-dejavu-core ca-certificates \
	festival festvox-us-slt-hts flite chromium fonts-noto-core fonts-noto-cjk \
	apertium apertium-eng-spa

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

.PHONY: setup
setup: apt $(VENV)/.installed ## Install Debian packages and the Python environment (idempotent)

.PHONY: apt
apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: requirements.lock requirements-nodeps.txt pyproject.toml
	@test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e .
	@# mediapipe and Resemblyzer are installed without their declared dependencies
	@# (see requirements-nodeps.txt)
	@$(PY) -m pip check | grep -vE '^(mediapipe |resemblyzer |No broken)' | grep . && exit 1 || true
	@touch $@

.PHONY: run
run: setup ## Run the web app (127.0.0.1, PORT default 8000) and a render worker; Ctrl-C stops
	@$(PY) -m saas.devserver

.PHONY: lint
lint: setup ## Ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

.PHONY: test
test: setup lint test-media compat-clients ## Lint, check migrations, run the test suite
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# Real recordings nobody here made, for the tests: LibriVox readings (public domain) that
# ship as test data in the pocketsphinx 5.1.1 source package on PyPI (checked by SHA-256).
TEST_MEDIA := .cache/test-media
POCKETSPHINX_SHA256 := 675778b309a22dfc9b7d37f7621976bba491d2a5f8c59696bd77fd6d07271355

.PHONY: test-media
test-media: $(TEST_MEDIA)/pocketsphinx-5.1.1/.extracted ## Fetch the real speech recordings the tests use (from PyPI, hash-checked)

$(TEST_MEDIA)/pocketsphinx-5.1.1/.extracted: | $(VENV)/.installed
	@mkdir -p $(TEST_MEDIA)/download
	$(PY) -m pip download -q --no-deps --no-binary :all: -d $(TEST_MEDIA)/download pocketsphinx==5.1.1
	echo "$(POCKETSPHINX_SHA256)  $(TEST_MEDIA)/download/pocketsphinx-5.1.1.tar.gz" | sha256sum -c --quiet -
	tar xzf $(TEST_MEDIA)/download/pocketsphinx-5.1.1.tar.gz -C $(TEST_MEDIA) \
		pocketsphinx-5.1.1/LICENSE pocketsphinx-5.1.1/test/data/librivox
	@touch $@

# Two HeyGen clients written by other people, in their own environment, for the
# compatibility tests (tests/heygen/test_third_party_clients.py).
CLIENTS_VENV := .venv-clients

.PHONY: compat-clients
compat-clients: $(CLIENTS_VENV)/.installed ## Install the third-party HeyGen clients the tests drive

$(CLIENTS_VENV)/.installed: tests/heygen/clients/requirements.lock
	@test -x $(CLIENTS_VENV)/bin/python || $(PYTHON_BIN) -m venv $(CLIENTS_VENV)
	$(CLIENTS_VENV)/bin/python -m pip install -q --no-deps -r tests/heygen/clients/requirements.lock
	@touch $@

.PHONY: test-browser
test-browser: setup ## Drive the running product in Chromium (sign up, link to video, invite, API key); screenshots in .artifacts/browser
	DJANGO_SETTINGS_MODULE=tests.settings $(PY) -m pytest -m browser tests/browser $(PYTEST_ARGS)

.PHONY: prod-smoke
prod-smoke: setup ## Production topology here (PostgreSQL, Redis, S3, gunicorn, 2 workers); one video end to end
	@bash deploy/prod-smoke.sh

.PHONY: faults
faults: setup ## The fault suite: prod-smoke, then PostgreSQL/Redis restarts, a killed worker, S3 down, ffmpeg killed, a full disk while videos render
	@SMOKE_FAULTS=1 bash deploy/prod-smoke.sh

.PHONY: bench
bench: setup ## Run the benchmarks (one JSON object per line)
	@$(PY) -m benchmarks

.PHONY: format
format: setup ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: lock
lock: ## Rewrite requirements.lock from the current environment
	$(PY) -m pip freeze --exclude-editable | grep -vE '^(talkingads|mediapipe|Resemblyzer)' | sed 's/^torch==2.13.0+cpu$$/torch==2.13.0/' > requirements.lock
