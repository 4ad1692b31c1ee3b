# autograd-kb — the two commands: `make run` and `make test`.
PY      := .venv/bin/python
PIP     := .venv/bin/pip
STAMP   := .venv/.installed
HOST    ?= 127.0.0.1
PORT    ?= 7860
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup browser run test bench build clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium (and CJK/emoji fonts) for the browser tests; never `playwright install`.
browser:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && \
	  (apt-get install -y -q chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null 2>&1 || \
	   (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium fonts-noto-cjk fonts-noto-color-emoji >/dev/null 2>&1)); } || \
	  echo "note: could not install chromium; browser tests will skip (and fail under CI=true)"

build: setup
	.venv/bin/autograd-kb build

run: build
	@echo "web chat: http://$(HOST):$(PORT)"
	.venv/bin/autograd-kb chat --host $(HOST) --port $(PORT)

test: setup browser
	$(PY) -m pytest

bench: setup
	$(PY) -m bench.run

clean:
	rm -rf .venv build *.egg-info
