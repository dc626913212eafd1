"""Per-operation server latency: read and write costs, overlapping parallel requests, a create that commits late."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.emulator.__main__ import parse_arguments, start_options
from tests.emulator.handle import start_emulator
from tests.emulator.tests.helpers import ENVIRONMENTS, Api


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def test_reads_and_writes_cost_their_latency(emulator_factory):
    api = Api(emulator_factory(latency='read=200ms,write=0.5s'))
    assert api.handle.config()['latency'] == 'read=200ms,write=500ms'
    response, seconds = timed(lambda: api.get(ENVIRONMENTS))
    assert response.status_code == 200 and 0.2 <= seconds < 0.45
    response, seconds = timed(lambda: api.post(ENVIRONMENTS, json={'name': 'slow'}))
    assert response.status_code == 201 and 0.5 <= seconds < 0.8
    _answer, seconds = timed(api.handle.environments)  # the control API is never slowed down
    assert seconds < 0.2


def test_parallel_requests_overlap(api):
    api.handle.configure(latency='read=400ms,write=0ms')
    with ThreadPoolExecutor(8) as pool:
        responses, seconds = timed(lambda: list(pool.map(lambda _: api.get(ENVIRONMENTS), range(8))))
    assert all(response.status_code == 200 for response in responses)
    assert 0.4 <= seconds < 1.2  # one after the other would take 3.2 s


def test_a_create_commits_only_when_its_latency_has_passed(api):
    api.handle.configure(latency='read=0ms,write=1s')
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(api.handle.url + ENVIRONMENTS, json={'name': 'late-commit'}, timeout=0.3,
                      headers={'Authorization': f'Api-Token {api.handle.token}'})
    lookup = api.get(ENVIRONMENTS, params={'filter': 'name(late-commit)'}).json()
    assert lookup['totalCount'] == 0  # the client gave up; the server has not committed yet
    time.sleep(1.0)
    assert api.get(ENVIRONMENTS, params={'filter': 'name(late-commit)'}).json()['totalCount'] == 1


def test_latency_at_run_time_and_reset(api):
    assert api.handle.config()['latency'] == 'read=0ms,write=0ms'
    api.handle.configure(latency='write=300ms')
    assert api.handle.config()['latency'] == 'read=0ms,write=300ms'
    _response, seconds = timed(lambda: api.post(ENVIRONMENTS, json={'name': 'x'}))
    assert seconds >= 0.3
    api.handle.reset()
    assert api.handle.config()['latency'] == 'read=0ms,write=0ms'


@pytest.mark.parametrize('latency', ['read=fast', 'reed=10ms', '', 'read=10ms,write'])
def test_bad_latency_is_refused(api, latency):
    assert requests.post(api.handle.url + '/_emulator/config', json={'latency': latency}, timeout=10).status_code == 400


def test_bad_latency_on_the_command_line_fails_fast():
    with pytest.raises(RuntimeError, match='did not start'):
        start_emulator(timeout=15, latency='read=soon')


def test_realistic_latency_profile(emulator_factory):
    handle = emulator_factory(profile='realistic_latency')
    assert handle.config()['latency'] == 'read=30ms,write=800ms'


def test_write_capacity_answers_429_with_retry_after_beyond_it(api):
    api.handle.configure(latency='read=0ms,write=1s', write_capacity=2)
    assert api.handle.config()['write_capacity'] == 2
    with ThreadPoolExecutor(4) as pool:
        responses = list(pool.map(lambda index: api.post(ENVIRONMENTS, json={'name': 'cap-%d' % index}), range(4)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses == [201, 201, 429, 429]
    refused = [response for response in responses if response.status_code == 429]
    assert all(response.headers['Retry-After'] == '1' for response in refused)
    assert api.get(ENVIRONMENTS, params={'filter': 'name(cap-)'}).json()['totalCount'] == 2
    # Reads are never limited, and a write has room again once the others ended.
    with ThreadPoolExecutor(4) as pool:
        assert all(r.status_code == 200 for r in pool.map(lambda dummy: api.get(ENVIRONMENTS), range(4)))
    assert api.post(ENVIRONMENTS, json={'name': 'cap-after'}).status_code == 201
    api.handle.reset()
    assert api.handle.config()['write_capacity'] == 0


def test_write_capacity_on_the_command_line():
    assert start_options(parse_arguments(['--write-capacity', '5'])).settings.write_capacity == 5
    assert start_options(parse_arguments([])).settings.write_capacity == 0
    with pytest.raises(SystemExit):
        parse_arguments(['--write-capacity', '-1'])
