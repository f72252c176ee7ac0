# The README's two commands. Each works on a machine with only python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test bench bench-smoke install clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/pos demo

test: $(STAMP)
	@scripts/ensure-test-tools
	$(BIN)/python -m pytest -n auto

# The performance suite at scale (builds its stores once into bench/.cache/; the first run takes minutes).
bench: $(STAMP)
	$(BIN)/python bench/run.py

# The same suite at small scale: every scenario runs; timings are not judged.
bench-smoke: $(STAMP)
	$(BIN)/python bench/run.py --smoke

clean:
	rm -rf $(VENV) build dist .pytest_cache
