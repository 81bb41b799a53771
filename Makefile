# Mosprom Platform. `make run` starts the site; `make test` runs every check CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help run test lint format bench clean lock

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: ## set up (first time) and start the site with the task worker on http://127.0.0.1:8000
	@scripts/run.sh

test: ## lint, Django checks, migration check and the whole suite on a throwaway PostgreSQL
	@scripts/test.sh $(ARGS)

lint: ## ruff check and format check
	@source scripts/lib.sh && ensure_venv dev && .venv/bin/ruff check . && .venv/bin/ruff format --check .

format: ## apply ruff's fixes and formatting
	@source scripts/lib.sh && ensure_venv dev && .venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench: ## benchmarks (bench/); results in var/bench/ and docs/PERFORMANCE.md
	@scripts/bench.sh

lock: ## re-resolve requirements*.in into the hashed lock files
	@source scripts/lib.sh && ensure_venv dev && \
	  .venv/bin/uv pip compile --quiet --python-version 3.12 --generate-hashes requirements.in -o requirements.txt && \
	  .venv/bin/uv pip compile --quiet --python-version 3.12 --generate-hashes requirements-dev.in -o requirements-dev.txt

clean: ## remove the environment, the database, mail and caches
	rm -rf .venv var .pytest_cache .ruff_cache .hypothesis test-artifacts
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
