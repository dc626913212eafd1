"""A scripted stand-in for requests.Session, for unit tests of the transport and the API layer.

Only the socket is replaced: DynatraceClient's retry, error and decoding code runs as in production.
"""

from requests.structures import CaseInsensitiveDict

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceClient

TOKEN = 'dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.' + 'S' * 64


class FakeResponse:
    def __init__(self, status, body='', headers=None):
        self.status_code = status
        self.text = body
        self.headers = CaseInsensitiveDict(headers or {})
        if body and 'Content-Type' not in self.headers:
            self.headers['Content-Type'] = 'application/json; charset=utf-8'


class ScriptedSession:
    """Answers requests from a script: each item a FakeResponse or an exception to raise."""

    def __init__(self, script):
        self.script = list(script)
        self.calls = []
        self.headers = {}
        self.verify = True

    def request(self, method, url, **kwargs):
        self.calls.append(dict(kwargs, method=method, url=url))
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        return step


def make_client(script, retries=5, url='https://dt.example.com/', token=TOKEN, **kwargs):
    """A DynatraceClient whose session answers from `script`; returns (client, sleeps, warnings)."""
    sleeps, warnings = [], []
    client = DynatraceClient(url, token, retries=retries, sleep=sleeps.append, rand=lambda: 1.0,
                             warn=warnings.append, **kwargs)
    scripted = ScriptedSession(script)
    scripted.verify = client.session.verify
    client.session = scripted
    return client, sleeps, warnings


def ok(body='{}', status=200, headers=None):
    return FakeResponse(status, body, headers)
