#!/usr/bin/env bash
# Run `ansible-test sanity` offline, with no ignore files.
#
# - ansible-test only runs from a path ending in ansible_collections/<ns>/<name>
#   and resolves symlinks, so it runs in a copy of the git-tracked and the
#   untracked-but-not-ignored files, refreshed on every run.
# - ansible-test downloads a get-pip script for every venv it creates; an
#   offline stand-in (tests/tools/get_pip_standin.py) is put into its cache.
# - --venv: ansible-test creates its own venvs (from PyPI) for every Python
#   version it supports that is installed on this machine.
#
# Extra arguments are passed to `ansible-test sanity` (e.g. --test pylint, --python 3.10).
# SANITY_VENV_BIN=<venv>/bin runs the ansible-test of another venv (tests/tools/matrix.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
venv_bin=${SANITY_VENV_BIN:-$root/.venv/bin}
copy=$root/.tmp/ansible-test/ansible_collections/clusterops/dynatrace

if compgen -G 'tests/sanity/ignore-*.txt' > /dev/null; then
    echo "sanity: ignore files are not allowed: $(ls tests/sanity/ignore-*.txt)" >&2
    exit 1
fi

# 1. Fresh copy of the collection's files (tracked, and untracked but not ignored;
#    tracked files deleted in the work tree are left out).
rm -rf "$copy"
mkdir -p "$copy"
git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi; done \
    | tar --null --no-recursion -T - -cf - \
    | tar -xf - -C "$copy"
# ansible-test lists files with git; without a repository of its own the copy
# would belong to this checkout, where .tmp/ is ignored.
git -C "$copy" init --quiet

# ansible-test keeps its venvs and the get-pip script in ~/.ansible/test, shared
# by every checkout on this machine: two runs building the same venv at once
# break each other, so run one at a time.
cache=$HOME/.ansible/test/cache
mkdir -p "$cache"
exec 9> "$HOME/.ansible/test/sanity.lock"
if ! flock -n 9; then
    echo "sanity: another ansible-test sanity run holds ~/.ansible/test; waiting for it"
    flock -w 1800 9
fi

# 2. Offline get-pip stand-in, named after the pip version ansible-test bootstraps.
pip_version=$("$venv_bin/python" - <<'PY'
import re, pathlib, ansible_test
src = pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py'
print(re.search(r"default_packages = dict\(\s*pip='([^']+)'", src.read_text()).group(1))
PY
)
cp tests/tools/get_pip_standin.py "$cache/get_pip_${pip_version//./_}.py.tmp"
mv "$cache/get_pip_${pip_version//./_}.py.tmp" "$cache/get_pip_${pip_version//./_}.py"

# 3. Python versions: ansible-test runs the multi-version tests (compile, import)
#    for every Python it supports and finds as pythonX.Y on PATH, and skips the
#    others. ansible-test cleans the environment of its commands, so pyenv shims
#    for versions that are installed but not selected would fail: link the real
#    interpreters into a folder put first on PATH instead.
pybin=$root/.tmp/python-bin
rm -rf "$pybin"
mkdir -p "$pybin"
pyenv_root=$(pyenv root 2>/dev/null || true)
versions=$("$venv_bin/python" -c 'from ansible_test._util.target.common.constants import REMOTE_ONLY_PYTHON_VERSIONS as r, CONTROLLER_PYTHON_VERSIONS as c; print(*r, *c)')
found=()
for v in $versions; do
    for candidate in $(command -v "python$v" 2>/dev/null) ${pyenv_root:+$pyenv_root/versions/$v.*/bin/python$v}; do
        if [[ -x $candidate ]] && env -u PYENV_VERSION "$candidate" -c 'import sys' > /dev/null 2>&1; then
            ln -s "$candidate" "$pybin/python$v"
            found+=("$v")
            break
        fi
    done
done
echo "sanity: Python versions found: ${found[*]:-none} (of $versions)"

# 4. Run. tests/output lives in the copy and is thrown away with it.
cd "$copy"
export PATH=$pybin:$venv_bin:$PATH
# pip's notes about missing local index folders are noise; drop them from the log.
ansible-test sanity --venv --color no "$@" 2>&1 \
    | { grep -v "is ignored: it is neither a file nor a directory" || true; }
