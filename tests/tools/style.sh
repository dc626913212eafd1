#!/usr/bin/env bash
# The style gate of `make check`: pep8 and pylint findings as `ansible-test sanity` reports them, in seconds.
#
# It runs pycodestyle and pylint the way ansible-test's pep8 and pylint sanity tests do, with the settings and
# config files of the ansible-test installed in .venv (its pep8 ignore list and max line length 160; its pylint
# collection.cfg, its pylint plugins, Python 3.8 for module code and 3.11 for the rest), over every Python file of
# the collection. pylint runs in the venv ansible-test made for its pylint test (~/.ansible/test/venv/
# sanity.pylint, created by the first `make sanity`); without it only pep8 runs, and a note says so.
#
# pylint checks only the files changed since its last clean pass (their digests are kept in .tmp/style/), so a
# finding that another file's change causes in an unchanged file waits for `make sanity`; STYLE_ALL=1 checks all.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
python=$root/.venv/bin/python
sanity=$($python -c 'import ansible_test, os; print(os.path.dirname(ansible_test.__file__))')/_util/controller/sanity
state=$root/.tmp/style
mkdir -p "$state"

mapfile -t files < <(git ls-files -z --cached --others --exclude-standard -- '*.py' \
    | while IFS= read -r -d '' f; do if [[ -e $f ]]; then printf '%s\n' "$f"; fi; done)

# pep8: ansible-test sanity --test pep8
ignore=$(grep -v '^#' "$sanity/pep8/current-ignore.txt" | grep . | sort | paste -sd, -)
$python -m pycodestyle --max-line-length 160 --config /dev/null --ignore "$ignore" "${files[@]}"

# pylint: ansible-test sanity --test pylint
pylint_python=$(find "$HOME/.ansible/test/venv/sanity.pylint/3.11" -mindepth 3 -maxdepth 3 -path '*/bin/python' 2>/dev/null | sort | head -1 || true)
if [[ -z $pylint_python ]]; then
    echo "style: pep8 passed; pylint skipped (no ansible-test pylint venv yet: run 'make sanity' once)"
    exit 0
fi
passed=$state/pylint-passed.txt
touch "$passed"
[[ ${STYLE_ALL:-0} == 1 ]] && : > "$passed"
mapfile -t changed < <(sha256sum "${files[@]}" | sort | comm -23 - <(sort "$passed") | awk '{print $2}')
if (( ${#changed[@]} == 0 )); then
    echo "style: pep8 passed; pylint: no file changed since its last clean pass"
    exit 0
fi
mkdir -p "$state/pythonpath"
ln -sfn "$($python -c 'import ansible, os; print(os.path.dirname(ansible.__file__))')" "$state/pythonpath/ansible"
plugins=$(find "$sanity/pylint/plugins" -maxdepth 1 -name '*.py' ! -name '__init__.py' -printf '%f\n' | sed 's|\.py$||' | sort | paste -sd, -)

run_pylint() {  # py-version, files...
    local version=$1
    shift
    (( $# > 0 )) || return 0
    ANSIBLE_TEST_MODULES_PATH=$root/plugins/modules/ ANSIBLE_TEST_MODULE_UTILS_PATH=$root/plugins/module_utils/ \
        PYLINTHOME=$state/pylint-home PYTHONPATH=$sanity/pylint/plugins:$root/.tmp/collections:$state/pythonpath \
        "$pylint_python" -m pylint --py-version "$version" --load-plugins "$plugins" \
        --rcfile "$sanity/pylint/config/collection.cfg" --jobs 0 --reports n --score n \
        --collection-name clusterops.dynatrace --collection-path "$root" "$@"
}
target=() controller=()
for f in "${changed[@]}"; do
    case $f in plugins/modules/*|plugins/module_utils/*) target+=("$f") ;; *) controller+=("$f") ;; esac
done
run_pylint 3.8 "${target[@]}"
run_pylint 3.11 "${controller[@]}"
sha256sum "${files[@]}" > "$passed"
echo "style: pep8 and pylint passed (pylint checked ${#changed[@]} changed file(s))"
