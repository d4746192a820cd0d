# Samtalsguiden. The two commands: `make serve` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
HOST ?= 127.0.0.1:8000
# Which version `make serve` serves: sv (default), en or lattlast. Only a LANG
# given on the command line counts (the shell's own LANG is a locale).
VERSION := $(if $(filter command line,$(origin LANG)),$(LANG),sv)
CONFIG := $(if $(filter sv,$(VERSION)),mkdocs.yml,versions/$(VERSION)/mkdocs.yml)

.PHONY: serve build test lint bench schema setup setup-test clean

## Set everything up and serve the guide on http://127.0.0.1:8000 with live reload
## (make serve LANG=en or LANG=lattlast for the other versions).
serve: setup
	$(BIN)/mkdocs serve --strict -f $(CONFIG) --dev-addr $(HOST) --livereload

## Build every version of the deployable site into site/ (SITE_URL=https://… for QR codes).
build: setup
	$(BIN)/python scripts/build.py -f mkdocs.yml -d site

## Set everything up (Chromium and Node included) and run the whole test suite.
test: setup-test
	$(BIN)/python -m pytest

## Lint, format check and types only.
lint: setup-test
	$(BIN)/ruff check hooks tests bench scripts
	$(BIN)/ruff format --check hooks tests bench scripts
	$(BIN)/mypy

## Measure build times (see the benchmark section of README).
bench: setup
	$(BIN)/python bench/run.py

## Write questions.schema.json from the schema declared in hooks/samtal/schema.py.
schema: setup
	PYTHONPATH=hooks $(BIN)/python -c "from samtal.schema import schema_json; print(schema_json(), end=\"\")" > questions.schema.json

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh test

clean:
	rm -rf site .cache
