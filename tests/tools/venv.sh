#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv.
#
# The venv is created from scratch when missing and re-installed whenever
# tests/requirements.txt or requirements.txt changes: a stamp file inside the
# venv records the checksum of both files.
# VENV_DIR and VENV_REQUIREMENTS (space-separated files) make another venv the same way: make demo's
# runtime-only venv (tests/tools/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
VENV=${VENV_DIR:-.venv}
STAMP=$VENV/.requirements.sha256
read -r -a REQS <<< "${VENV_REQUIREMENTS:-tests/requirements.txt requirements.txt}"

want=$(cat "${REQS[@]}" | sha256sum | cut -d' ' -f1)

if [[ -x $VENV/bin/python && -f $STAMP && "$(cat "$STAMP")" == "$want" ]]; then
    exit 0
fi

if [[ ! -x $VENV/bin/python ]]; then
    echo "venv: creating $VENV with $($PYTHON --version 2>&1)"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
fi

echo "venv: installing ${REQS[*]} into $VENV"
start=$SECONDS
# pip's notes about missing local index folders are noise here; real errors still fail the step.
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
req_args=()
for req in "${REQS[@]}"; do req_args+=(-r "$req"); done
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    "${req_args[@]}" 2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
echo "$want" > "$STAMP"
echo "venv: ready in $((SECONDS - start)) s"
