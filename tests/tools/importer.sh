#!/usr/bin/env bash
# Run galaxy-importer (the checks Galaxy runs on upload) on the built tarball.
# It exits 0 even when it has findings, which it prints as ERROR/WARNING lines:
# fail on any such line.
set -euo pipefail
cd "$(dirname "$0")/../.."
tarball=$(realpath "${1:?usage: importer.sh <collection tarball>}")
out=.tmp/importer
rm -rf "$out"
mkdir -p "$out"

# It writes importer_result.json to the current directory.
(cd "$out" && python -m galaxy_importer.main "$tarball") 2>&1 | tee "$out/importer.log"

if grep -E '(^|[^A-Za-z])(ERROR|WARNING)\b' "$out/importer.log" > "$out/findings.log"; then
    echo "importer: galaxy-importer reported findings:" >&2
    cat "$out/findings.log" >&2
    exit 1
fi
echo "importer: no ERROR or WARNING lines"
