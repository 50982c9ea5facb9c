# callcoach — two commands:
#   make lab    set up (first time) and open the course in JupyterLab
#   make test   set up (first time) and run every test
# Everything is installed into .venv from requirements/lock.txt; nothing goes elsewhere.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
PY     := $(BIN)/python
LOCK   := requirements/lock.txt
# The install stamp is keyed on the lock and the package metadata: change either and
# the next `make` reinstalls; change nothing and it skips straight to the work.
LOCK_KEY := $(shell cat $(LOCK) pyproject.toml 2>/dev/null | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.installed-$(LOCK_KEY)
START  := course/00-start-here.ipynb
ARGS   ?=
PYTEST_ARGS ?= --durations=15
# JupyterLab refuses to run as root unless told to; add the flag only for root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# nbgrader runs `alembic` from PATH when it creates a gradebook.
export PATH := $(BIN):$(PATH)
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install lab test datasets check-datasets lock release grade report clean

help: ## list the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@echo "==> setting up $(VENV) from $(LOCK) (first run only, about a minute)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade "pip>=24"
	@$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	@$(PY) -m pip install --quiet --no-deps -e .
	@rm -f $(VENV)/.installed-*
	@touch $@
	@echo "==> $(VENV) ready ($$(du -sh $(VENV) | cut -f1))"

LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json
$(LAB_OVERRIDES): jupyter/overrides.json $(STAMP)
	@mkdir -p $(dir $@) && cp $< $@

install: $(STAMP) $(LAB_OVERRIDES) ## create .venv from the lock (skipped when up to date)

check-datasets: install ## generate missing datasets, then validate every dataset
	@$(PY) -m callcoach.datasets ensure

lab: check-datasets ## open the course in JupyterLab (ARGS="--no-browser --port 8899" passes options)
	@echo "==> opening JupyterLab on $(START)"
	@$(BIN)/jupyter lab $(START) --ServerApp.root_dir="$(CURDIR)" $(ROOT_FLAG) $(ARGS)

test: check-datasets ## run every test: unit, doctests, notebooks (nbval), nbgrader round trips
	@$(BIN)/pytest $(PYTEST_ARGS)

datasets: install ## regenerate every dataset and datasets/datapackage.json from their seeds
	@$(PY) -m callcoach.datasets build

release: install ## learner versions of all exercises in grading/release/ (refuses if one would leak a solution)
	@$(BIN)/callcoach release

EX ?=
grade: install ## autograde a cohort in parallel, sandboxed: make grade EX=ex21-service-level [ARGS="--workers 2"]
	@test -n "$(EX)" || { echo "make grade needs EX=<exercise>, e.g. make grade EX=ex21-service-level"; exit 2; }
	@$(BIN)/callcoach grade $(EX) $(ARGS)

report: install ## cohort report (HTML, works offline) and grades CSV: make report EX=ex21-service-level
	@test -n "$(EX)" || { echo "make report needs EX=<exercise>, e.g. make report EX=ex21-service-level"; exit 2; }
	@$(BIN)/callcoach export $(EX) && $(BIN)/callcoach report $(EX)

lock: ## regenerate requirements/lock.txt from pyproject.toml (needs network)
	@test -x .tools/bin/uv || ($(PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv)
	@.tools/bin/uv pip compile pyproject.toml --extra test --python-version 3.11 \
	  --generate-hashes --quiet -o $(LOCK)
	@echo "==> wrote $(LOCK); commit it with pyproject.toml"

clean: ## remove .venv and generated grading folders (keeps datasets and your notebooks)
	rm -rf $(VENV) .tools grading/release grading/submitted grading/autograded grading/feedback
