# One Makefile; its targets are what CI runs (see .ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The pure cores: typed strictly, no Django.
CORES  := src/kyoten/text.py src/kyoten/validation.py src/kyoten/fiscal.py src/kyoten/program src/kyoten/reports src/kyoten/cli.py

.PHONY: run test lint typecheck pytest bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

## run: the main job — check the shipped example plans and print the FY2023 rulebook
run: $(VENV)/.installed
	$(BIN)/kyoten rules --fy 2023 --lang ja
	-$(BIN)/kyoten check examples/*.yaml --lang en

## test: lint, format check, strict typing of the cores, tests and doctests
test: lint typecheck pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed
	$(BIN)/mypy $(CORES)

pytest: $(VENV)/.installed
	$(BIN)/pytest

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
