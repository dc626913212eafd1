#!/usr/bin/env bash
# Fail when the built collection tarball holds anything that is not part of
# the shipped collection: test output, virtual environments, scratch space,
# the emulator, CI and tool scripts, caches, or a nested tarball.
set -euo pipefail
tarball=${1:?usage: check-tarball.sh <collection tarball>}

forbidden='^(\.venv|\.tmp|\.ci|\.cache|\.ansible|\.pytest_cache|\.git|collections|tests/output|tests/emulator|tests/benchmarks|tests/tools|tests/integration/inventory|docs/build|docs/rst)(/|$)|__pycache__|\.pyc$|\.tar\.gz$|emulator-state[^/]*\.json$'
found=$(tar -tzf "$tarball" | sed 's|^\./||' | grep -E "$forbidden" || true)
if [[ -n $found ]]; then
    echo "check-tarball: $tarball holds files that must not ship (add them to build_ignore in galaxy.yml):" >&2
    echo "$found" >&2
    exit 1
fi
echo "check-tarball: $tarball: $(tar -tzf "$tarball" | wc -l) entries, nothing unexpected"
