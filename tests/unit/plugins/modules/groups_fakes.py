"""A stand-in for _api_groups: groups in a list, every call recorded, races and lost answers scripted.

Used with harness.run_main and harness.FakeEnvironmentsApi; tests/integration runs the same modules against the emulator.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as _api_groups
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import ResponseLostError


class FakeGroupsApi:
    """`posts` lists what each POST does: 'ok', 'empty' (created, empty answer), 'race' (another run created
    `race_group` first: 406), 'taken' (406, no group), 'lost-created' or 'lost-not-created'."""

    def __init__(self, groups=(), posts=(), race_group=None):
        self.groups = [dict(group) for group in groups]
        self.posts = list(posts)
        self.race_group = race_group
        self.calls = []
        self.zone_records = []

    def install(self, monkeypatch):
        for name in ('list_groups', 'create_group', 'update_group', 'delete_group', 'list_zone_permissions',
                     'get_zone_permissions', 'update_zone_permissions'):
            monkeypatch.setattr(_api_groups, name, getattr(self, name))
        return self

    def kinds(self):
        return [call[0] for call in self.calls]

    def list_groups(self, client):
        self.calls.append(('list',))
        return [dict(group) for group in self.groups]

    def list_zone_permissions(self, client):
        self.calls.append(('zones',))
        return [dict(record) for record in self.zone_records]

    def get_zone_permissions(self, client, group_id):
        self.calls.append(('zones', group_id))
        found = [record for record in self.zone_records if record['groupId'] == group_id]
        return dict(found[0]) if found else {'groupId': group_id, 'mzPermissionsPerEnvironment': []}

    def update_zone_permissions(self, client, body):
        self.calls.append(('zones-put', body))
        self.zone_records = [record for record in self.zone_records if record['groupId'] != body['groupId']] + [body]

    def create_group(self, client, body):
        self.calls.append(('post', body))
        outcome = self.posts.pop(0) if self.posts else 'ok'
        if outcome == 'race':
            self.groups.append(dict(self.race_group))
        if outcome in ('race', 'taken'):
            raise _api_groups.GroupNameTakenError('taken', status=406, method='POST', path=_api_groups.GROUPS_PATH)
        if outcome == 'lost-not-created':
            raise ResponseLostError('no answer', method='POST', path=_api_groups.GROUPS_PATH)
        group = dict(body, id='new%d' % len(self.groups))
        self.groups.append(group)
        if outcome == 'lost-created':
            raise ResponseLostError('no answer', method='POST', path=_api_groups.GROUPS_PATH)
        return None if outcome == 'empty' else dict(group)

    def update_group(self, client, body):
        self.calls.append(('put', body))
        self.groups = [dict(body) if group['id'] == body['id'] else group for group in self.groups]
        return dict(body)

    def delete_group(self, client, group_id):
        self.calls.append(('delete', group_id))
        before = len(self.groups)
        self.groups = [group for group in self.groups if group['id'] != group_id]
        return len(self.groups) < before
