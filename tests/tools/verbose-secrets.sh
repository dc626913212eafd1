#!/usr/bin/env bash
# Run the whole integration suite once at -vvv (ANSIBLE_DEBUG off), keep the output of every
# ansible-playbook run, then scan it: no API token secret anywhere, and a created token only as a
# token_management_token value of a task result (tests/integration/secret_scan.py).
# Takes about as long as the integration suite itself; extra pytest arguments are passed on.
#
# Deselected: test_diff_output_never_shows_the_token asserts that the default callback prints no task
# result at verbosity 0; at -vvv it prints the result, which returns the created token by design.
# The scan checks the promise behind it (no token outside a task result) on every other run; the
# test itself runs in the normal pass.
# Left out: the tests that run ansible-playbook or ansible-runner on their own, not through runner.run_tasks,
# so nothing of theirs reaches the log (they check their own output for secrets).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

log=.tmp/verbose-secrets.log
mkdir -p .tmp
rm -f "$log"
export CLUSTEROPS_TEST_VERBOSITY=3 CLUSTEROPS_TEST_OUTPUT_LOG="$PWD/$log" ANSIBLE_DEBUG=0
.venv/bin/python -m pytest tests/integration -q -p no:cacheprovider \
    --deselect tests/integration/test_dynatrace_environment.py::test_diff_output_never_shows_the_token \
    --ignore tests/integration/test_awx_runner.py --ignore tests/integration/test_awx_guide.py \
    --ignore tests/integration/test_readme_install.py "$@"
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
