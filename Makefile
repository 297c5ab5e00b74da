# Two commands do all set-up on a fresh machine:
#   make run   — create .venv, install the app, fetch the map's JS libraries, start Streamlit on :8501
#   make test  — the same plus test tools and Chromium (Debian package, when root), then the suite
# Also: make lint, make bench, make vendor, make clean.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
SHARED := $(abspath ../shared/data)

# Local copies of the boundary and gazetteer data, when ../shared is beside the repo
# (CI, development). Unset, the app downloads them from their publishers on first use.
GEO_BOUNDARIES_DIR ?= $(if $(wildcard $(SHARED)/boundaries/admin1.gpkg),$(SHARED)/boundaries,)
GEO_GAZETTEER_DIR  ?= $(if $(wildcard $(SHARED)/gazetteer/AF.txt),$(SHARED)/gazetteer,)
export GEO_BOUNDARIES_DIR GEO_GAZETTEER_DIR

.PHONY: run test lint bench vendor browser reliability clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

vendor:
	bash scripts/vendor_assets.sh static/vendor

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian chromium for the browser tests…"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo "NOTE: /usr/bin/chromium is missing and this user cannot install it;"; \
		echo "      run 'sudo apt-get install chromium chromium-driver'. Browser tests will be skipped."; \
	fi

# The settings file (geo settings --write) lets `geo …` outside make find the same data as the app.
run: $(VENV)/.installed-run vendor
	$(BIN)/python -m geo settings --write
	$(BIN)/streamlit run app.py --server.port $(PORT)

# The store tests also run against a throwaway PostgreSQL + PostGIS server when one can be
# started (scripts/ci_postgres.sh installs it from Debian packages when root); otherwise
# they skip with the reason.
test: $(VENV)/.installed-dev vendor browser
	@url="$$(bash scripts/ci_postgres.sh)"; \
	GEO_TEST_POSTGRES_URL="$$url" $(BIN)/python -m pytest; status=$$?; \
	bash scripts/ci_postgres.sh stop >/dev/null 2>&1; exit $$status

# Hostile input, fuzzing, crashes, concurrency and load, with the figures (issue 9).
reliability: $(VENV)/.installed-dev vendor browser
	$(BIN)/python scripts/reliability.py

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check geo pages tests benchmarks scripts app.py
	$(BIN)/ruff format --check geo pages tests benchmarks scripts app.py
	$(BIN)/mypy

bench: $(VENV)/.installed-dev vendor
	@url="$$(bash scripts/ci_postgres.sh)"; \
	for b in benchmarks/bench_*.py; do echo "== $$b"; \
		GEO_BENCH_POSTGRES_URL="$$url" $(BIN)/python $$b $(BENCH_ARGS) || { bash scripts/ci_postgres.sh stop; exit 1; }; \
	done; bash scripts/ci_postgres.sh stop >/dev/null 2>&1

clean:
	rm -rf $(VENV) static/vendor .pytest_cache .mypy_cache .ruff_cache tests/output
