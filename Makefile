# Fresh machine: `make demo` runs the pipeline end to end, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test dev lint benchmark lock clean

install: $(STAMP)

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

demo: install  ## ingest landing/ (demo exports when empty), dbt build, publish, print a summary
	$(if $(wildcard .dagster_home/dagster.yaml),DAGSTER_HOME=$(CURDIR)/.dagster_home) $(BIN)/python -m orchestration.run

test: install  ## the whole suite: ingestion, generator, Dagster definitions, end-to-end job, dbt build
	$(BIN)/pytest

dev: install  ## Dagster UI on http://127.0.0.1:3000 (asset graph, sensor, schedule)
	mkdir -p .dagster_home && cp orchestration/dagster.yaml .dagster_home/dagster.yaml
	PATH="$(CURDIR)/$(BIN):$$PATH" DAGSTER_HOME=$(CURDIR)/.dagster_home $(BIN)/dagster dev -m orchestration.definitions

lint: install
	$(BIN)/ruff check orchestration tests benchmarks

benchmark: install  ## speed and memory at stated sizes (see benchmarks/README.md)
	$(BIN)/python -m benchmarks.run

lock:  ## re-resolve the ranges in pyproject.toml into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[dev]"
	(head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^touchpoint-warehouse') > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean:
	rm -rf target logs warehouse .dagster_home
