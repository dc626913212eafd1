"""The pins of the three requirements files agree: the demo's runtime (tests/requirements-demo.txt) is the
toolchain's versions (tests/requirements.txt), requests is in the range requirements.txt gives the collection's users
and execution environment, and cryptography stays below the release that warns on every ansible command."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pins(name):
    found = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split('#')[0].strip()
        if line:
            match = re.match(r'^([A-Za-z0-9_.-]+)(.*)$', line)
            found[match.group(1).lower()] = match.group(2)
    return found


def version(text):
    return tuple(int(part) for part in text.split('.'))


def test_the_demo_runs_the_versions_the_tests_run():
    demo, toolchain = pins('tests/requirements-demo.txt'), pins('tests/requirements.txt')
    assert {'ansible-core', 'fastapi', 'uvicorn', 'pydantic', 'cryptography'} <= set(demo)
    for name, pin in demo.items():
        assert pin.startswith('==') and toolchain[name] == pin, (name, pin, toolchain.get(name))
    # Runtime only: none of the development tools.
    assert not set(demo) & {'pytest', 'ansible-lint', 'molecule', 'galaxy-importer', 'antsibull-docs', 'ansible-builder'}


def test_requests_is_pinned_to_a_range_the_toolchain_is_in():
    (low, high), = re.findall(r'^>=([\d.]+),<([\d.]+)$', pins('requirements.txt')['requests'])
    tested = version(pins('tests/requirements.txt')['requests'][2:])
    assert version(low) <= tested < version(high)


def test_cryptography_stays_below_51():
    for name in ('tests/requirements.txt', 'tests/requirements-demo.txt'):
        assert version(pins(name)['cryptography'][2:]) < (51,), name
