"""PUT /environments/{id} as a primary key: concurrent creates of one id, and ids of deleted environments."""

import threading
import time

from tests.emulator.tests.helpers import ENVIRONMENTS, violations

BODY = {'name': 'team-put', 'state': 'ENABLED', 'trial': False, 'tags': []}


def put_at_once(api, path, count):
    """Send `count` PUTs of `path` from as many threads at the same moment; return their statuses."""
    statuses, start = [], threading.Barrier(count)

    def one():
        start.wait()
        statuses.append(api.put(path, params={'createToken': 'true'}, json=BODY).status_code)

    threads = [threading.Thread(target=one) for dummy in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return statuses


def test_concurrent_puts_of_one_id_create_it_once(api, emulator):
    emulator.configure(latency='write=1s')
    began = time.monotonic()
    statuses = put_at_once(api, ENVIRONMENTS + '/put-once', 5)
    elapsed = time.monotonic() - began
    assert sorted(statuses) == [201, 204, 204, 204, 204]
    assert [env['id'] for env in emulator.environments()] == ['put-once']
    assert 1.0 <= elapsed < 4.0  # every PUT waited the write latency, and they waited side by side
    assert [entry['status'] for entry in emulator.requests()].count(201) == 1


def test_the_id_of_a_deleted_environment_is_reused_by_default(api):
    path = ENVIRONMENTS + '/put-again'
    assert api.put(path, json=BODY).status_code == 201
    assert api.put(path, json=dict(BODY, state='DISABLED')).status_code == 204
    assert api.delete(path).status_code == 204
    assert api.put(path, json=BODY).status_code == 201


def test_a_cluster_may_refuse_the_id_of_a_deleted_environment(api, emulator):
    assert emulator.configure(reuse_deleted_ids=False)['reuse_deleted_ids'] is False
    path = ENVIRONMENTS + '/put-never-again'
    assert api.put(path, json=dict(BODY, state='DISABLED')).status_code == 201
    assert api.delete(path).status_code == 204
    refused = api.put(path, json=BODY)
    assert violations(refused) == {'id': 'must not be the ID of a deleted environment'}
    assert refused.json()['error']['constraintViolations'][0]['parameterLocation'] == 'PATH'
    assert emulator.environments() == []
    assert api.put(ENVIRONMENTS + '/put-fresh', json=BODY).status_code == 201  # other ids are fine
    assert api.post(ENVIRONMENTS, json=BODY).status_code == 201
    emulator.reset()  # back to the start: the setting and the memory of deleted ids
    assert emulator.config()['reuse_deleted_ids'] is True
    assert api.put(path, json=BODY).status_code == 201
