.DEFAULT_GOAL := help
.PHONY: help run test lint format snapshot bench

## Show this list of targets
help:
	@awk '/^## /{doc=substr($$0,4)} /^[a-z-]+:/{if(doc){sub(":.*","",$$1); printf "  make %-10s %s\n",$$1,doc; doc=""}}' $(MAKEFILE_LIST)

## Install (first time) and start the app on the embedded data
run:
	bash scripts/start.sh

## Install test tools and run lint, unit, AppTest and browser tests (same as CI)
test:
	bash scripts/test.sh

## Lint with ruff and check types with mypy (use `make format` to fix formatting)
lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy

## Format the code with ruff
format:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

## Rebuild the embedded snapshot in data/default from ../shared/data (offline)
snapshot:
	.venv/bin/python -m snapshot_build

## Run the benchmarks and print the figures
bench:
	.venv/bin/python bench/run.py
