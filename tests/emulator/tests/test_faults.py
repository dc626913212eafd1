"""Injected faults: status answers, delays, reset connections and lost responses, as a requests client sees them."""

import time

import pytest
import requests

from tests.emulator.tests.helpers import ENVIRONMENTS

CONNECTION_ERRORS = (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError)


def test_status_fault_answers_without_acting_for_times_requests(api):
    api.handle.add_fault(method='POST', path=ENVIRONMENTS, times=2, action='status', status=429, headers={'Retry-After': '1'})
    for attempt in range(2):
        response = api.post(ENVIRONMENTS, json={'name': 'x'})
        assert response.status_code == 429 and response.headers['Retry-After'] == '1'
        assert response.headers['content-type'] == 'application/json; charset=utf-8'
        assert response.json()['error']['code'] == 429
    assert api.handle.environments() == []
    assert api.post(ENVIRONMENTS, json={'name': 'x'}).status_code == 201
    assert [entry['status'] for entry in api.handle.requests()] == [429, 429, 201]


def test_status_fault_plays_a_proxy_html_page(api):
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=502,
                         body='<html><body><h1>502 Bad Gateway</h1></body></html>', content_type='text/html')
    response = api.get(ENVIRONMENTS)
    assert response.status_code == 502 and response.headers['content-type'] == 'text/html'
    assert response.text.startswith('<html>')


def test_status_556_upgrade_in_progress_has_the_envelope(api):
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=556)
    response = api.get(ENVIRONMENTS)
    assert response.status_code == 556 and response.json() == {'error': {'code': 556, 'message': 'Upgrade in progress'}}


def test_faults_queue_up_in_order(api):
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=503)
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=556)
    assert [api.get(ENVIRONMENTS).status_code for attempt in range(3)] == [503, 556, 200]


def test_faults_match_method_and_path_exactly_ignoring_the_query(api):
    env_id = api.create()
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=500)
    assert api.post(ENVIRONMENTS, json={'name': 'y'}).status_code == 201
    assert api.get(f'{ENVIRONMENTS}/{env_id}').status_code == 200
    assert api.get(ENVIRONMENTS + '?pageSize=5').status_code == 500


def test_delay_then_acts(api):
    api.handle.add_fault(method='POST', path=ENVIRONMENTS, action='delay', seconds=0.5)
    started = time.monotonic()
    assert api.post(ENVIRONMENTS, json={'name': 'slow'}).status_code == 201
    assert time.monotonic() - started >= 0.5
    assert len(api.handle.environments()) == 1


def test_delay_longer_than_the_client_timeout_is_a_timeout(api):
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='delay', seconds=1.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(api.handle.url + ENVIRONMENTS, headers={'Authorization': f'Api-Token {api.handle.token}'}, timeout=0.3)


def test_reset_drops_the_connection_without_acting(api):
    api.handle.add_fault(method='POST', path=ENVIRONMENTS, action='reset')
    with pytest.raises(CONNECTION_ERRORS):
        api.post(ENVIRONMENTS, json={'name': 'never'})
    assert api.handle.environments() == []
    assert api.handle.requests()[-1] == {'method': 'POST', 'path': ENVIRONMENTS, 'query': '', 'status': None, 'body': {'name': 'never'}}
    assert api.post(ENVIRONMENTS, json={'name': 'after'}).status_code == 201


def test_reset_on_a_kept_alive_connection(api):
    with requests.Session() as session:
        session.headers['Authorization'] = f'Api-Token {api.handle.token}'
        assert session.get(api.handle.url + ENVIRONMENTS, timeout=10).status_code == 200
        api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='reset')
        with pytest.raises(CONNECTION_ERRORS):
            session.get(api.handle.url + ENVIRONMENTS, timeout=10)
        assert session.get(api.handle.url + ENVIRONMENTS, timeout=10).status_code == 200


def test_drop_after_commit_acts_then_loses_the_response(api):
    api.handle.add_fault(method='POST', path=ENVIRONMENTS, action='drop_after_commit')
    with pytest.raises(CONNECTION_ERRORS):
        api.post(ENVIRONMENTS, json={'name': 'committed'})
    assert [env['name'] for env in api.handle.environments()] == ['committed']
    assert api.handle.requests()[-1]['status'] is None
    # A naive retry creates a second environment of the same name.
    assert api.post(ENVIRONMENTS, json={'name': 'committed'}).status_code == 201
    assert len(api.handle.environments()) == 2


def test_a_list_of_faults_in_one_call(api):
    response = requests.post(api.handle.url + '/_emulator/faults', timeout=10, json=[
        {'method': 'GET', 'path': ENVIRONMENTS, 'action': 'status', 'status': 503},
        {'method': 'GET', 'path': ENVIRONMENTS, 'action': 'status', 'status': 429}])
    assert response.status_code == 201
    assert [api.get(ENVIRONMENTS).status_code for attempt in range(3)] == [503, 429, 200]


@pytest.mark.parametrize('fault', [
    {'method': 'GET', 'path': ENVIRONMENTS, 'action': 'explode'},
    {'method': 'GET', 'path': ENVIRONMENTS, 'action': 'status'},
    {'method': 'GET', 'path': 'no-slash', 'action': 'reset'},
    {'method': 'GET', 'path': ENVIRONMENTS, 'action': 'reset', 'times': 0},
])
def test_invalid_fault_is_400(api, fault):
    response = requests.post(api.handle.url + '/_emulator/faults', json=fault, timeout=10)
    assert response.status_code == 400 and response.json()['error']['code'] == 400


def test_control_api_is_never_faulted_nor_logged(api):
    api.handle.add_fault(method='GET', path='/_emulator/requests', action='status', status=500)
    assert api.handle.requests() == []


def test_reset_clears_pending_faults(api):
    api.handle.add_fault(method='GET', path=ENVIRONMENTS, action='status', status=500)
    api.handle.reset()
    assert api.get(ENVIRONMENTS).status_code == 200
