#!/usr/bin/env bash
# make matrix: the collection on the other ansible-core versions of tests/tools/matrix.txt.
#
# For each line (name, ansible-core, Python): a venv in .tmp/matrix/<name> from ~/.pyenv/versions/<Python>.*
# with that ansible-core and requests (kept while the line and requirements.txt are unchanged), then
# 1. the smoke tests (tests/integration/test_smoke.py and test_playbooks.py: every module, create, re-run
#    unchanged, check mode, info, the role, the shipped lifecycle playbook) with that venv's ansible-playbook
#    and Python (CLUSTEROPS_TEST_ANSIBLE_BIN), against the emulator of .venv;
# 2. `ansible-test sanity` of that ansible-core, on that Python only (the main run covers the others).
# Every line runs even when one fails; the table of results goes to .tmp/matrix/results.txt and the
# script fails if any step failed. MATRIX_ONLY=<name> runs one line.
# A line whose Python is not installed (~/.pyenv/versions, or PYENV_ROOT) fails in CI (CI set, as CI services do);
# outside CI it is skipped with a message that says how to get that Python (`pyenv install <version>`), so that
# `make test` on a machine with Python 3.11 only still runs every other check.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
root=$PWD
out=.tmp/matrix
mkdir -p "$out"
results=$out/results.txt
: > "$results.new"
pyenv_versions=${PYENV_ROOT:-$HOME/.pyenv}/versions
failed=0

quiet_pip() {
    # pip's notes about missing local index folders are noise; real errors still fail the step.
    "$@" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
}

find_python() {  # version -> the newest pyenv interpreter of that version, or nothing
    find "$pyenv_versions" -maxdepth 3 -path "*/$1.*/bin/python$1" 2>/dev/null | sort -V | tail -n 1
}

make_venv() {  # name core python -> path of the venv, or fails
    local name=$1 core=$2 python=$3 venv=$out/$1 interpreter want
    interpreter=$(find_python "$python")
    if [[ -z $interpreter ]]; then
        echo "matrix: no Python $python under $pyenv_versions" >&2
        return 1
    fi
    want=$(printf '%s %s %s\n' "$core" "$interpreter" "$(sha256sum requirements.txt)" | sha256sum | cut -d' ' -f1)
    if [[ -x $venv/bin/ansible-playbook && "$(cat "$venv/.stamp" 2>/dev/null)" == "$want" ]]; then
        return 0
    fi
    rm -rf "$venv"
    "$interpreter" -m venv "$venv" || return 1
    # The oldest line tests the oldest requests of the range requirements.txt pins (the others get the newest).
    local lowest=()
    if [[ $name == oldest ]]; then
        lowest=("requests==$(sed -n 's/^requests>=\([0-9.]*\),.*/\1/p' requirements.txt)")
    fi
    quiet_pip "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        "ansible-core==$core" -r requirements.txt "${lowest[@]}" || return 1
    echo "$want" > "$venv/.stamp"
}

run_line() {  # name core python
    local name=$1 core=$2 python=$3 venv=$root/$out/$1 start smoke_s sanity_s smoke sanity actual
    echo "=== matrix $name: ansible-core $core on Python $python"
    if [[ -z $(find_python "$python") && -z ${CI:-} ]]; then
        echo "matrix $name: SKIPPED: no Python $python under $pyenv_versions. Install it with \`pyenv install $python\`" \
            "(https://github.com/pyenv/pyenv) to run this line; CI (CI=true) fails instead of skipping." >&2
        printf '%-7s %-14s %-8s %-28s %s\n' "$name" "$core" "$python" "SKIPPED (no Python $python)" \
            "pyenv install $python" >> "$results.new"
        return 0
    fi
    start=$SECONDS
    if ! make_venv "$name" "$core" "$python"; then
        printf '%-7s %-14s %-8s %-28s %s\n' "$name" "$core" "$python" "venv FAILED" "-" >> "$results.new"
        return 1
    fi
    actual=$("$venv/bin/ansible" --version | sed -n 1p)
    echo "matrix $name: venv ready in $((SECONDS - start)) s: $actual, $("$venv/bin/python" --version)"

    start=$SECONDS
    smoke=$(CLUSTEROPS_TEST_ANSIBLE_BIN=$venv/bin .venv/bin/python -m pytest -q -p no:cacheprovider \
        tests/integration/test_smoke.py tests/integration/test_playbooks.py 2>&1 | tee "$out/$name-smoke.log" | tail -n 1)
    [[ ${PIPESTATUS[0]} -eq 0 ]] || smoke="FAILED: $smoke"
    smoke_s=$((SECONDS - start))
    echo "matrix $name: smoke: $smoke"

    start=$SECONDS
    if SANITY_VENV_BIN=$venv/bin bash tests/tools/sanity.sh --python "$python" > "$out/$name-sanity.log" 2>&1; then
        sanity="ok"
    else
        sanity="FAILED (see $out/$name-sanity.log)"
        tail -n 30 "$out/$name-sanity.log"
    fi
    sanity_s=$((SECONDS - start))
    echo "matrix $name: sanity: $sanity"
    printf '%-7s %-14s %-8s %-28s %s\n' "$name" "$core" "$python" "smoke ${smoke%% in *} (${smoke_s}s)" \
        "sanity $sanity (${sanity_s}s)" >> "$results.new"
    [[ $smoke != FAILED* && $sanity == ok ]]
}

total=$SECONDS
while read -r name core python; do
    [[ -z $name || $name == \#* ]] && continue
    [[ -n ${MATRIX_ONLY:-} && $name != "$MATRIX_ONLY" ]] && continue
    run_line "$name" "$core" "$python" < /dev/null || failed=1
done < tests/tools/matrix.txt

{
    printf '%-7s %-14s %-8s %-28s %s\n' line ansible-core python smoke sanity
    cat "$results.new"
    echo "matrix: $((SECONDS - total)) s in all"
} > "$results"
rm -f "$results.new"
cat "$results"
exit $failed
