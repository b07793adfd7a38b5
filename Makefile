# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make run    set up .venv, crawl every site into archive.db, serve it with Datasette
#   make test   set up .venv and run the whole test suite (what CI runs)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
DB     ?= archive.db
PORT   ?= 8001

.PHONY: run test lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: $(BIN)/.installed
	@# a site that failed must not stop serving; the crawl's own lines say what went wrong
	@$(BIN)/newsarchive crawl --all --db $(DB) || echo "(serving what $(DB) holds)"
	@echo "To keep crawling every 15 minutes: $(BIN)/newsarchive schedule install --every 15m --user --db $(abspath $(DB))"
	$(BIN)/newsarchive serve --db $(DB) --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/ruff check newsarchive tests bench
	$(BIN)/python -m pytest -ra

bench: $(BIN)/.installed
	$(BIN)/python -m bench.extract
	$(BIN)/python -m bench.archive
	$(BIN)/python -m bench.crawl
	$(BIN)/python -m bench.publish

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-output
