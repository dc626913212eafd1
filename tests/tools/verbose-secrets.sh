#!/usr/bin/env bash
# The one run of the integration suite (make integration, part of make test): every ansible-playbook run at -vvv
# (ANSIBLE_DEBUG off) with its output kept, then the scan of that output: no API token secret anywhere, a
# created token only as a token_management_token value of a task result, and no user password (made by
# secret_scan.make_password(), so the scan knows its prefix) anywhere at all (tests/integration/secret_scan.py).
# Fails when a test fails or the scan finds something. Extra pytest arguments are passed on.
#
# A test whose assertion depends on the verbosity asks for its own (run_tasks(verbosity=0)); its output is
# logged and scanned like every other run's.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

log=.tmp/verbose-secrets.log
mkdir -p .tmp
rm -f "$log"
export CLUSTEROPS_TEST_VERBOSITY=3 CLUSTEROPS_TEST_OUTPUT_LOG="$PWD/$log" ANSIBLE_DEBUG=0
.venv/bin/python -m pytest tests/integration -q -p no:cacheprovider "$@"
tests_rc=$?
runs=$(grep -c '^=== RUN ' "$log" 2>/dev/null || true)
echo "verbose-secrets: ${runs:-0} ansible-playbook runs, $(wc -c < "$log" 2>/dev/null || echo 0) bytes of output"
if [[ ${runs:-0} -eq 0 ]]; then
    echo "verbose-secrets: no run was logged" >&2
    exit 1
fi
.venv/bin/python -m tests.integration.secret_scan "$log"
scan_rc=$?
exit $(( scan_rc || tests_rc ))
