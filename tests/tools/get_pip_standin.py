"""Offline stand-in for the get-pip script that ansible-test downloads.

ansible-test bootstraps pip in every virtual environment it creates by running
``get_pip_<version>.py pip==<version> --no-setuptools --no-wheel ...`` from
~/.ansible/test/cache. The real script is downloaded from a host that is not
reachable from air-gapped machines. This stand-in runs pip from the wheel that
the standard library's ensurepip bundles and installs the requested pip from
the package index instead. tests/tools/sanity.sh copies it into the cache.
"""

import glob
import os
import sys

import ensurepip


def main():
    """Install the requested packages with the pip wheel bundled in ensurepip."""
    bundled = sorted(glob.glob(os.path.join(os.path.dirname(ensurepip.__file__), '_bundled', 'pip-*.whl')))
    if not bundled:
        sys.exit('get-pip stand-in: no pip wheel bundled with ensurepip for %s' % sys.executable)
    sys.path.insert(0, bundled[-1])

    from pip._internal.cli.main import main as pip_main  # pylint: disable=import-outside-toplevel

    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    sys.exit(pip_main(['install'] + args))


if __name__ == '__main__':
    main()
