"""Fixtures of the integration tests that need the collection as users get it: built into its tarball."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='session')
def collection_tarball(tmp_path_factory):
    """The collection built with ansible-galaxy from this checkout (build_ignore of galaxy.yml applied)."""
    output = tmp_path_factory.mktemp('collection-build')
    subprocess.run([str(Path(sys.executable).parent / 'ansible-galaxy'), 'collection', 'build', '--output-path',
                    str(output), str(REPO_ROOT)], check=True, capture_output=True, text=True, timeout=120)
    (tarball,) = output.glob('clusterops-dynatrace-*.tar.gz')
    return tarball
