#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_user
short_description: Manage Dynatrace Managed users by id, with their groups by name, one or a whole list
version_added: 1.1.0
description:
  - Makes users of a Dynatrace Managed cluster hold what the task says, through the Cluster API v1
    (C(/api/v1.0/onpremise/users)). Needs a cluster token with scope C(ServiceProviderAPI). For clusters whose users
    are local (the internal user repository); a cluster whose users LDAP or SSO manage refuses every change.
  - One user (O(id) and its options) or a whole list (O(users)) in one task. One users read and one groups read plan
    the whole list, and the writes go in parallel (O(parallel)), with a result per user.
  - A user is found by its O(id). When the user exists with another email than O(email), the task fails before
    anything is written (the id may be someone else's), and so does an email that another user holds.
  - Groups are given by B(name). With O(groups_mode=merge) (the default) the user joins them and keeps its other
    groups; with O(groups_mode=replace) it is in exactly these. An unknown group name fails the task before any write.
  - The first password (O(password)) is sent when the user is created, never afterwards. It is never compared, never
    returned and never shown, so changing it in the task changes nothing on an existing user.
  - Any refusal of any user (an email that differs, an unknown group, a user to create without names) stops the
    task before its first write. When something is to be written, the user repository's mode is read once; if LDAP
    manages the users the task fails with one message, in check mode too. SSO with group assignment shows in no
    answer of the API; the first write's 403 tells it, and the task stops with the same message before any other
    write.
  - "Requests per run: steady state 2 (the users read and the groups read; O(state=absent) alone reads no groups
    unless C(--diff)); with changes 3 plus one write per changed user (the user repository's mode; a POST, a PUT or a
    DELETE each). A user that appears between the read and its create costs 2 more (its read and a PUT). An empty
    O(users) sends none. Check mode sends the reads and the mode read only."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
attributes:
  check_mode:
    support: full
    description: Sends no write request and reports the same C(changed) and C(diff) as a real run.
  diff_mode:
    support: full
    description: Shows each changed user (email, names, groups by name) before and after; never a password.
options:
  id:
    description:
      - The user id (the name the user signs in with). Give O(id) for one user, or O(users) for a list.
    type: str
  email:
    description:
      - The user's email address. Required with O(state=present); with O(state=absent) it is checked before the
        delete when given. Compared without case. An existing user's email is never changed.
    type: str
  first_name:
    description:
      - The first name. Needed to create the user; when left out, an existing user keeps its own.
    type: str
  last_name:
    description:
      - The last name. Needed to create the user; when left out, an existing user keeps its own.
    type: str
  groups:
    description:
      - The user groups the user is in, by exact name. Left out, the user's groups are left alone.
    type: list
    elements: str
  groups_mode:
    description:
      - V(merge) adds the user to O(groups) and keeps its other groups; V(replace) makes it a member of exactly
        O(groups). With O(users), the default of every item.
    type: str
    choices: [merge, replace]
    default: merge
  password:
    description:
      - The first password, sent only when the user is created. Never compared, returned or shown.
      - Give it from a vault or a variable, not written into the task, since ansible-core shows the playbook lines
        around a failed task.
    type: str
  state:
    description:
      - V(present) creates the user when it is absent and applies the options; V(absent) deletes it. With O(users),
        the default of every item.
    type: str
    choices: [present, absent]
    default: present
  users:
    description:
      - A list of users, each with the options of one user. Instead of O(id); the other per-user options are then
        given per item (O(state) and O(groups_mode) at the top are the items' defaults).
      - An id or an email listed twice fails the task before any request.
    type: list
    elements: dict
    suboptions:
      id:
        description: The user id.
        type: str
        required: true
      email:
        description: The email address; required with O(users[].state=present).
        type: str
      first_name:
        description: The first name; needed to create the user.
        type: str
      last_name:
        description: The last name; needed to create the user.
        type: str
      groups:
        description: The groups by exact name; left out, the user's groups are left alone.
        type: list
        elements: str
      groups_mode:
        description: V(merge) or V(replace), as O(groups_mode); defaults to O(groups_mode).
        type: str
        choices: [merge, replace]
      password:
        description: The first password, sent only when the user is created. Never compared, returned or shown.
        type: str
      state:
        description: V(present) or V(absent); defaults to O(state).
        type: str
        choices: [present, absent]
  parallel:
    description:
      - With O(users), the most writes at a time, 1 to 10. The run writes fewer at a time while the cluster answers
        429 or 503, then more again when it recovers.
    type: int
    default: 10
notes:
  - A user's password is the user's own after the first sign-in; this module sets the first one only.
seealso:
  - module: clusterops.dynatrace.dynatrace_user_info
  - module: clusterops.dynatrace.dynatrace_user_group
'''

EXAMPLES = r'''
- name: Create a user in the payments team's groups
  clusterops.dynatrace.dynatrace_user:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    id: ann.lee
    email: ann.lee@example.com
    first_name: Ann
    last_name: Lee
    groups: [team-payments, all-viewers]
    password: "{{ vault_initial_passwords['ann.lee'] }}"

- name: Onboard a whole team in one task
  clusterops.dynatrace.dynatrace_user:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    users: "{{ team_payments_users }}"
    parallel: 8

- name: The contractor is in exactly this group now
  clusterops.dynatrace.dynatrace_user:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    id: contractor7
    email: c7@partner.example
    groups: [contractors]
    groups_mode: replace

- name: Remove a user who left (the email is checked first)
  clusterops.dynatrace.dynatrace_user:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    id: bob.old
    email: bob.old@example.com
    state: absent
'''

RETURN = r'''
user_id:
  description: With O(id), the user's id.
  returned: with O(id)
  type: str
  sample: ann.lee
action:
  description: With O(id), what was done (or would be in check mode) - V(create), V(update), V(delete) or V(none).
  returned: with O(id)
  type: str
  sample: create
user:
  description:
    - With O(id), the user after the task in the option shape (C(id), C(email), C(first_name), C(last_name), C(groups)
      by name, sorted); empty when it is absent. Never a password.
  returned: with O(id)
  type: dict
  sample:
    id: ann.lee
    email: ann.lee@example.com
    first_name: Ann
    last_name: Lee
    groups: [all-viewers, team-payments]
users:
  description:
    - With O(users), one result per item in list order - C(id), C(action), C(changed), C(user) (as RV(user)),
      C(diff) when changed, and C(failed) and C(msg) when its write failed (the others still run).
  returned: with O(users)
  type: list
  elements: dict
failures:
  description: With O(users), per failed user id, the reason.
  returned: with O(users)
  type: dict
diff:
  description: The changed user (with O(users), a list of them) before and after; never a password.
  returned: changed
  type: raw
retries:
  description: Requests sent again after a transient failure.
  returned: always
  type: int
  sample: 0
waited_seconds:
  description: Seconds spent waiting before retries.
  returned: always
  type: float
  sample: 0.0
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import DEFAULT_PARALLEL, parallel_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user import GROUP_MODES, STATES, validate_user_options
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user.ensure import ensure_users


def argument_spec():
    item = dict(
        id=dict(type='str', required=True),
        email=dict(type='str'),
        first_name=dict(type='str'),
        last_name=dict(type='str'),
        groups=dict(type='list', elements='str'),
        groups_mode=dict(type='str', choices=list(GROUP_MODES)),
        password=dict(type='str', no_log=True),
        state=dict(type='str', choices=list(STATES)),
    )
    return connection_argument_spec(
        id=dict(type='str'),
        email=dict(type='str'),
        first_name=dict(type='str'),
        last_name=dict(type='str'),
        groups=dict(type='list', elements='str'),
        groups_mode=dict(type='str', choices=list(GROUP_MODES), default='merge'),
        password=dict(type='str', no_log=True),
        state=dict(type='str', choices=list(STATES), default='present'),
        users=dict(type='list', elements='dict', options=item),
        parallel=dict(type='int', default=DEFAULT_PARALLEL),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True, mutually_exclusive=[('id', 'users')],
                           required_one_of=[('id', 'users')])
    run(module, lambda client: ensure_users(client, module.params, check_mode=module.check_mode, diff=module._diff,
                                            warn=module.warn),
        input_errors=validate_user_options(module.params) + parallel_errors(module.params['parallel']))


if __name__ == '__main__':
    main()
