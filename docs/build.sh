#!/usr/bin/env bash
# make docs: HTML documentation of every module, filter and role of the collection, built offline
# with antsibull-docs and Sphinx into docs/build/html (docs/rst holds the generated reStructuredText;
# both are ignored by git and by the collection build).
#
# Needs ANSIBLE_COLLECTIONS_PATH pointing at a folder that holds ansible_collections/clusterops/dynatrace
# (the Makefile exports .tmp/collections, created by `make tree`) and the tools of .venv.
# Offline: no intersphinx inventories are fetched (intersphinx_mapping is empty), so references
# to docs outside this collection stay plain text instead of failing the build.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${ANSIBLE_COLLECTIONS_PATH:?set ANSIBLE_COLLECTIONS_PATH to the folder that holds ansible_collections/ (make docs does)}"

rst=docs/rst
out=docs/build
conf=.tmp/docs-conf
rm -rf "$rst" "$out" "$conf"
mkdir -p "$rst" "$conf"
chmod 700 "$rst"  # antsibull-docs refuses a destination that others can write to

antsibull-docs collection --use-current --cleanup everything --breadcrumbs --indexes \
    --dest-dir "$rst" clusterops.dynatrace

# The guides (docs/docsite/extra-docs.yml): docs/docsite/rst/<guide>.rst is a stand-in that antsibull-docs lints
# and copies; the Markdown guide docs/<guide>.md, the one source, takes its place (myst-parser renders it), so the
# toctree entry docsite/<guide> is the guide itself and links between guides resolve.
site="$rst/collections/clusterops/dynatrace/docsite"
for stand_in in docs/docsite/rst/*.rst; do
    guide=$(basename "$stand_in" .rst)
    if [[ ! -f docs/$guide.md || ! -f $site/$guide.rst ]]; then
        echo "docs: $stand_in has no docs/$guide.md or was not copied to $site" >&2
        exit 1
    fi
    rm "$site/$guide.rst"
    cp "docs/$guide.md" "$site/$guide.md"
done

cat > "$rst/index.rst" <<'RST'
.. _docsite_root_index:

clusterops.dynatrace
====================

The clusterops.dynatrace collection runs a Dynatrace Managed cluster from code: its guides (getting started,
AWX and Automation Controller, inventory and export, testing against the emulator, what the tests prove,
support) and the reference of its modules, plugins and roles.

.. toctree::
   :maxdepth: 2
   :caption: Collections:

   collections/index

.. toctree::
   :maxdepth: 1
   :caption: Plugin indexes:
   :glob:

   collections/index_*

.. toctree::
   :maxdepth: 1
   :caption: Reference indexes:

   collections/environment_variables
RST

# The collection's own Sphinx configuration: the Ansible theme when it is installed, else Sphinx's default.
cat > "$conf/conf.py" <<'PYTHON'
import importlib.util

project = 'clusterops.dynatrace'
copyright = 'contributors to the clusterops.dynatrace collection'
title = html_short_title = 'clusterops.dynatrace documentation'
extensions = ['sphinx.ext.intersphinx', 'sphinx_antsibull_ext', 'myst_parser']
myst_heading_anchors = 3
# Links between the Markdown files of the repository (../playbooks/x.yml, other guides) are left as they are.
myst_suppress_warnings = ['xref_missing']
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'
html_theme = 'sphinx_ansible_theme' if importlib.util.find_spec('sphinx_ansible_theme') else 'alabaster'
html_show_sphinx = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False
default_role = 'any'
nitpicky = True
# Offline: no inventories to fetch, and references into the Ansible docs are left unresolved quietly.
intersphinx_mapping = {}
suppress_warnings = ['ref.ref', 'myst.xref_missing', 'myst.header']
# ansible-core's own settings, which the inventory plugin's cache options share (from the inventory_cache fragment):
# their reference lives in the Ansible docs, which an offline build cannot link to. Any other missing variable fails.
nitpick_ignore = [('envvar', name) for name in (
    'ANSIBLE_CACHE_PLUGIN', 'ANSIBLE_CACHE_PLUGIN_CONNECTION', 'ANSIBLE_CACHE_PLUGIN_PREFIX', 'ANSIBLE_CACHE_PLUGIN_TIMEOUT')]
PYTHON

sphinx-build -M html "$rst" "$out" -c "$conf" -q -W --keep-going
echo "docs: HTML written to $out/html/index.html"
