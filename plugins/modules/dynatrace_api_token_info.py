#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_api_token_info
short_description: List the API tokens of a Dynatrace Managed environment, metadata only
version_added: 1.0.0
description:
  - Lists the API tokens of one environment through the Environment API v2 (C(/e/<id>/api/v2/apiTokens)), with id,
    name, scopes, owner, whether it is enabled, creation and expiry, last use. Never a secret (the API does not
    return them).
  - The environment is found by O(environment_id), or by its exact, case-sensitive O(environment_name) with the
    same lookup as M(clusterops.dynatrace.dynatrace_environment).
  - "Authentication inside the environment as in M(clusterops.dynatrace.dynatrace_api_token): O(token_management_token)
    when given, else a token-management token minted for the task (named C(clusterops.dynatrace dynatrace_api_token_info
    <UTC time>), valid for 10 minutes) that is deleted when the task ends and is left out of RV(api_tokens)."
  - "Requests per run: the environment lookup and one listing per 10000 tokens (2 for almost every environment),
    plus the mint and its deletion when the module mints (4)."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
attributes:
  check_mode:
    support: full
    description: Reads only (and mints the token-management token it needs when none is given), also in check mode.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to show.
options:
  environment_name:
    description:
      - Exact, case-sensitive name of the environment. Exactly one of O(environment_name) and O(environment_id) is
        required.
    type: str
  environment_id:
    description:
      - Id of the environment (pattern C([a-zA-Z0-9_-]{1,70})).
    type: str
  token_management_token:
    description:
      - A token of the environment with the scope C(apiTokens.read), for example the token-management token that
        M(clusterops.dynatrace.dynatrace_environment) returns on creation. Never logged.
      - When not given, the module mints a short-lived one with O(api_token) (scope C(EnvironmentTokenManagement)).
    type: str
  name:
    description:
      - Only the tokens whose name is exactly this. Names are not unique, so all of them are returned.
    type: str
seealso:
  - module: clusterops.dynatrace.dynatrace_api_token
'''

EXAMPLES = r'''
- name: Every API token of team-payments
  clusterops.dynatrace.dynatrace_api_token_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    environment_name: team-payments
  register: payments_tokens

- name: Tokens that expire within 14 days
  ansible.builtin.debug:
    msg: "{{ item.name }} ({{ item.id }}) expires {{ item.expiration_date }}"
  loop: "{{ payments_tokens.api_tokens | selectattr('expiration_date', 'defined') | list }}"
  when: (item.expiration_date | ansible.builtin.to_datetime('%Y-%m-%dT%H:%M:%S.%fZ') - now(utc=true)).days < 14

- name: The tokens named oneagent-install
  clusterops.dynatrace.dynatrace_api_token_info:
    environment_id: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
    name: oneagent-install
'''

RETURN = r'''
api_tokens:
  description: The tokens of the environment in the server's order (newest first), metadata in snake_case.
  returned: always
  type: list
  elements: dict
  sample:
    - id: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
      name: oneagent-install
      enabled: true
      personal_access_token: false
      owner: admin
      scopes: [InstallerDownload]
      creation_date: "2026-01-05T10:00:00.000Z"
      expiration_date: "2026-04-05T10:00:00.000Z"
      last_used_date: "2026-01-06T08:12:00.000Z"
      expired: false
environment_id:
  description: Id of the environment.
  returned: always
  type: str
  sample: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
environment_name:
  description: Name of the environment.
  returned: always
  type: str
  sample: team-payments
environment_url:
  description: The environment's address, C(https://<cluster>/e/<id>).
  returned: always
  type: str
  sample: https://dynatrace.example.com/e/4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
minted_token_management_token:
  description: The token-management token minted for this task (never its secret), whether it was deleted, and when it expires.
  returned: when the module minted one
  type: dict
  sample:
    id: dt0c01.MINTEDTOKENPUBLICPART000
    deleted: true
    expires: "2026-01-05T10:10:00Z"
expired_minted_tokens_deleted:
  description:
    - Ids of expired token-management tokens that earlier tasks minted and the cluster could not delete then
      (deleted now, not in check mode; they are not in RV(api_tokens)).
  returned: when the module minted one
  type: list
  elements: str
  sample: []
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

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.api_token.info import api_token_info
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import environment_errors


def argument_spec():
    return connection_argument_spec(
        environment_name=dict(type='str'),
        environment_id=dict(type='str'),
        token_management_token=dict(type='str', no_log=True),
        name=dict(type='str'),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_one_of=[('environment_name', 'environment_id')],
                           mutually_exclusive=[('environment_name', 'environment_id')])
    run(module, lambda client: api_token_info(client, module.params, warn=module.warn, check_mode=module.check_mode),
        input_errors=environment_errors(module.params))


if __name__ == '__main__':
    main()
