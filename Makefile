# Anju: `make demo` runs the demo county, `make test` runs the tests. Nothing else to install.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
export PORT

.PHONY: install browser demo test lint schemathesis messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The browser tests drive Debian's Chromium and need Chinese fonts, or every character renders as
# an empty box: a Hei (sans) face for pages and headings and a Song (serif, Ming) face for the text
# of official documents; poppler-utils (pdftoppm) turns a printed agreement's or notice's PDF into
# a PNG to look at. Installed from Debian's packages when missing (as root, or with sudo).
browser:
	@if command -v chromium >/dev/null && command -v pdftoppm >/dev/null && fc-list 2>/dev/null | grep -qi "wenquanyi micro hei" \
	  && fc-list 2>/dev/null | grep -qi "ar pl uming"; then :; else \
	  echo "installing chromium, fonts-wqy-microhei, fonts-arphic-uming and poppler-utils"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-wqy-microhei \
	    fonts-arphic-uming poppler-utils; \
	fi

# Migrate the SQLite database, load the demo county once, then run the background worker
# and the web server at http://127.0.0.1:$(PORT) until Ctrl-C.
demo: install
	$(BIN)/anju migrate --noinput -v0
	$(BIN)/anju collectstatic --noinput -v0
	$(BIN)/anju demo
	@echo "Anju: http://127.0.0.1:$(PORT)  (API: http://127.0.0.1:$(PORT)/api/v1/docs; Ctrl-C stops)"
	@$(BIN)/anju worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; $(BIN)/anju serve

# The whole suite, browser tests included, in one worker process per core (TEST_WORKERS=0 runs it
# in this process, as a debugger wants).
# Compiled modules (and pytest's rewritten test modules) are kept in __pycache__ even where the
# shell says PYTHONDONTWRITEBYTECODE: without them every worker of every run compiles the whole
# tree again, about 9 s each.
TEST_WORKERS ?= auto
test: install browser
	env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

lint: install
	$(BIN)/ruff check anju

# Property-based run of schemathesis over the whole /api/v1 OpenAPI document.
schemathesis: install
	bash .ci/schemathesis

messages: install
	$(BIN)/anju makemessages -l zh_Hans --ignore ".venv/*" --ignore "anju/demo/*" --ignore "*/tests/*"
	msgfmt --check -o anju/locale/zh_Hans/LC_MESSAGES/django.mo anju/locale/zh_Hans/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) var static-collected .pytest_cache
