"""Helpers of the emulator's own tests: requests with a token, and reading error answers."""

import requests


ENVIRONMENTS = '/api/cluster/v2/environments'


class Api:
    """requests against one emulator, with its cluster token (or another) in the Authorization header."""

    def __init__(self, handle):
        self.handle = handle

    def call(self, method, path, token=None, **kwargs):
        headers = kwargs.pop('headers', {})
        headers.setdefault('Authorization', f'Api-Token {token or self.handle.token}')
        return requests.request(method, self.handle.url + path, headers=headers, timeout=30,
                                verify=self.handle.ca_path or True, **kwargs)

    def get(self, path, **kwargs):
        return self.call('GET', path, **kwargs)

    def post(self, path, **kwargs):
        return self.call('POST', path, **kwargs)

    def put(self, path, **kwargs):
        return self.call('PUT', path, **kwargs)

    def delete(self, path, **kwargs):
        return self.call('DELETE', path, **kwargs)

    def create(self, name='team-a', **fields):
        """Create an environment and return its id."""
        response = self.post(ENVIRONMENTS, json={'name': name, **fields})
        assert response.status_code == 201, response.text
        return response.json()['id']

    def stored(self, env_id):
        return next(env for env in self.handle.environments() if env['id'] == env_id)

    def env_token(self, env_id, *scopes):
        """A new environment token of env_id with exactly these scopes (DataExport when none are given)."""
        return self.handle.environment_token(env_id, scopes or ('DataExport',))


def violations(response):
    """{path: message} of a 400 Constraints violated answer."""
    assert response.status_code == 400, response.text
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
    error = response.json()['error']
    assert error['code'] == 400 and error['message'] == 'Constraints violated.'
    return {found['path']: found['message'] for found in error['constraintViolations']}


def assert_error(response, code, *words):
    """The answer is the JSON error envelope of `code` and its message holds every one of `words`."""
    assert response.status_code == code, response.text
    assert response.headers['content-type'] == 'application/json; charset=utf-8'
    error = response.json()['error']
    assert error['code'] == code
    for word in words:
        assert word in error['message'], error['message']
