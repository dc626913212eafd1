# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_user_info's logic: the users in the option shape of dynatrace_user (groups by name).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The request budget is stated once, in the module documentation ("Requests per run" in
plugins/modules/dynatrace_user_info.py).
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import groups as api_groups
from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import users as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user import GroupIndex, user_to_options


def validate_info_options(params):
    """Input errors of dynatrace_user_info's options."""
    errors = []
    for option in ('id', 'group'):
        value = params.get(option)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            errors.append('%s must be a non-empty string, got %r' % (option, value))
    return errors


def user_info(client, params):
    """The result of dynatrace_user_info: users (option shape, sorted by id), only those of `id` or `group`."""
    users = api.list_users(client)
    if params.get('id') is not None:
        users = [user for user in users if user['id'] == params['id']]
    index = GroupIndex(api_groups.list_groups(client) if any(user.get('groups') for user in users)
                       or params.get('group') is not None else [])
    shown = [user_to_options(user, index) for user in sorted(users, key=lambda user: user['id'])]
    if params.get('group') is not None:
        shown = [user for user in shown if params['group'] in user['groups']]
    return dict(changed=False, users=shown)
