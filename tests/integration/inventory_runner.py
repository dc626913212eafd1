"""Run ansible-inventory on a clusterops.dynatrace.environments configuration against the emulator.

The plugin runs for real: an ansible-inventory subprocess, the collection from ANSIBLE_COLLECTIONS_PATH,
HTTP to the emulator on 127.0.0.1. Values in `--list` output come wrapped as `{"__ansible_unsafe": ...}`
(ansible-core 2.19 marks data from inventory sources as untrusted); `plain()` unwraps them.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.integration.runner import VERBOSITY_ENV, _append_output_log, ansible_env

ANSIBLE_INVENTORY = str(Path(sys.executable).parent / 'ansible-inventory')


class InventoryRun:
    def __init__(self, completed, seconds, listing_text=None):
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.seconds = seconds
        self.listing_text = listing_text

    @property
    def listing(self):
        """The --list output (written to a file, apart from what -v prints), unwrapped."""
        return plain(json.loads(self.listing_text))

    def graph_lines(self):
        """The lines of the --graph output (without what -v prints)."""
        return [line for line in self.stdout.splitlines() if line.startswith(('@', '  |'))]

    def hostvars(self):
        return self.listing['_meta']['hostvars']

    def groups(self):
        """{group: sorted hosts} of every group with hosts, from the --list output."""
        listing = self.listing
        return dict((name, sorted(value['hosts'])) for name, value in listing.items()
                    if name != '_meta' and isinstance(value, dict) and value.get('hosts'))

    def __repr__(self):
        return 'InventoryRun(rc=%s, stdout=%s, stderr=%s)' % (self.rc, self.stdout[-2000:], self.stderr[-3000:])


def plain(value):
    """`value` without the {"__ansible_unsafe": x} wrappers of ansible-inventory's JSON."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def write_config(folder, config, name='cluster.dynatrace.yml'):
    """Write an inventory configuration (the plugin key added) and return its path."""
    path = Path(folder) / name
    path.write_text(yaml.safe_dump(dict({'plugin': 'clusterops.dynatrace.environments'}, **config), sort_keys=False))
    return path


def run_inventory(config_path, emulator=None, *options, extra_env=None, timeout=300):
    """ansible-inventory -i <config> (--list unless other options are given); a failed source fails the run."""
    options = list(options) or ['--list']
    listing_path = Path(config_path).parent / 'inventory-listing.json'
    if listing_path.exists():
        listing_path.unlink()
    command = [ANSIBLE_INVENTORY, '-i', str(config_path)] + options
    command += ['--output', str(listing_path)] if '--list' in options else []
    verbosity = int(os.environ.get(VERBOSITY_ENV) or 0)  # the -vvv pass of tests/tools/verbose-secrets.sh
    command += ['-' + 'v' * verbosity] if verbosity else []
    env = ansible_env(emulator, dict({'ANSIBLE_INVENTORY_UNPARSED_FAILED': '1'}, **(extra_env or {})))
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, env=env,
                               cwd=str(Path(config_path).parent))
    seconds = time.monotonic() - started
    _append_output_log(command, completed)
    listing_text = listing_path.read_text() if listing_path.exists() else None
    if listing_text is not None:  # the scan of the -vvv pass reads the log: it must see the listing too
        _append_output_log(['(listing of)'] + command, subprocess.CompletedProcess(command, 0, listing_text, ''))
    return InventoryRun(completed, seconds, listing_text)
