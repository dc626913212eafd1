"""Run ansible-inventory on a clusterops.dynatrace.environments configuration against the emulator.

The plugin runs for real: an ansible-inventory subprocess, the collection from ANSIBLE_COLLECTIONS_PATH,
HTTP to the emulator on 127.0.0.1. Values in `--list` output come wrapped as `{"__ansible_unsafe": ...}`
(ansible-core 2.19 marks data from inventory sources as untrusted); `plain()` unwraps them.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

import yaml

from tests.integration.runner import _append_output_log, ansible_env

ANSIBLE_INVENTORY = str(Path(sys.executable).parent / 'ansible-inventory')


class InventoryRun:
    def __init__(self, completed, seconds):
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.seconds = seconds

    @property
    def listing(self):
        """The --list output, unwrapped."""
        return plain(json.loads(self.stdout))

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
    command = [ANSIBLE_INVENTORY, '-i', str(config_path)] + (list(options) or ['--list'])
    env = ansible_env(emulator, dict({'ANSIBLE_INVENTORY_UNPARSED_FAILED': '1'}, **(extra_env or {})))
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, env=env,
                               cwd=str(Path(config_path).parent))
    seconds = time.monotonic() - started
    _append_output_log(command, completed)
    return InventoryRun(completed, seconds)
