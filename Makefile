# Build, test and demo targets for the clusterops.dynatrace collection.
# Every target creates the virtual environment .venv when it is missing
# (tests/tools/venv.sh) and uses only the tools installed there.
#
#   make check   the fast loop: the unit tests (model, layers, per module) and the style gate (pep8 and pylint as
#                ansible-test sanity runs them, tests/tools/style.sh), no ansible-playbook (seconds)
#   make test    everything CI runs (.ci/run), stops at the first failure
#   make demo    in a runtime-only venv: build + install the collection, run playbooks/demo.yml twice against the emulator

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.NOTPARALLEL:
.DEFAULT_GOAL := help

VENV        := .venv
BIN         := $(CURDIR)/$(VENV)/bin
COLLECTIONS := $(CURDIR)/.tmp/collections
VERSION     := $(shell sed -n 's/^version: *//p' galaxy.yml)
BUILD_DIR   := .tmp/build
TARBALL     := $(BUILD_DIR)/clusterops-dynatrace-$(VERSION).tar.gz

export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export ANSIBLE_NOCOLOR := 1
export PY_COLORS := 0

.PHONY: help venv tree check emulator-tests contract integration test units sanity matrix lint build importer changelog-lint molecule docs-lint docs verbose-secrets demo clean distclean

help:
	@echo "make venv            create/refresh .venv from tests/requirements.txt and requirements.txt"
	@echo "make check           the fast loop after every change: tests/unit (model, layers, per module) and the style gate (pep8, pylint), no ansible-playbook"
	@echo "make emulator-tests  the emulator's own tests (tests/emulator/tests)"
	@echo "make contract        the contract suite against the emulator (or DYNATRACE_CONTRACT_URL), recording in tests/contract/recordings"
	@echo "make integration     the integration suite once, at -vvv, then its output scanned for token secrets"
	@echo "make test            check, emulator-tests, integration, sanity, matrix, lint, build, importer, changelog-lint, molecule, docs (what CI runs)"
	@echo "make demo            in a runtime-only venv (.tmp/demo-venv): build, install and run playbooks/demo.yml against the emulator, twice"
	@echo "make units           check, emulator-tests and integration"
	@echo "make sanity          ansible-test sanity, offline, no ignore files"
	@echo "make matrix          smoke tests and ansible-test sanity on the oldest and newest ansible-core (tests/tools/matrix.txt)"
	@echo "make lint            ansible-lint --profile production (installs the collection itself into .ansible/)"
	@echo "make build           ansible-galaxy collection build into $(BUILD_DIR)/, check the tarball, ansible-builder create and check the context"
	@echo "make importer        galaxy-importer on the tarball: fails on any ERROR or WARNING line"
	@echo "make changelog-lint  antsibull-changelog lint"
	@echo "make verbose-secrets the same as make integration"
	@echo "make bench           benchmark: requests and wall time vs ansible.builtin.uri (BENCH_JSON=path for JSON rows)"
	@echo "make molecule        molecule test: the environments role against the emulator (no Docker)"
	@echo "make docs-lint       antsibull-docs lint-collection-docs --plugin-docs"
	@echo "make docs            HTML documentation with antsibull-docs into docs/build/html (offline)"
	@echo "make clean           remove .tmp/, test output and caches (keeps .venv); make distclean also removes .venv"

venv:
	@bash tests/tools/venv.sh

tree:
	@bash tests/tools/collection-tree.sh

test: check emulator-tests contract integration sanity matrix lint build importer changelog-lint molecule docs-lint docs
	@cat .tmp/matrix/results.txt
	@echo "make test: all checks passed"

check: venv tree
	@start=$$(date +%s); bash tests/tools/pytest.sh tests/unit -q -p no:cacheprovider; bash tests/tools/style.sh; \
	echo "check: passed in $$(( $$(date +%s) - start )) s"

emulator-tests: venv tree
	bash tests/tools/pytest.sh tests/emulator/tests -q -p no:cacheprovider

# The contract kit (docs/contract.md): one suite, two targets. Without DYNATRACE_CONTRACT_URL it starts an emulator;
# with it, it probes that cluster (writes only with DYNATRACE_CONTRACT_PREFIX). Then the kit's own tests, and a scan
# of the recordings for anything shaped like a token.
contract: venv tree
	$(BIN)/python -m tests.contract --out tests/contract/recordings
	bash tests/tools/pytest.sh tests/contract/tests -q -p no:cacheprovider
	! grep -rEn 'dt0[a-z][0-9]{2}\.[A-Za-z0-9]{8,}' tests/contract/recordings

# The integration suite runs once: at -vvv, its output kept and scanned for secrets (tests/tools/verbose-secrets.sh).
integration: venv tree
	bash tests/tools/verbose-secrets.sh

units: check emulator-tests integration

sanity: venv
	bash tests/tools/sanity.sh

# The oldest and the newest ansible-core (tests/tools/matrix.txt): smoke tests and sanity; MATRIX_ONLY=<name> for one.
matrix: venv tree
	bash tests/tools/matrix.sh

# As a contributor runs it (see .ansible-lint). Without ANSIBLE_COLLECTIONS_PATH it installs the
# collection into .ansible/ of this checkout; with it, into the user's collections folder. The daily
# JSON schema refresh (network) is skipped in here.
lint: venv
	env -u ANSIBLE_COLLECTIONS_PATH ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1 ansible-lint --profile production

EE_DEFINITION := execution-environment/execution-environment.yml

build: venv
	rm -rf $(BUILD_DIR) .tmp/ee
	ansible-galaxy collection build --force --output-path $(BUILD_DIR) .
	bash tests/tools/check-tarball.sh $(TARBALL)
	printf -- '---\n# Written by make build: the collection tarball for ansible-builder (execution-environment/).\ncollections:\n  - name: collections/%s\n    type: file\n' \
	    $(notdir $(TARBALL)) > $(BUILD_DIR)/galaxy-requirements.yml
	ansible-builder create -f $(EE_DEFINITION) --context .tmp/ee > /dev/null
	python tests/tools/check-ee-context.py $(EE_DEFINITION) .tmp/ee $(TARBALL)
	@echo "build: execution environment build context written to .tmp/ee"

importer: build
	bash tests/tools/importer.sh $(TARBALL)

changelog-lint: venv
	antsibull-changelog lint

verbose-secrets: integration

molecule: venv tree
	molecule test

docs-lint: venv tree
	antsibull-docs lint-collection-docs --plugin-docs .

docs: venv tree
	bash docs/build.sh

# Its own venv of the runtime only (.tmp/demo-venv, tests/requirements-demo.txt), not .venv's toolchain.
demo:
	bash tests/tools/demo.sh

# make bench [BENCH_JSON=path]: role, module loop and uri baseline against the emulator (tests/benchmarks/README.md)
BENCH_JSON ?=
.PHONY: bench
bench: venv tree
	python tests/benchmarks/bench.py $(if $(BENCH_JSON),--json "$(BENCH_JSON)")
	python tests/benchmarks/scale.py $(if $(BENCH_JSON),--json "$(BENCH_JSON)")

clean:
	rm -rf .tmp tests/output .pytest_cache .ansible clusterops-dynatrace-*.tar.gz
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
