#!/usr/bin/env bash
# Fail when the built collection tarball holds anything but what a user can run or read from it:
# the collection's metadata, plugins, roles, playbooks, documentation and changelog. Tests (they need
# the emulator and the checkout's conftest.py), the molecule scenario, the execution environment
# definition (it builds from the checkout), CI and tool scripts, caches and scratch space stay out:
# build_ignore in galaxy.yml leaves them out, and this list of what may ship catches what it misses.
# No changelog fragment ships: a fragment is a change not yet in a release (changelog.yaml holds the released ones).
set -euo pipefail
tarball=${1:?usage: check-tarball.sh <collection tarball>}

allowed='^(MANIFEST\.json|FILES\.json|README\.md|LICENSE|requirements\.txt|CHANGELOG\.(rst|md)|meta/(runtime|execution-environment)\.yml|tests/|tests/config\.yml|(changelogs|docs|meta|playbooks|plugins|roles)(/.*)?)$'
forbidden='^changelogs/fragments(/|$)|__pycache__|\.pyc$|\.tar\.gz$|^docs/(build|rst)(/|$)|^docs/build\.sh$|emulator-state[^/]*\.json$'
entries=$(tar -tzf "$tarball" | sed -e 's|^\./||' -e '/^$/d')
found=$( (grep -vE "$allowed" <<< "$entries" || true; grep -E "$forbidden" <<< "$entries" || true) | sort -u)
if [[ -n $found ]]; then
    echo "check-tarball: $tarball holds files that must not ship (add them to build_ignore in galaxy.yml):" >&2
    echo "$found" >&2
    exit 1
fi
for required in MANIFEST.json README.md LICENSE meta/runtime.yml meta/execution-environment.yml requirements.txt; do
    if ! grep -qx "$required" <<< "$entries"; then
        echo "check-tarball: $tarball lacks $required" >&2
        exit 1
    fi
done
echo "check-tarball: $tarball: $(wc -l <<< "$entries") entries, nothing unexpected"
