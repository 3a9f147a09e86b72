# Fresh machine: `make demo` runs the pipeline end to end, `make test` runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Spark (dbt-spark, pyspark) lives in its own venv from its own lock: `make test-spark`.
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed

.PHONY: install demo test test-spark test-spark-quick test-spark-pipeline install-spark java dev dashboard docs lint fix benchmark lock clean

install: $(STAMP)

$(STAMP): requirements.lock
	@echo "make: installing $$(grep -c '==' requirements.lock) pinned packages into $(VENV) (requirements.lock; a few minutes the first time)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check --progress-bar off -r requirements.lock
	touch $(STAMP)

demo: install  ## ingest landing/ (demo exports when empty), dbt build, publish, print a summary
	$(if $(wildcard .dagster_home/dagster.yaml),DAGSTER_HOME=$(CURDIR)/.dagster_home) $(BIN)/python -m orchestration.run

test: install  ## the whole suite: ingestion, generator, Dagster definitions, end-to-end job, dbt build
	$(BIN)/pytest

install-spark: $(SPARK_STAMP)

$(SPARK_STAMP): requirements-spark.lock
	@echo "make: installing $$(grep -c '==' requirements-spark.lock) pinned packages into $(SPARK_VENV) (requirements-spark.lock: dbt-spark, pyspark)"
	$(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --disable-pip-version-check --progress-bar off -r requirements-spark.lock
	touch $(SPARK_STAMP)

JAVA_OK = java -version 2>&1 | grep -Eq 'version "(1[7-9]|[2-9][0-9])'
JAVA_HELP = echo "make java: local Spark needs Java 17 or newer on the PATH (found: $$(java -version 2>&1 | head -n 1))." \
	"Install it as root (apt-get install openjdk-17-jre-headless) or put a JDK 17+ first on the PATH." >&2

java:  ## Java 17+ for local Spark: Debian's openjdk-17 (apt, as root or with sudo) when missing; fails loudly otherwise
	@$(JAVA_OK) && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then sudo=; \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null && command -v apt-get >/dev/null; then sudo=sudo; \
	else $(JAVA_HELP); exit 1; fi; \
	echo "make java: installing openjdk-17-jre-headless (apt)"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq openjdk-17-jre-headless; \
	$(JAVA_OK) || { $(JAVA_HELP); exit 1; }

test-spark: install install-spark java  ## the project on local Spark equals DuckDB, incremental runs, unit tests, the job and erasure included (README, "Spark")
	$(BIN)/python -m tests.spark.parity
	$(BIN)/python -m tests.spark.pipeline

test-spark-pipeline: install install-spark java  ## part of test-spark: the main job and the erasure with TW_TARGET=spark, published layer equal to DuckDB's
	$(BIN)/python -m tests.spark.pipeline

test-spark-quick: install install-spark java  ## the CI subset of test-spark: one full Spark build of seeds and models, every mart compared
	$(BIN)/python -m tests.spark.parity --quick

dev: install  ## Dagster UI on http://127.0.0.1:3000 (asset graph, sensor, schedule)
	mkdir -p .dagster_home && cp orchestration/dagster.yaml .dagster_home/dagster.yaml
	PATH="$(CURDIR)/$(BIN):$$PATH" DAGSTER_HOME=$(CURDIR)/.dagster_home $(BIN)/dagster dev -m orchestration.definitions

dashboard: install  ## the dashboard on http://127.0.0.1:8501, reading the published layer (run make demo first)
	PYTHONPATH=$(CURDIR) $(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port 8501 --server.headless true --browser.gatherUsageStats false

docs: install  ## build dbt's docs site from the warehouse (run make demo first) and serve it on http://127.0.0.1:8080
	DBT_PROFILES_DIR=$(CURDIR) $(BIN)/dbt docs generate --project-dir $(CURDIR)
	DBT_PROFILES_DIR=$(CURDIR) $(BIN)/dbt docs serve --project-dir $(CURDIR) --host 127.0.0.1 --port 8080 --no-browser

PY_SOURCES := orchestration tests benchmarks scripts dashboard
# sqlfluff compiles the models through dbt, which opens the profile's database: an empty one of
# its own, never the warehouse (one writer), and the same on every machine (no is_incremental()).
LINT_DB := TW_TARGET=duckdb TW_DUCKDB_PATH=target-lint/lint.duckdb

lint: install  ## conventions: Python lint and format, project checks (dbt-bouncer.yml), SQL style (.sqlfluff)
	$(BIN)/ruff check $(PY_SOURCES)
	$(BIN)/ruff format --check $(PY_SOURCES)
	$(BIN)/dbt parse --quiet --profiles-dir . --target-path target-lint --log-path target-lint/logs
	$(BIN)/dbt-bouncer run --config-file dbt-bouncer.yml
	mkdir -p target-lint
	$(LINT_DB) $(BIN)/sqlfluff lint models tests/dbt --processes 2

fix: install  ## repair what lint can: ruff format, sqlfluff fix (review the diff)
	$(BIN)/ruff format $(PY_SOURCES)
	mkdir -p target-lint
	$(LINT_DB) $(BIN)/sqlfluff fix models tests/dbt --processes 2

benchmark: install  ## speed and memory at stated sizes (see benchmarks/README.md)
	$(BIN)/python -m benchmarks.run

lock:  ## re-resolve the ranges in pyproject.toml into requirements.lock
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet ".[dev]"
	(head -n 2 requirements.lock; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^touchpoint-warehouse') > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

clean:
	rm -rf target target-lint logs warehouse .dagster_home metastore_db spark-warehouse derby.log
