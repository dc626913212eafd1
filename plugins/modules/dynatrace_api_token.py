#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_api_token
short_description: Make one named API token exist, or not, inside a Dynatrace Managed environment
version_added: 1.0.0
description:
  - Creates, updates, rotates or deletes one API token of one environment through the Environment API v2
    (C(/e/<id>/api/v2/apiTokens)), for example the PaaS token (C(InstallerDownload)) that OneAgent installers need, or
    an ingest token (C(metrics.ingest), C(logs.ingest)).
  - The environment is found by O(environment_id), or by its exact, case-sensitive O(environment_name) with the
    same lookup as M(clusterops.dynatrace.dynatrace_environment).
  - "The token is found by its exact O(name) among all the tokens of the environment (the API has no name filter,
    so every page is read). Idempotent by name: a token of that name with the same scopes is left alone
    (C(changed: false)). Different scopes, a disabled token or an expired one are drift: reported in RV(drift),
    and changed only with O(update_existing=true) or O(rotate=true). Two tokens of the same name make the task
    fail, listing their ids, before any change."
  - The secret of a token is returned only by the task that creates it, in RV(token). It cannot be read again later
    (Dynatrace never shows it twice), so a task that finds the token returns no secret and says so in RV(msg).
  - "Authentication inside the environment: O(token_management_token) when given. Otherwise the module mints a
    token-management token for the task with the cluster token O(api_token) (scope C(EnvironmentTokenManagement)),
    named C(clusterops.dynatrace dynatrace_api_token <UTC time>) and valid for 10 minutes, and deletes it when the
    task ends, also when it fails. A token cannot delete itself, so the cluster token deletes it through the Cluster
    API (C(DELETE /api/cluster/v2/tokens/<id>), scope C(ClusterTokenManagement)). Where the cluster refuses that,
    the task warns and the token expires 10 minutes after it was minted; the next task that mints deletes such
    expired tokens."
  - "Requests per run: a token that exists costs the environment lookup and one listing of the environment's tokens
    (2), plus the mint and its deletion when the module mints (4). A creation, an update in place or a deletion costs
    one more; a rotation two more (the new token first, then the deletion of the old one). When minting, each expired
    token minted by an earlier task costs one DELETE. A lost answer to the create request costs the listing again,
    the deletion of the token it created (its secret was lost with the answer) and the request again."
  - Every option is checked before the first request (scope names, expiration, name length), and the error names the
    option and the rule. An environment that does not exist is an error before any change.
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.censored_result
attributes:
  check_mode:
    support: full
    description:
      - Creates, changes and deletes no token and returns no secret; reports what a real run would do.
      - Without O(token_management_token) it mints nothing (a mint is a write), so it cannot read the token list;
        it reports the outcome as unknown (RV(unknown)), not as a change. Give O(token_management_token) to check.
  diff_mode:
    support: none
    description: The result reports differences in RV(drift).
options:
  environment_name:
    description:
      - Exact, case-sensitive name of the environment that holds the token. Several environments of that name make
        the task fail, listing their ids.
      - Exactly one of O(environment_name) and O(environment_id) is required.
    type: str
  environment_id:
    description:
      - Id of the environment that holds the token (pattern C([a-zA-Z0-9_-]{1,70})).
    type: str
  token_management_token:
    description:
      - A token of the environment with the scopes C(apiTokens.read) and C(apiTokens.write), for example the
        RV(clusterops.dynatrace.dynatrace_environment#module:token_management_token) that
        M(clusterops.dynatrace.dynatrace_environment) returns when it creates an environment (it may expire, so use it in
        the same play).
      - When not given, the module mints a short-lived one with O(api_token); see the description.
      - Never logged.
    type: str
  name:
    description:
      - Name of the API token. Compared exactly. Its longest length is the cluster's to judge (its refusal names it).
    type: str
    required: true
  scopes:
    description:
      - Scopes of the token, names of environment token scopes as Dynatrace documents them, case-sensitive (for
        example V(InstallerDownload), V(DataExport), V(metrics.ingest), V(logs.ingest), V(bizevents.ingest),
        V(openpipeline.events)). Compared as a set. A PaaS token is V(InstallerDownload) (with V(SupportAlert)).
      - Required and not empty with O(state=present). Refused before any request only when certainly wrong, that
        is a malformed name, a scope of cluster tokens such as V(ServiceProviderAPI), or V(PaaSIntegration) (no
        scope; the error points to V(InstallerDownload)).
      - Dynatrace adds scopes with its releases, so any other well-formed name is sent to the cluster; when the
        cluster refuses it (a scope newer than the cluster, a typo), the task fails with an error naming the
        option and the scope.
    type: list
    elements: str
  expiration:
    description:
      - When a new token expires. V(now+30d) (units V(m), V(h), V(d), V(w), V(M), V(y) as documented, no seconds;
        the cluster's clock applies), a date such as V(2027-01-31) or V(2027-01-31T12:00:00+01:00) (UTC when no zone is given), or a
        timestamp in UTC milliseconds. Without it the token never expires.
      - Applies when a token is created or rotated. The expiry of an existing token is not compared, except that an
        expired token is drift.
      - A date in the past or a value that cannot be parsed is an error before any request.
    type: str
  state:
    description:
      - V(present) makes the token exist; V(absent) deletes the token of that name.
    type: str
    choices: [present, absent]
    default: present
  update_existing:
    description:
      - V(true) fixes drift of an existing token in place (C(PUT)) where the API can, the token keeping its id and its
        secret (scopes, a disabled token). An expired token is replaced by a new one (as with O(rotate)).
      - V(false) (the default) reports drift in RV(drift) and changes nothing.
    type: bool
    default: false
  rotate:
    description:
      - V(true) replaces the token on every run with a new one (new secret in RV(token)) with the declared scopes and
        O(expiration). The new token is created first, then the old one is deleted, so a consumer is never without a
        valid token. Use it in a rotation playbook, not in the one that is re-run for idempotency.
      - When there is no token of that name yet, it is created as with V(false).
    type: bool
    default: false
notes:
  - The secret in RV(token) is censored whenever a result is displayed, at every verbosity, while the variable the
    task registers keeps it. Store it right away (a vault, a file of mode 0600); do not put it in facts or host
    variables.
  - When the answer to the create request is lost (timeout, dropped connection), the module lists the tokens again.
    A token of that name that was not there before was created by the lost request; its secret was lost with the
    answer, so the module deletes it and sends the request again. Never two tokens of one name from one task.
  - Idempotency is by name. A token renamed in the user interface is a different token for the module.
seealso:
  - module: clusterops.dynatrace.dynatrace_api_token_info
  - module: clusterops.dynatrace.dynatrace_environment
'''

EXAMPLES = r'''
- name: A PaaS token for the OneAgent installers of team-payments (mints its own token-management token)
  clusterops.dynatrace.dynatrace_api_token:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    environment_name: team-payments
    name: oneagent-install
    scopes: [InstallerDownload]
    expiration: now+90d
  register: paas

- name: Keep the new secret in a file only the controller user can read
  ansible.builtin.copy:
    content: "{{ paas.token }}"
    dest: "/secure/tokens/{{ paas.environment_id }}-oneagent-install.token"
    mode: "0600"
    force: false
  when: paas.token is defined
  no_log: true

- name: Create an environment, then an ingest token with the token-management token it returned
  clusterops.dynatrace.dynatrace_environment:
    name: team-search
  register: search
  no_log: true  # the result holds the new environment's token

- name: Ingest token for metrics and logs
  clusterops.dynatrace.dynatrace_api_token:
    environment_id: "{{ search.environment_id }}"
    token_management_token: "{{ search.token_management_token | default(omit) }}"
    name: ingest
    scopes: [metrics.ingest, logs.ingest]

- name: Rotate the configuration-as-code token (new secret; the old token is deleted after the new one exists)
  clusterops.dynatrace.dynatrace_api_token:
    environment_name: team-payments
    name: config-as-code
    scopes: [ReadConfig, WriteConfig, settings.read, settings.write]
    expiration: now+30d
    rotate: true
  register: rotated

- name: Delete a token
  clusterops.dynatrace.dynatrace_api_token:
    environment_name: team-payments
    name: legacy-export
    state: absent
'''

RETURN = r'''
token:
  description:
    - The secret of the token created by this task. Returned only when a token was created (or rotated), never in
      check mode. Censored on display.
  returned: when a token was created
  type: str
  sample: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
token_id:
  description: Id of the token (its public part, safe to show); after a rotation, the id of the new token.
  returned: when a token exists after the task, or was deleted
  type: str
  sample: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
api_token:
  description: The metadata of the token (never its secret), in snake_case; after a deletion, the deleted token.
  returned: when a token of that name exists, was created or deleted
  type: dict
  sample:
    id: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
    name: oneagent-install
    enabled: true
    scopes: [InstallerDownload]
    owner: admin
    creation_date: "2026-01-05T10:00:00.000Z"
    expiration_date: "2026-04-05T10:00:00.000Z"
    expired: false
drift:
  description:
    - How the existing token differs from the task (C(scopes), C(enabled), C(expired)), each with C(current) and
      C(desired). Empty when it matches or when the token was created.
  returned: always
  type: dict
  sample:
    scopes:
      current: [InstallerDownload]
      desired: [InstallerDownload, DataExport]
replaced_token_id:
  description: Id of the token a rotation deleted.
  returned: after a rotation
  type: str
  sample: dt0c01.ZYXWVUTSRQPONMLKJIHGFEDC
msg:
  description: What the task did, and why no secret is returned when none is.
  returned: always
  type: str
  sample: API token 'oneagent-install' exists with the same scopes; nothing changed.
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
  description:
    - The environment's address, C(https://<cluster>/e/<id>), as OneAgent installers and the C(dynatrace.oneagent)
      role (C(oneagent_environment_url)) expect it.
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
unknown:
  description: True in check mode without O(token_management_token), when the token list cannot be read without a write.
  returned: in that case only
  type: bool
  sample: true
expired_minted_tokens_deleted:
  description: Ids of expired token-management tokens of earlier tasks that this task deleted.
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

import time

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.api_token.ensure import ensure_api_token
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import validate_options


def argument_spec():
    return connection_argument_spec(
        environment_name=dict(type='str'),
        environment_id=dict(type='str'),
        token_management_token=dict(type='str', no_log=True),
        name=dict(type='str', required=True),
        scopes=dict(type='list', elements='str'),
        expiration=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        update_existing=dict(type='bool', default=False),
        rotate=dict(type='bool', default=False),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True,
                           required_one_of=[('environment_name', 'environment_id')],
                           mutually_exclusive=[('environment_name', 'environment_id')])
    now_ms = int(time.time() * 1000)
    run(module, lambda client: ensure_api_token(client, module.params, check_mode=module.check_mode, warn=module.warn,
                                                now_ms=now_ms),
        input_errors=validate_options(module.params, now_ms))


if __name__ == '__main__':
    main()
