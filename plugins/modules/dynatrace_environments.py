#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: dynatrace_environments
short_description: A whole list of Dynatrace Managed environments, their API tokens and group permissions in one task
version_added: 1.0.0
description:
  - Makes every environment of O(environments) look the way its item says, with the rules of
    M(clusterops.dynatrace.dynatrace_environment) (creation under the id derived from the name, so no timing makes a
    second environment of a name; id and name must agree; drift reported unless O(update_existing)), then the API
    tokens of each item (the rules of M(clusterops.dynatrace.dynatrace_api_token), idempotent by name) and its group
    permissions in merge mode (as M(clusterops.dynatrace.dynatrace_user_group) with C(permissions_mode=merge)).
  - The items have the shape of the items of the P(clusterops.dynatrace.environments#role) role's C(environments_list);
    the role runs this module once for its whole list.
  - The whole list is planned from one listing of the environments; writes run for up to O(parallel) items at a
    time. Each request keeps the retry and backoff rules of the connection; when the cluster answers 429 (or 503)
    with a wait, every worker waits. Permissions are granted item after item from one listing of the groups (a
    group is written as a whole, so two writers at once would lose a change).
  - One item failing never stops or hides the others; the task fails at the end and RV(failures) names every failed
    item with its reason. Every input rule of every item is checked before the first request.
  - "Requests: steady state costs 1 request (the listing, with quota and storage information when some item manages
    them), plus 1 (the groups listing) when some item declares O(environments[].permissions), whatever the number of
    items, when every declared API token is recorded in O(recorded_token_files). A creation costs 1 PUT; an update 1
    PUT; a deletion up to a PUT and a DELETE. API tokens of an item not recorded (or all with O(verify_tokens=true)):
    one listing of the environment's tokens and one POST per missing token, plus the mint of a token-management token
    and its deletion for an environment that existed before the run. Permissions: one PUT per group lacking some of
    them, one POST per group that does not exist. Check mode sends the listings only."
  - "Management zones (a group given as C({permissions: [...], management_zones: {...}}) in
    O(environments[].permissions)): plus 1 (the zone permissions of every group, read once), and per environment
    whose item names zones, its zone listing with the token chain (5 requests: a short-lived token-management token
    and a short-lived C(ReadConfig) token created and deleted); one PUT per group lacking some zone permission."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.censored_result
attributes:
  check_mode:
    support: full
    description: Sends the listings only, and reports per item what a real run would do.
  diff_mode:
    support: full
    description: One diff per changed item, headed by its name; never a token.
options:
  environments:
    description:
      - The environments, each an item of the role's C(environments_list). Two items of one name or one id are an
        error.
    type: list
    elements: dict
    required: true
    suboptions:
      name:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:name).
        type: str
      environment_id:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:environment_id).
        type: str
      state:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:state).
        type: str
        choices: [present, absent]
        default: present
      enabled:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:enabled).
        type: bool
      trial:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:trial).
        type: bool
      tags:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:tags).
        type: list
        elements: str
      quotas:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:quotas).
        type: dict
      storage:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:storage).
        type: dict
      create_token:
        description:
          - Return the new environment's token-management token in C(token_management_token) of its entry in RV(outcomes) and
            RV(created). An item with O(environments[].api_tokens) asks for it anyway, to create those tokens.
        type: bool
        default: true
      update_existing:
        description: This item's own O(update_existing); unset, O(update_existing) applies.
        type: bool
      rename:
        description: As O(clusterops.dynatrace.dynatrace_environment#module:rename).
        type: bool
        default: false
      allow_duplicate_name:
        description:
          - As O(clusterops.dynatrace.dynatrace_environment#module:allow_duplicate_name). Two items that both set it
            may share a name, each with its own O(environments[].environment_id).
        type: bool
        default: false
      api_tokens:
        description:
          - API tokens inside the environment, each made to exist by name. A token whose file
            C(<environment id>.<name>.token) is listed in O(recorded_token_files) counts as present and costs no
            request (unless O(verify_tokens=true)); a token that exists but is not recorded is left as it is (its
            secret cannot be read again).
          - When the creating request of a new environment only updates it, because another run created it at the
            same moment (two jobs onboarding the same team) or an earlier attempt whose answer was lost did, its
            tokens are left to that run and the item fails, asking for a run again (token names are not unique, so
            creating them in both runs could make each token twice). The run again finds them and creates only
            those still missing.
        type: list
        elements: dict
        suboptions:
          name:
            description: As O(clusterops.dynatrace.dynatrace_api_token#module:name).
            type: str
            required: true
          scopes:
            description: As O(clusterops.dynatrace.dynatrace_api_token#module:scopes).
            type: list
            elements: str
            required: true
          expiration:
            description: As O(clusterops.dynatrace.dynatrace_api_token#module:expiration).
            type: str
      permissions:
        description:
          - "Group permissions on this environment: a map from group name to a list of permissions
            (C(VIEWER), C(MANAGE_SETTINGS), ...), added in merge mode: nothing else on a group changes. A group that
            does not exist is created."
          - "A group's value may instead be a dict: C(permissions) (that list) and C(management_zones), a map from the
            name of a management zone of this environment to its permissions (as
            O(clusterops.dynatrace.dynatrace_user_group#module:management_zone_permissions)), also added in merge
            mode. The zones are listed in the environments that name some, before any group is written; an item naming
            an unknown zone fails and nothing of it is written."
        type: dict
  update_existing:
    description: Bring existing environments to the declared values (an item's own O(environments[].update_existing) wins).
    type: bool
    default: false
  parallel:
    description: How many items are written at a time, 1 to 10. 1 writes one item after the other.
    type: int
    default: 4
  recorded_token_files:
    description:
      - File names (no folder) of the API tokens already recorded, C(<environment id>.<token name>.token) (in a token
        name every character but letters, digits, C(.), C(-) and C(_) becomes C(_)). The role passes the files of its
        token folder.
    type: list
    elements: str
    default: []
  token_dir:
    description:
      - A folder on the host the module runs on. Its C(*.token) files count as recorded (as O(recorded_token_files));
        each new secret is written to its own file there, mode 0600, never overwritten (created with O_EXCL); a new
        environment's token-management token to C(<environment id>.token), an API token to
        C(<environment id>.<token name>.token). The folder is created with mode 0700 when missing. Not in check mode.
    type: path
  verify_tokens:
    description: Look up every declared API token in its environment, recorded or not (costs the requests the API needs).
    type: bool
    default: false
  list_name:
    description: What input errors call the list, as in C(<list_name>[3] (team-c)); the role passes C(environments_list).
    type: str
    default: environments
'''

EXAMPLES = r'''
- name: Onboard two teams in one task
  clusterops.dynatrace.dynatrace_environments:
    environments:
      - name: team-a
        quotas: {host_units: 20}
        api_tokens:
          - {name: oneagent-install, scopes: [InstallerDownload], expiration: now+90d}
        permissions:
          team-a-admins: [VIEWER, MANAGE_SETTINGS]
      - name: team-b
    parallel: 8
  register: onboarded
'''

RETURN = r'''
outcomes:
  description:
    - One result per item, in list order, with C(name), C(changed), C(environment_id), C(environment_url),
      C(environment), C(drift), C(diff), C(api_tokens) (each C(name), C(state) (C(recorded), C(exists),
      C(created), C(unknown) in check mode, C(skipped) when another run created the environment), C(file), and
      C(token) only when created), C(permissions) (per group C(before) and C(after)), C(paas_token_file) (the file of
      the first token with C(InstallerDownload)), and C(failed) and C(msg) when the item failed.
    - A new environment's C(token_management_token) and a new API token's C(token) are secrets, in this registered
      result only; the task's display is censored when it holds one.
  returned: always
  type: list
  elements: dict
created:
  description:
    - The environments created in this run, by name, each with C(id), C(environment_url) and
      C(token_management_token) (null with O(environments[].create_token=false)). In check mode, those that would
      be, with the id they would get and no token.
  returned: always
  type: dict
api_tokens_created:
  description: Per environment name, the API tokens created in this run by token name, each with C(id), C(token), C(file), C(scopes).
  returned: always
  type: dict
failures:
  description: Per failed item name, the reason.
  returned: always
  type: dict
drift:
  description: Per item name, what differs and was not changed (O(update_existing) false).
  returned: always
  type: dict
oneagent_handoff:
  description:
    - Per item that declares a token with the scope C(InstallerDownload), C(oneagent_environment_url)
      (C(https://<cluster>/e/<id>)) and C(oneagent_paas_token) (created in this run, else read from its file in
      O(token_dir); null when neither has it). A secret; the display is censored when it holds one.
  returned: always
  type: dict
drift_diff:
  description: RV(drift) as the lines of a diff.
  returned: always
  type: list
  elements: str
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.bulk_executor import DEFAULT_PARALLEL, parallel_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import section_argument_spec
from ansible_collections.clusterops.dynatrace.plugins.module_utils._bulk.environments import (
    ensure_environments, input_errors,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run

TOKEN_SPEC = dict(name=dict(type='str', required=True), scopes=dict(type='list', elements='str', required=True),
                  expiration=dict(type='str'))
ITEM_SPEC = dict(
    name=dict(type='str'), environment_id=dict(type='str'),
    state=dict(type='str', choices=['present', 'absent'], default='present'),
    enabled=dict(type='bool'), trial=dict(type='bool'), tags=dict(type='list', elements='str'),
    quotas=section_argument_spec(), storage=section_argument_spec(),
    create_token=dict(type='bool', default=True), update_existing=dict(type='bool'), rename=dict(type='bool', default=False),
    allow_duplicate_name=dict(type='bool', default=False),
    api_tokens=dict(type='list', elements='dict', options=TOKEN_SPEC, no_log=False),
    permissions=dict(type='dict'),
)


def argument_spec():
    return connection_argument_spec(
        environments=dict(type='list', elements='dict', required=True, options=ITEM_SPEC),
        update_existing=dict(type='bool', default=False),
        parallel=dict(type='int', default=DEFAULT_PARALLEL),
        recorded_token_files=dict(type='list', elements='str', default=[], no_log=False),
        token_dir=dict(type='path'),
        verify_tokens=dict(type='bool', default=False),
        list_name=dict(type='str', default='environments'),
    )


def logic(module, client):
    result = ensure_environments(client, module.params, check_mode=module.check_mode, warn=module.warn)
    if result['failures']:
        result.update(failed=True, msg='%d of %d environments failed: %s'
                      % (len(result['failures']), len(result['outcomes']),
                         '; '.join('%s: %s' % failure for failure in sorted(result['failures'].items()))))
    return result


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: logic(module, client),
        input_errors=parallel_errors(module.params['parallel']) + input_errors(module.params))


if __name__ == '__main__':
    main()
