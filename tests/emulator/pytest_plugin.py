"""pytest fixtures that run the emulator: load with `pytest_plugins = ["tests.emulator.pytest_plugin"]`.

- emulator_server: one emulator for the whole session (start state: no environments, DEFAULT_TOKEN).
- emulator: that emulator, reset to its start state before the test.
- emulator_factory: start separate emulators with their own options; all stopped after the test.
"""

import pytest

from .handle import start_emulator


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
    """Call with options (tls, license, deny_features, tokens, state_file, clock_offset_ms, cluster_version,
    seed_environments) to get a handle of a new emulator process."""
    started = []

    def start(tls=False, **options):
        ca_path = None
        if tls:
            cert, key, ca_path = _tls_files(tmp_path_factory.mktemp('emulator-tls'))
            options['tls_files'] = (cert, key)
        handle = start_emulator(ca_path=ca_path, **options)
        started.append(handle)
        return handle

    try:
        yield start
    finally:
        for handle in started:
            handle.stop()
