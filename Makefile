# Two commands matter: `make run` (the portal on http://127.0.0.1:8000 with demo data) and
# `make test` (the whole suite). Both build .venv first when needed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PERSONS ?= 200
SEED ?= 2026

.PHONY: run test install migrate data messages bench-import clean

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
	@echo "Cổng BHXH số: http://127.0.0.1:8000  (SMS/email đã gửi: http://127.0.0.1:8000/thong-bao/hop-thu-thu-nghiem/)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Needs DATABASE_URL (a PostgreSQL database it may fill); see bench/README.md.
bench-import: $(STAMP)
	$(BIN)/python bench/import_periods.py --rows $(or $(ROWS),100000)

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en -i ".venv/*" -i "tests/*" -i "bench/*"
	$(BIN)/python manage.py compilemessages -l en -i .venv

clean:
	rm -rf $(VENV) var db.sqlite3 .pytest_cache
