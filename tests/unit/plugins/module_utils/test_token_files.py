"""Unit tests of the token folder (_token_files): private files, never overwritten."""

import os
import stat

from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk import token_files as _token_files


def test_a_new_file_is_private_and_an_existing_one_never_overwritten(tmp_path):
    folder = str(tmp_path / 'tokens')
    assert _token_files.recorded(folder) == []
    assert _token_files.write_new(folder, 'e1.paas.token', 'secret-1') is True
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(folder, 'e1.paas.token')).st_mode) == 0o600
    assert _token_files.write_new(folder, 'e1.paas.token', 'secret-2') is False
    assert _token_files.read(folder, 'e1.paas.token') == 'secret-1'
    assert _token_files.read(folder, 'missing.token') is None


def test_only_token_files_count_as_recorded(tmp_path):
    (tmp_path / 'a.token').write_text('x')
    (tmp_path / 'notes.txt').write_text('x')
    assert _token_files.recorded(str(tmp_path)) == ['a.token']
