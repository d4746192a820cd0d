# Samtalsguiden. The two commands: `make serve` and `make test`.
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
HOST ?= 127.0.0.1:8000

.PHONY: serve build test bench schema setup setup-test clean

## Set everything up and serve the guide on http://127.0.0.1:8000 with live reload.
serve: setup
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST) --livereload

## Build the deployable site into site/.
build: setup
	$(BIN)/mkdocs build --strict

## Set everything up (Chromium included) and run the whole test suite.
test: setup-test
	$(BIN)/python -m pytest

## Measure build times (see bench/README in the README's benchmark section).
bench: setup
	$(BIN)/python bench/run.py

## Write questions.schema.json from the schema declared in hooks/samtal/bank.py.
schema: setup
	PYTHONPATH=hooks $(BIN)/python -c "from samtal.bank import schema_json; print(schema_json(), end=\"\")" > questions.schema.json

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh test

clean:
	rm -rf site .cache
