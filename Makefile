# autograd-kb — the two commands: `make run` and `make test`.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test bench build clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

build: setup
	.venv/bin/autograd-kb build

run: build
	.venv/bin/autograd-kb ask "x 的梯度值为什么是 tensor([7.])?"

test: setup
	$(PY) -m pytest

bench: setup
	$(PY) -m bench.run

clean:
	rm -rf .venv data build *.egg-info
