# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The filter behind the users of playbooks/export.yml: a cluster's users as the environments role's environments_users.

Documentation: environments_users_export.yml next to this file (ansible-doc -t filter clusterops.dynatrace.environments_users_export).
"""

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.collections import is_sequence

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user import export_users


def environments_users_export(users):
    """The `environments_users` entries of the users dynatrace_user_info returned (never a password)."""
    if isinstance(users, dict) and 'users' in users:
        users = users['users']  # the whole registered result was passed
    if isinstance(users, (dict, str)) or not is_sequence(users):
        raise AnsibleFilterError('environments_users_export takes the users list of dynatrace_user_info, got %s'
                                 % type(users).__name__)
    for user in users:
        if not isinstance(user, dict) or not user.get('id') or not isinstance(user.get('groups') or [], list):
            raise AnsibleFilterError('environments_users_export takes users with id and groups, as dynatrace_user_info '
                                     'returns them, got %r' % (user,))
    return export_users(list(users))


class FilterModule(object):
    """The users export filter of clusterops.dynatrace."""

    def filters(self):
        return {'environments_users_export': environments_users_export}
