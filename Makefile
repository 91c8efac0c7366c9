# Two commands on a fresh machine: `make run` and `make test`. Both build on `make setup`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup run test eval lint typecheck clean bench fuzz

setup: $(STAMP)

# Reinstall only when the project's requirements change.
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,dask]'
	touch $(STAMP)

run: setup
	$(BIN)/tradewatch run

test: setup
	$(BIN)/python -m pytest

eval: setup
	$(BIN)/python -m tests.eval.score

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy parsers fetch warehouse delivery flows tradewatch bench fuzz

# Mutated real feeds, pages, texts, dates, URLs and queries against the parsers' invariants (README, "Fuzzing")
FUZZ_CASES ?= 10000
FUZZ_SEED ?= 1
fuzz: setup
	$(BIN)/python -m fuzz --cases $(FUZZ_CASES) --seed $(FUZZ_SEED)

clean:
	rm -rf $(VENV) data .pytest_cache

# Speed and memory on the real code paths (see the README's "Performance"); about 14 minutes, 13 GB of temporary disk
SIZES ?= 1000,10000,100000
bench: setup
	$(BIN)/python -m bench.run --sizes $(SIZES)
