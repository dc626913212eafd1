"""Unit tests of the create path when answers are lost: adopt, send again, or stop; never duplicate."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._client import DynatraceError, ResponseLostError
from ansible_collections.clusterops.dynatrace.plugins.module_utils._ensure import post_without_duplicates

PARAMS = dict(name='team', create_token=True)


class LossyClient:
    """Each POST either answers or loses its answer (creating or not); lookups list what exists."""

    def __init__(self, posts):
        self.posts = list(posts)  # each: 'ok', 'lost-created' or 'lost-not-created'
        self.existing = []
        self.post_count = 0

    def create_environment(self, body, create_token):
        self.post_count += 1
        outcome = self.posts.pop(0)
        if outcome != 'lost-not-created':
            self.existing.append({'id': 'id%d' % self.post_count, 'name': body['name']})
        if outcome.startswith('lost'):
            raise ResponseLostError('no answer', method='POST', path='/api/cluster/v2/environments')
        return 'id%d' % self.post_count, 'dt0c01.TOKEN'

    def list_environments(self, **query):
        return list(self.existing), len(self.existing)


def run(client):
    warnings = []
    return post_without_duplicates(client, PARAMS, {'name': 'team'}, warnings.append), warnings


def test_lost_answer_of_a_create_that_happened_adopts_it_without_a_token():
    client = LossyClient(['lost-created'])
    (environment_id, token), warnings = run(client)
    assert (environment_id, token, client.post_count) == ('id1', None, 1)
    assert 'adopted' in warnings[0] and 'tokenManagementToken' in warnings[0]


def test_lost_answer_of_a_create_that_did_not_happen_is_sent_again():
    client = LossyClient(['lost-not-created', 'ok'])
    (environment_id, token), warnings = run(client)
    assert (environment_id, token, client.post_count) == ('id2', 'dt0c01.TOKEN', 2) and warnings == []


def test_every_answer_lost_and_nothing_created_stops_after_two_attempts():
    client = LossyClient(['lost-not-created', 'lost-not-created'])
    with pytest.raises(DynatraceError, match='sent 2 times and each answer was lost'):
        run(client)
    assert client.post_count == 2


def test_two_environments_after_a_lost_answer_fail_listing_both():
    client = LossyClient(['lost-created'])
    client.existing.append({'id': 'other', 'name': 'team'})
    with pytest.raises(DynatraceError, match='2 environments named .team. exist now .ids: id1, other.'):
        run(client)
