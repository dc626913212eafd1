#!/usr/bin/env bash
# Create .tmp/collections/ansible_collections/clusterops/dynatrace as a symlink
# to the repository root, so that Python and Ansible can import the collection
# as ansible_collections.clusterops.dynatrace from a checkout of any name.
# Point ANSIBLE_COLLECTIONS_PATH (and sys.path) at .tmp/collections.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
ns_dir=.tmp/collections/ansible_collections/clusterops
link=$ns_dir/dynatrace

mkdir -p "$ns_dir"
if [[ -L $link && "$(readlink "$link")" == "$root" ]]; then
    exit 0
fi
rm -rf "$link"
ln -s "$root" "$link"
