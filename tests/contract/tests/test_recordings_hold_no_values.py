"""A recording holds shapes only: no secret, no customer name, no id, even when an answer carries them (planted)."""

import json

from tests.contract.shape import answer_shape, differences, key_paths, scrub
from tests.contract.suite import NO_SUCH_ENVIRONMENT, Target, run_suite, write_recording

CUSTOMER = 'Planted Customer GmbH'
TAG = 'customer:planted-tag-4711'
PREFIX = 'planted-prefix'


def test_scrub_replaces_tokens_known_values_uuids_and_long_numbers():
    secret = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'S' * 64
    text = 'token %s of %s, id 6f8d0a62-5f1e-4bd8-9a1c-0a5e0b2a7d11, at 1767225600000 near line 3 column 40' % (
        secret, CUSTOMER)
    assert scrub(text, {CUSTOMER}) == ('token <token> of <value>, id <uuid>, at <number> near line <n> column <n>')


def test_key_paths_keep_types_not_values_and_permission_maps_collapse():
    body = {'name': CUSTOMER, 'accessRight': {'VIEWER': ['env-1'], 'MANAGE_SETTINGS': ['env-2']}, 'quota': None}
    assert key_paths(body) == {'$': {'object'}, '$.name': {'str'}, '$.accessRight': {'object'},
                               '$.accessRight.*': {'list'}, '$.accessRight.*[]': {'str'}, '$.quota': {'null'}}
    shape = answer_shape(200, 'application/json', {'Location': 'x', 'Date': 'y'}, body, '', set())
    assert CUSTOMER not in json.dumps(shape) and 'env-1' not in json.dumps(shape) and shape['headers'] == ['location']


def test_differences_name_the_probe_and_the_key():
    want = {'p': {'status': 200, 'content_type': 'a', 'headers': [], 'body': {'$': ['object'], '$.x': ['int', 'null']}}}
    same = {'p': dict(want['p'], body={'$': ['object'], '$.x': ['null']})}
    assert differences(want, same) == []
    other = {'p': dict(want['p'], status=201, body={'$': ['object'], '$.y': ['int']})}
    assert differences(want, other) == ['p: status 201, recorded 200', 'p: key $.x missing', 'p: key $.y not recorded']
    assert differences(want, {}) == ['p: not answered (missing)']


def test_a_run_against_planted_values_writes_none_of_them(emulator, tmp_path):
    planted_id = emulator.create_environment(CUSTOMER, tags=[TAG])
    emulator.seed(3)
    # An error text that repeats the customer's name, an id and a token, as a careless server might.
    leaked = 'Environment %s (%s) of %s refused for dt0c01.PLANTEDPUBLICPART0000000.%s' % (
        planted_id, CUSTOMER, TAG, 'P' * 64)
    emulator.add_fault(method='GET', path='/api/cluster/v2/environments/contract-no-such-environment', action='status',
                       status=404, body=json.dumps({'error': {'code': 404, 'message': leaked}}),
                       content_type='application/json; charset=utf-8')
    recording, leftovers = run_suite(Target(emulator.url, emulator.token, prefix=PREFIX), 'emulator',
                                     report=lambda message: None)
    assert leftovers == []
    text = open(write_recording(str(tmp_path), recording), encoding='utf-8').read()
    assert recording['probes']['environment_unknown']['error'] == (
        'Environment <value> (<value>) of <value> refused for <token>')
    planted = [CUSTOMER, TAG, PREFIX, planted_id, emulator.token, emulator.token.split('.')[1], 'PLANTED', '4711',
               emulator.url.split('//')[1]]
    planted += [token['id'] for token in emulator.tokens()]
    planted += [environment['id'] for environment in emulator.environments()]
    planted += [environment['name'] for environment in emulator.environments()]
    planted += [entry['path'].split('/environments/')[1].split('/')[0] for entry in emulator.requests()
                if '/environments/' in entry['path'] and NO_SUCH_ENVIRONMENT not in entry['path']]  # its own made-up id may stay
    for value in planted:
        assert value not in text, value
