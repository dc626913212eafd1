"""pytest fixtures that run the emulator: load with `pytest_plugins = ["tests.emulator.pytest_plugin"]`.

- emulator_server: one emulator for the whole session (the strict defaults: DDU license, a current
  cluster version, the harsher readings of the unknowns, only the cluster token DEFAULT_TOKEN).
- emulator: that emulator, reset to its start state before the test (settings changed with
  `.configure(...)` come back at the next reset).
- emulator_factory: start separate emulators with their own options or a named profile
  (handle.PROFILES: strict, classic, dps, legacy, lenient_readings, realistic_latency); stopped after the test.
- emulator_readings: the shared emulator once under each reading of the unknowns (unlimited storage
  as null with a cursor keeping the include flags, and as 0 with a cursor dropping them).

Environment tokens for a test: `emulator.environment_token(env_id, scopes=('DataExport',))`.
"""

import pytest

from .handle import PROFILES, start_emulator

READINGS = {
    'null_and_cursor_keeps_includes': {'unlimited_storage': 'null', 'cursor_keeps_includes': True},
    'zero_and_cursor_drops_includes': {'unlimited_storage': 'zero', 'cursor_keeps_includes': False},
}


@pytest.fixture(scope='session')
def emulator_server():
    handle = start_emulator()
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def emulator(emulator_server):  # pylint: disable=redefined-outer-name
    emulator_server.reset()
    return emulator_server


@pytest.fixture(params=sorted(READINGS))
def emulator_readings(request, emulator):  # pylint: disable=redefined-outer-name
    """The reset shared emulator under one reading of the unknowns (the test runs once per reading)."""
    emulator.configure(**READINGS[request.param])
    return emulator


def _tls_files(folder):
    """A throwaway CA and a certificate for 127.0.0.1 and localhost; returns (cert, key, ca)."""
    import trustme  # pylint: disable=import-outside-toplevel

    authority = trustme.CA()
    certificate = authority.issue_cert('127.0.0.1', 'localhost')
    paths = [folder / name for name in ('server.pem', 'server.key', 'ca.pem')]
    certificate.cert_chain_pems[0].write_to_path(str(paths[0]))
    for blob in certificate.cert_chain_pems[1:]:
        blob.write_to_path(str(paths[0]), append=True)
    certificate.private_key_pem.write_to_path(str(paths[1]))
    authority.cert_pem.write_to_path(str(paths[2]))
    return [str(path) for path in paths]


@pytest.fixture
def emulator_factory(tmp_path_factory):
    """Call with `profile` (a name of PROFILES) and options (tls, license, deny_features, tokens, state_file,
    clock_offset_ms, cluster_version, seed_environments, unlimited_storage, cursor_keeps_includes, latency,
    implied_view_security_problems) to get a handle of a new emulator process."""
    started = []

    def start(tls=False, profile=None, **options):
        if profile is not None and profile not in PROFILES:
            raise ValueError(f'unknown emulator profile {profile!r}; profiles are {", ".join(PROFILES)}')
        ca_path = None
        if tls:
            cert, key, ca_path = _tls_files(tmp_path_factory.mktemp('emulator-tls'))
            options['tls_files'] = (cert, key)
        handle = start_emulator(ca_path=ca_path, profile=profile, **options)
        started.append(handle)
        return handle

    try:
        yield start
    finally:
        for handle in started:
            handle.stop()
