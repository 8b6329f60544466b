# Two commands matter: `make run` (the portal on http://127.0.0.1:8000 with demo data; PORT=8001
# for another port) and `make test` (the whole suite). Both build .venv first when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PERSONS ?= 200
SEED ?= 2026
PORT ?= 8000

.PHONY: run test install migrate data messages bench-import bench load bench-lookups bench-data security security-scan clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

data: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py seed_demo --persons $(PERSONS) --seed $(SEED)

run: data
	@echo "Cổng BHXH số: http://127.0.0.1:$(PORT)  (SMS/email đã gửi: http://127.0.0.1:$(PORT)/thong-bao/hop-thu-thu-nghiem/)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Needs DATABASE_URL (a PostgreSQL database it may fill); see bench/README.md.
bench-import: $(STAMP)
	$(BIN)/python bench/import_periods.py --rows $(or $(ROWS),100000)

# The benchmarks start their own PostgreSQL, Redis, Celery worker and gunicorn on loopback ports
# and remove them afterwards; they need wrk and PostgreSQL's binaries (PG_BIN). See bench/README.md.
BENCH_PERSONS ?= 100000

bench: $(STAMP)
	$(BIN)/python bench/pages.py --persons $(BENCH_PERSONS) $(BENCH_ARGS)

load: $(STAMP)
	$(BIN)/python bench/pages.py --load --persons $(BENCH_PERSONS) $(BENCH_ARGS)

bench-lookups: $(STAMP)
	$(BIN)/python bench/lookups.py --small $(or $(SMALL),10000) --large $(or $(LARGE),1000000)

# Fills the (empty) PostgreSQL database named by DATABASE_URL with the benchmark data set.
bench-data: $(STAMP)
	$(BIN)/python bench/dataset.py --persons $(BENCH_PERSONS)

# The security suite alone (it also runs in `make test`).
security: $(STAMP)
	$(BIN)/python -m pytest -m security $(PYTEST_ARGS)

# Wapiti scan of the portal served on loopback (own venv var/wapiti-venv); JSON report in var/security/.
# About 9 minutes; SCAN_ARGS="--scan-time 120" for a quicker pass.
security-scan: $(STAMP)
	$(BIN)/python tests/security/scan.py $(SCAN_ARGS)

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en -i ".venv/*" -i "tests/*" -i "bench/*" -i "var/*" --no-obsolete
	$(BIN)/python manage.py compilemessages -l en -l vi -i .venv -i var

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
