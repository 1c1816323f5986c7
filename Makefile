# Skills Policy Atlas — every set-up step lives here, so a fresh clone needs only `make site` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := .cache/system-deps.ok
N ?=

.PHONY: site serve preview test test-fast lint validate fmt offline pdf bench system-deps env clean schema goldens

env: $(STAMP) $(SYSTEM_STAMP)

# Debian packages the project needs: Chromium for browser tests, Noto CJK fonts for the PDF,
# poppler-utils to read the PDF back, shellcheck for actionlint. Installed by the project, never by hand.
$(SYSTEM_STAMP): scripts/system-deps.sh
	bash scripts/system-deps.sh
	@mkdir -p $(dir $@) && touch $@

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

system-deps: $(SYSTEM_STAMP)

validate: $(STAMP)
	$(PY) -m generator validate

fmt: $(STAMP)
	$(PY) -m generator fmt

schema: $(STAMP)
	$(PY) -m generator schema

# Validate first, build into a temporary folder, then swap: a broken data file never leaves a half-built site/.
site: env
	$(PY) -m generator build --site-dir site

# The PDF (site/pdf/skills-policy-atlas.pdf) and the offline bundle
# (site/downloads/skills-policy-atlas-offline.zip) are made by the same atomic build as the site.
pdf offline: env
	$(PY) -m generator build --site-dir site

# --dirty: a rebuild renders only the pages whose HTML changed; the atlas plugin decides which, and the
# site served is the one a clean build writes (generator/mkdocs/incremental.py). Anything in doubt is a full build.
serve: env
	$(PY) -m mkdocs serve --livereload --dirty

# The contributor's loop: validate, build the site without the PDF and the offline bundle (seconds,
# not minutes), then serve it at http://127.0.0.1:8000/ (only this machine can see it). Rerun after edits.
PREVIEW_DIR := .cache/preview
PORT ?= 8000
preview: env
	$(PY) -m generator build --no-pdf --no-offline --site-dir $(PREVIEW_DIR)
	@echo "preview: http://127.0.0.1:$(PORT)/  (Ctrl+C stops it; run make preview again after an edit)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory $(PREVIEW_DIR)

# The habits the code keeps: lint, format, types and the layer contract (pyproject.toml configures each).
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: env lint
	$(PY) -m pytest

# While you work: everything but the real builds (MkDocs, PDF, browser); `make test` still runs them all.
test-fast: env
	$(PY) -m pytest -m "not slow"

# Rewrite golden pages and pinned bad-input messages from the current output; review the diff before committing.
goldens: env
	$(PY) -m pytest tests/site/test_render.py tests/core/test_bad_input.py --update-goldens

bench: env
	$(PY) bench/run.py $(if $(N),--sizes $(N),)

# Also the temporary folders of builds that were killed (.site.building-<pid>-*, .site.old-<pid>), and
# offline-bundle folders in $TMPDIR whose build process is gone (a running build's are kept).
clean:
	rm -rf site .site.building-* .site.old-* .cache/build-*
	@for d in $${TMPDIR:-/tmp}/atlas-offline-*; do \
	  pid=$$(basename "$$d" | sed -n 's/^atlas-offline-\([0-9][0-9]*\)-.*/\1/p'); \
	  if [ -n "$$pid" ] && ! kill -0 "$$pid" 2>/dev/null; then rm -rf "$$d"; fi; \
	done
