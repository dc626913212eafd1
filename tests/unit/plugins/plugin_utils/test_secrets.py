"""Masking of token secrets on the controller (plugins/plugin_utils/_secrets.py)."""

import dataclasses

from ansible_collections.clusterops.dynatrace.plugins.plugin_utils._secrets import holds_secret, mask_text, mask_values

PUBLIC = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX'
SECRET = 'S3CR' * 16
TOKEN = PUBLIC + '.' + SECRET


def test_mask_text_keeps_the_public_part_and_masks_whole_cut_and_bare_secrets():
    assert mask_text('token %s rejected' % TOKEN) == 'token %s.**** rejected' % PUBLIC
    assert mask_text('body: {"t": "%s' % TOKEN[:60]) == 'body: {"t": "%s.****' % PUBLIC
    assert mask_text('secret=%s;' % SECRET) == 'secret=****;'
    assert mask_text('lowercase dt0c01.abcdefghijklmnopqrstuvwx.%s' % SECRET.lower()) == \
        'lowercase dt0c01.abcdefghijklmnopqrstuvwx.****'
    untouched = 'id 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e, sha256 ' + 'ab12' * 16 + ', public ' + PUBLIC
    assert mask_text(untouched) == untouched


@dataclasses.dataclass(frozen=True)
class Event:
    msg: str
    chain: tuple = ()


def test_mask_values_walks_dicts_lists_and_dataclasses_but_keeps_secret_keys_and_unchanged_objects():
    clean = {'environment': {'name': 'x', 'tags': ['a']}}
    result = dict(clean, token_management_token=TOKEN, msg='quoted ' + TOKEN, warnings=['w ' + SECRET],
                  exception=Event('failed: ' + TOKEN, (Event('cause ' + TOKEN),)))
    masked = mask_values(result, keep=('token_management_token',))
    assert masked['token_management_token'] == TOKEN
    assert masked['msg'] == 'quoted %s.****' % PUBLIC and masked['warnings'] == ['w ****']
    assert masked['exception'] == Event('failed: %s.****' % PUBLIC, (Event('cause %s.****' % PUBLIC),))
    assert masked['environment'] is result['environment']
    assert mask_values(clean) is clean


def test_holds_secret_looks_into_nested_results_and_ignores_empty_values():
    assert holds_secret({'token_management_token': TOKEN}, ('token_management_token',))
    assert holds_secret({'environments': [{'name': 'a', 'token': TOKEN}]}, ('token',))
    assert not holds_secret({'token_management_token': None, 'changed': True}, ('token_management_token',))
    assert not holds_secret({'token_management_token': ''}, ('token_management_token',))
    assert not holds_secret({'msg': TOKEN}, ('token_management_token',))
