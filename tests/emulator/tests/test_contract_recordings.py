"""The emulator answers as every recording in tests/contract/recordings: a recording contributed from a real
cluster (docs/contract.md) becomes a failing test wherever the emulator differs from that cluster."""

import glob
import json
import os
import re

import pytest

from tests.contract.shape import differences
from tests.contract.suite import Target, run_suite

RECORDINGS = sorted(glob.glob(os.path.join(os.path.dirname(__file__), '..', '..', 'contract', 'recordings', '*.json')))
VERSION = re.compile(r'^\d+\.\d+\.\d+\.\d{8}-\d{6}$')


def load(path):
    with open(path, encoding='utf-8') as handle:
        return json.load(handle)


def answers(handle):
    recording, leftovers = run_suite(Target(handle.url, handle.token, prefix='contract-probe'), 'emulator',
                                     report=lambda message: None)
    assert leftovers == []
    return recording['probes']


def test_there_is_a_recording():
    assert RECORDINGS, 'tests/contract/recordings holds no recording: run make contract'


@pytest.mark.parametrize('path', RECORDINGS, ids=os.path.basename)
def test_the_emulator_answers_as_the_recording(emulator_factory, path):
    recording = load(path)
    version = recording['cluster_version']
    handle = emulator_factory(seed_environments=3, **({'cluster_version': version} if VERSION.match(version) else {}))
    assert differences(recording['probes'], answers(handle)) == []


@pytest.mark.parametrize('change, expected', [
    ({'group_read_model': 'spec2021'}, 'group_get: key $.hasAccessAccountRole not recorded'),
    ({'cluster_version': '1.320.25.20250701-123456'}, 'key $.environments[].storage.logMonitoringRetention not recorded'),
])
def test_the_comparison_fails_when_the_emulator_differs(emulator_factory, change, expected):
    (path,) = [path for path in RECORDINGS if os.path.basename(path).startswith('emulator-')]
    handle = emulator_factory(seed_environments=3)
    handle.configure(**change)
    found = differences(load(path)['probes'], answers(handle))
    assert any(expected in line for line in found), found
