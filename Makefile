# Parley: `make run` serves the console and the webhooks on one port; `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 3000
BUN_VERSION := 1.4.4

export PATH := $(CURDIR)/.tools/node_modules/.bin:$(CURDIR)/$(VENV)/bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
export ALEMBIC_CONFIG := $(CURDIR)/alembic.ini
export PYTHONDONTWRITEBYTECODE := 1
# A quiet start: no download/weights progress bars, no library chatter, and not lancedb's warning about forked
# workers (Reflex forks its worker after the index is opened; the child resets lancedb's runtime).
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export TQDM_DISABLE := 1
export TRANSFORMERS_VERBOSITY := error
export TOKENIZERS_PARALLELISM := false
export PYTHONWARNINGS := ignore:lancedb fork support is experimental:RuntimeWarning

# Reflex lines that say nothing to someone starting Parley (Node is not used: bun is; `reflex init`'s advice;
# the compile counter and section rules). Real warnings and errors still show.
QUIET_LINES := Node.js is out of date|^higher\.$$|uv run reflex run|Initializ|Compiling|^[^A-Za-z]*[─━]{8}

.PHONY: help setup lock run test test-unit test-postgres test-e2e test-load migrate seed lint format clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(PY)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev,local]'
	touch $@

lock: setup  ## after changing dependencies: write the versions installed now to constraints.txt
	@{ sed -n '1,2p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v -e '^torch==' -e '^#'; } \
	  > constraints.txt.new && mv constraints.txt.new constraints.txt

.tools/.bun:
	@if command -v bun >/dev/null 2>&1; then echo "using bun $$(bun --version) from PATH"; \
	else npm install --silent --no-audit --no-fund --prefix .tools bun@$(BUN_VERSION); fi
	@mkdir -p .tools && touch $@

setup: $(VENV)/.installed .tools/.bun  ## virtualenv, Python deps, bun (no browser)
	@mkdir -p data

EMOJI_FONT := /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf

chromium:  ## the system browser for the browser tests (Debian's chromium), and an emoji font for screenshots
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install -y chromium'"; exit 1; fi; }
	@[ -e $(EMOJI_FONT) ] || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq fonts-noto-color-emoji >/dev/null \
	    || echo "no emoji font: screenshots show emoji as boxes"; \
	  else echo "no emoji font (screenshots show emoji as boxes): sudo apt-get install -y fonts-noto-color-emoji"; fi; }

migrate: setup  ## apply database migrations
	@$(PY) -m engine migrate

seed: migrate  ## create the demo tenant (idempotent)
	$(PY) -m engine seed-demo

run: migrate  ## set everything up and serve the console + webhooks on http://localhost:$(PORT)
	@$(PY) -m engine seed-demo
	@echo ""
	@echo "  Parley console:  http://localhost:$(PORT)   (sign in with the demo owner login above;"
	@echo "                   its password is shown only when the demo is first created)"
	@echo "  Webhooks:        http://localhost:$(PORT)/webhooks/twilio/whatsapp   health: /healthz"
	@echo "  Starting (the first start builds the console: a few minutes)..."
	@echo ""
	@export NPM_CONFIG_REGISTRY="$$(npm config get registry)" PYTHONUNBUFFERED=1; set -o pipefail; \
	$(VENV)/bin/reflex run --env prod --frontend-port $(PORT) --backend-port $(PORT) 2>&1 \
	  | grep --line-buffered -v -E '$(QUIET_LINES)'

test: setup chromium test-unit test-postgres test-e2e  ## set up and run the whole suite

test-unit:  ## the suite on the embedded defaults: SQLite, in-process cache and locks
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(PY) -m pytest

test-postgres:  ## the suite again on PostgreSQL (and Redis, when TEST_REDIS_URL is set)
	@if [ -n "$$TEST_DATABASE_URL" ]; then $(PY) -m pytest; \
	else echo "TEST_DATABASE_URL unset: PostgreSQL run skipped"; fi

test-e2e:  ## browser tests: headless Chromium against `reflex run --env prod`
	export NPM_CONFIG_REGISTRY="$$(npm config get registry)"; \
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(PY) -m pytest tests/e2e

test-load:  ## the long load and fault run (5 min; PostgreSQL + Redis, killed workers); not part of `make test`
	@if [[ "$$TEST_DATABASE_URL" != postgresql* || -z "$$TEST_REDIS_URL" ]]; then \
	  echo "test-load needs TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL"; exit 1; fi
	PARLEY_LOAD=1 $(PY) -m pytest tests/load -q -s -p no:cacheprovider

lint:  ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:  ## remove build output and local data (keeps .venv)
	rm -rf .web data tests/e2e/artifacts/*.png
