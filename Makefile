# plantsync: `make run` sets everything up and runs the pipeline on the demo network; `make test` runs the tests.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_VERSION := 0.13.8

export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_NO_PROGRESS := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export STREAMLIT_BROWSER_GATHER_USAGE_STATS := false

.PHONY: setup run test dashboard ui lint docs bench clean

# Setup says one line when it installs and nothing when everything is up to date.
$(UV):
	@echo "installing uv $(UV_VERSION) into $(TOOLS)/ ..."
	@$(PYTHON) -m venv $(TOOLS)
	@$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	@echo "installing plantsync and its locked dependencies into $(VENV)/ ..."
	@$(UV) sync --frozen --quiet --python $(PYTHON)
	@touch $@

setup: $(VENV)/.synced

run: setup
	@$(VENV)/bin/plantsync run

test: setup
	$(VENV)/bin/pytest

ui: setup
	$(VENV)/bin/plantsync ui

dashboard: setup
	$(VENV)/bin/plantsync dashboard

lint: setup
	$(VENV)/bin/ruff check orchestration expectations optimization dashboards tests benchmarks
	cd transforms && ../$(VENV)/bin/sqlfluff lint models

# docs/contracts.md's tables, written from the marts' yml and the plans' contracts.
docs: setup
	$(VENV)/bin/python -m orchestration.contracts_doc

clean:
	rm -rf $(VENV) $(TOOLS) data
