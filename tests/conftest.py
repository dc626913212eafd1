"""Shared pytest setup for the whole test suite.

Makes the collection importable as ``ansible_collections.clusterops.dynatrace``
from a checkout of any name: ``.tmp/collections/ansible_collections/clusterops/dynatrace``
is a symlink to the repository root (the same tree tests/tools/collection-tree.sh
creates), ``.tmp/collections`` goes first on ``sys.path``, and ``ANSIBLE_COLLECTIONS_PATH``
points at it for ``ansible``/``ansible-playbook`` run in subprocesses.
"""

import os
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COLLECTIONS_PATH = REPO_ROOT / ".tmp" / "collections"


def _ensure_collection_tree():
    link = COLLECTIONS_PATH / "ansible_collections" / "clusterops" / "dynatrace"
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_symlink() and os.readlink(link) == str(REPO_ROOT):
        return
    if link.is_symlink() or link.is_file():
        link.unlink()
    elif link.exists():
        raise RuntimeError(f"{link} exists and is not a symlink: remove it (make clean)")
    link.symlink_to(REPO_ROOT)


_ensure_collection_tree()
if str(COLLECTIONS_PATH) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS_PATH))
os.environ["ANSIBLE_COLLECTIONS_PATH"] = os.pathsep.join(
    [str(COLLECTIONS_PATH)] + [p for p in os.environ.get("ANSIBLE_COLLECTIONS_PATH", "").split(os.pathsep) if p and p != str(COLLECTIONS_PATH)]
)

# Emulator fixtures: emulator_server, emulator (see docs/developing.md).
pytest_plugins = ["tests.emulator.pytest_plugin"]
