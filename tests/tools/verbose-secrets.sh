#!/usr/bin/env bash
# Run the whole integration suite once at -vvv (ANSIBLE_DEBUG off), keep the output of every
# ansible-playbook run, then scan it: no API token secret anywhere, and a created token only as a
# token_management_token value of a task result (tests/integration/secret_scan.py).
# Takes about as long as the integration suite itself; extra pytest arguments are passed on.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

log=.tmp/verbose-secrets.log
mkdir -p .tmp
rm -f "$log"
export CLUSTEROPS_TEST_VERBOSITY=3 CLUSTEROPS_TEST_OUTPUT_LOG="$PWD/$log" ANSIBLE_DEBUG=0
.venv/bin/python -m pytest tests/integration -q -p no:cacheprovider "$@"
tests_rc=$?
runs=$(grep -c '^=== RUN ' "$log" 2>/dev/null || true)
echo "verbose-secrets: ${runs:-0} ansible-playbook runs at -vvv, $(wc -c < "$log" 2>/dev/null || echo 0) bytes of output"
if [[ ${runs:-0} -eq 0 ]]; then
    echo "verbose-secrets: no run was logged" >&2
    exit 1
fi
.venv/bin/python -m tests.integration.secret_scan "$log"
scan_rc=$?
# The scan is the point of this pass; a test that fails at -vvv fails it too.
exit $(( scan_rc || tests_rc ))
