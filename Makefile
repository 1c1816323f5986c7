# Skills Policy Atlas — every set-up step lives here, so a fresh clone needs only `make site` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SYSTEM_STAMP := .cache/system-deps.ok
N ?=

.PHONY: site serve test validate fmt offline pdf bench system-deps env clean schema

env: $(STAMP) $(SYSTEM_STAMP)

# Debian packages the project needs: Chromium for browser tests, Noto CJK fonts for the PDF,
# poppler-utils to read the PDF back. Installed by the project, never by hand.
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
# site served is the one a clean build writes (generator/incremental.py). Anything in doubt is a full build.
serve: env
	$(PY) -m mkdocs serve --livereload --dirty

test: env
	$(PY) -m pytest

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
