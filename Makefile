# Two entry points: `make run` builds the site, `make test` runs the whole test suite.
# Both create .venv and install what they need on a fresh machine (Python 3.11+, registry access).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint tools debian-tools assets bench clean

run: $(VENV)/.installed
	$(BIN)/oerkg build .
	@echo "Open site/index.html, or serve it with content negotiation and SPARQL: $(BIN)/oerkg serve ."

test: $(VENV)/.installed-test tools
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The independent checkers the tests drive: Chromium, Raptor, Apache Jena (its RIOT parser), a Java
# runtime, Node.js (Debian); N3.js, jsonld.js, the Nu HTML Checker and axe-core (npm, without
# install scripts: vnu-jar's would download a Java runtime). Chromium comes from Debian, never
# from `playwright install`.
# The query page's bundle is rebuilt by a test from browser/'s pinned packages.
tools: debian-tools node_modules/.installed browser/node_modules/.installed

debian-tools:
	@command -v chromium >/dev/null && command -v rapper >/dev/null && command -v java >/dev/null \
	  && command -v npm >/dev/null && [ -f /usr/share/java/jena-cmds.jar ] \
	  && command -v virtuoso-t >/dev/null \
	  || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium raptor2-utils \
	       libapache-jena-java virtuoso-opensource-7-bin \
	       $$(command -v java >/dev/null || echo default-jre-headless) \
	       $$(command -v npm >/dev/null || echo nodejs npm); }

node_modules/.installed: package.json package-lock.json | debian-tools
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

# The query page's browser assets (CodeMirror, Oxigraph's WebAssembly build): their packages are
# pinned by browser/package-lock.json; the bundle in site_templates/static/vendor/ is committed, so
# `make run` needs no Node.js. `make assets` rebuilds it; a test checks it matches a rebuild.
browser/node_modules/.installed: browser/package.json browser/package-lock.json | debian-tools
	cd browser && npm ci --ignore-scripts --no-audit --no-fund
	touch $@

assets: browser/node_modules/.installed
	node browser/build.js

bench: $(VENV)/.installed-test
	bench/run --scale 100k

clean:
	rm -rf $(VENV) node_modules site
