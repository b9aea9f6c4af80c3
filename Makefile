# Two commands: `make run` serves the app, `make test` runs every test.
# Both build .venv from nothing when it is missing.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8501

.PHONY: setup run test bench eval browser clean

# After the install: export the models to ONNX (once; again only for a changed model), which the app runs
# without importing torch; and compile the package's bytecode, which no start writes where
# PYTHONDONTWRITEBYTECODE is set (as on this machine): 0.2 s of every start.
setup: $(STAMP)
	$(PY) -m assistant.knowledge.onnx_setup
	$(PY) -m compileall -q assistant ui >/dev/null

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: setup
	$(VENV)/bin/claimcheck serve --port $(PORT)

browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }

test: setup browser
	HF_HUB_OFFLINE=1 $(PY) -m pytest

eval: setup
	$(VENV)/bin/claimcheck eval corpus/eval/questions.jsonl

bench: setup
	status=0; for b in bench/bench_*.py; do $(PY) $$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV)
