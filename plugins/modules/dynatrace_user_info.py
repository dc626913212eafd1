#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_user_info
short_description: List Dynatrace Managed users with their groups by name
version_added: 1.1.0
description:
  - Lists the users of a Dynatrace Managed cluster through the Cluster API v1 (C(/api/v1.0/onpremise/users)), or the
    one of O(id), or the members of O(group). Needs a cluster token with scope C(ServiceProviderAPI).
  - Each user is returned in the option shape of M(clusterops.dynatrace.dynatrace_user) (C(id), C(email),
    C(first_name), C(last_name), C(groups) by name), so the output can be fed back as its O(clusterops.dynatrace.dynatrace_user#module:users).
    Never a password (the API returns none).
  - "Requests per run: 1 (the users read), plus 1 (the groups read that names them) when a returned user is in a
    group or O(group) is given."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.info_module
options:
  id:
    description:
      - Only the user of exactly this id. An unknown id gives an empty RV(users), not an error.
    type: str
  group:
    description:
      - Only the members of the group of exactly this name.
    type: str
notes:
  - Works on clusters whose users LDAP or SSO manage too (reading is allowed there).
seealso:
  - module: clusterops.dynatrace.dynatrace_user
'''

EXAMPLES = r'''
- name: Who is in the payments team's group
  clusterops.dynatrace.dynatrace_user_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    group: team-payments
  register: payments

- name: Their email addresses
  ansible.builtin.debug:
    msg: "{{ payments.users | map(attribute='email') | list }}"
'''

RETURN = r'''
users:
  description:
    - The users, sorted by id, each with the options of M(clusterops.dynatrace.dynatrace_user) (groups by name,
      sorted; a group the listing does not know is given by its id).
  returned: always
  type: list
  elements: dict
  sample:
    - id: ann.lee
      email: ann.lee@example.com
      first_name: Ann
      last_name: Lee
      groups: [all-viewers, team-payments]
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
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.user.info import user_info, validate_info_options


def argument_spec():
    return connection_argument_spec(id=dict(type='str'), group=dict(type='str'))


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: user_info(client, module.params), input_errors=validate_info_options(module.params))


if __name__ == '__main__':
    main()
