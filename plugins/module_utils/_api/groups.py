# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cluster API v1 user groups: one function per Dynatrace call, the client as first argument.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

What an answer means is decided here, once: a 404 on a read is an absent group, a 406 on a
create is a name that is taken (GroupNameTakenError), a 406 on an update is a group that is gone.
"""

from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api.name_refusals import names_refused
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import ENVIRONMENT_PERMISSION
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import SCOPE_SERVICE_PROVIDER, DynatraceError

GROUPS_PATH = '/api/v1.0/onpremise/groups'
ZONE_PERMISSIONS_PATH = GROUPS_PATH + '/managementZones'


class GroupNameTakenError(DynatraceError):
    """POST /groups answered 406: a group of that name exists (it may have appeared after a read)."""


def group_path(group_id):
    return '%s/%s' % (GROUPS_PATH, quote(str(group_id), safe=''))


def _check_group(value, method, path):
    """An answer that should be a group is one (a dict with an id and a name), or a clear error."""
    if not isinstance(value, dict) or not isinstance(value.get('id'), str) or not value['id'] \
            or not isinstance(value.get('name'), str):
        shape = 'nothing' if value is None else 'a %s' % type(value).__name__
        raise DynatraceError('the answer holds %s where a group with an "id" and a "name" was expected' % shape,
                             status=200, method=method, path=path)
    return value


def permissions_refused(body):
    """A 400 about the accessRight's permission names names the option `permissions` and the refused names."""
    return names_refused(ENVIRONMENT_PERMISSION, 'permissions', sorted((body or {}).get('accessRight') or ()),
                         ('accessRight', 'permission'))


def list_groups(client):
    """GET /groups: every group of the cluster (the API has no paging and no filter)."""
    answer = client.request('GET', GROUPS_PATH, scope=SCOPE_SERVICE_PROVIDER).body
    if not isinstance(answer, list):
        raise DynatraceError('the group list answer is not a list', status=200, method='GET', path=GROUPS_PATH)
    return [_check_group(group, 'GET', GROUPS_PATH) for group in answer]


def create_group(client, body):
    """POST /groups (the body without an id): the created group as answered, or None for an empty answer.

    Raises GroupNameTakenError on 406, and ResponseLostError when the outcome is unknown.
    """
    try:
        with permissions_refused(body):
            answer = client.request('POST', GROUPS_PATH, json_body=body, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        if exc.status == 406:
            raise GroupNameTakenError('a group named %r exists already (%s)' % (body.get('name'), exc.message),
                                      status=406, method='POST', path=GROUPS_PATH)
        raise
    return _check_group(answer, 'POST', GROUPS_PATH) if answer is not None else None


def update_group(client, body):
    """PUT /groups with the whole GroupConfig (id included): it replaces the group.

    Returns the group as answered, or None for an empty answer. A 406 means the group is gone
    (or its name is taken by another): the error says so.
    """
    try:
        with permissions_refused(body):
            answer = client.request('PUT', GROUPS_PATH, json_body=body, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        if exc.status == 406:
            raise exc.reworded('group %s (%r) was deleted or renamed after it was read; run the task again (%s)'
                               % (body.get('id'), body.get('name'), exc.message))
        raise
    return _check_group(answer, 'PUT', GROUPS_PATH) if answer is not None else None


def delete_group(client, group_id):
    """DELETE /groups/{id}: True when deleted, False when it did not exist (404, or the spec's 400 "Not Found")."""
    try:
        client.request('DELETE', group_path(group_id), scope=SCOPE_SERVICE_PROVIDER)
    except DynatraceError as exc:
        if exc.status == 404 or (exc.status == 400 and 'not found' in (exc.message or '').lower()):
            return False
        raise
    return True


def _check_zone_record(value, method, path):
    """An answer that should be one group's zone permissions is {groupId, mzPermissionsPerEnvironment: [...]}."""
    if not isinstance(value, dict) or not isinstance(value.get('mzPermissionsPerEnvironment', []), list):
        raise DynatraceError('the answer is not a group\'s management-zone permissions (groupId, '
                             'mzPermissionsPerEnvironment)', status=200, method=method, path=path)
    return value


def list_zone_permissions(client):
    """GET /groups/managementZones: the management-zone permissions of every group (one record per group)."""
    answer = client.request('GET', ZONE_PERMISSIONS_PATH, scope=SCOPE_SERVICE_PROVIDER).body
    if not isinstance(answer, list):
        raise DynatraceError('the management-zone permission list is not a list', status=200, method='GET',
                             path=ZONE_PERMISSIONS_PATH)
    return [_check_zone_record(record, 'GET', ZONE_PERMISSIONS_PATH) for record in answer]


def get_zone_permissions(client, group_id):
    """GET /groups/managementZones/{groupId}: the group's zone permissions (an empty record when it has none)."""
    path = '%s/%s' % (ZONE_PERMISSIONS_PATH, quote(str(group_id), safe=''))
    try:
        answer = client.request('GET', path, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        if exc.status == 404:
            return {'groupId': group_id, 'mzPermissionsPerEnvironment': []}
        raise
    return _check_zone_record(answer or {'groupId': group_id}, 'GET', path)


def update_zone_permissions(client, body):
    """PUT /groups/managementZones {groupId, mzPermissionsPerEnvironment}: 200, nothing answered.

    Whether the server changes only the zones the body names or replaces every zone of the group is not
    published: callers send every zone the group should hold, and [] for a zone to take away.
    """
    client.request('PUT', ZONE_PERMISSIONS_PATH, json_body=body, scope=SCOPE_SERVICE_PROVIDER)
