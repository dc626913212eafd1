#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_environment
short_description: Create, update, enable, disable or delete a Dynatrace Managed environment by name
version_added: 1.0.0
description:
  - Makes one Dynatrace Managed environment (tenant) look the way the task says, through the Cluster API v2.
  - Finds the environment by its exact, case-sensitive O(name) (all pages of the listing are read; a name with
    parentheses, commas, quotes or a tilde is found too) or by O(environment_id).
  - By default it creates the environment with its quotas and storage limits only when it is absent and never
    touches an existing one; differences are reported in RV(drift). With O(update_existing=true) it brings tags,
    trial, state, quotas and storage to the declared values.
  - A new environment is created with C(PUT /api/cluster/v2/environments/{id}) under an id derived from its name (a
    UUID-5 of the exact name under a namespace fixed by the collection), unless O(environment_id) gives one. A create
    request sent again after a lost answer, or a concurrent run creating the same name, lands on the same id, and
    the cluster answers it as an update instead of making a second environment.
  - "Requests per run: an existing environment in steady state costs 1 request (the lookup by name, or the GET by id;
    it carries quota and storage information when the task manages them); a creation costs 3: the lookup, the GET of
    the id it will get, and the PUT (with O(environment_id): the GET, the lookup of the name, the PUT), and 2 with
    O(name_lookup=false); an update the lookup plus one PUT (2), a rename with O(rename=true) one lookup more (3);
    a deletion the lookup, a PUT to disable an enabled environment, and the DELETE (up to 3). A cluster that refuses
    the id of a deleted environment costs one request more on a creation (its refusal, then a POST: 4). Check mode
    sends the reads only. An update whose PUT finds the environment deleted since the read (it answers 201: the PUT
    re-created it) costs 2 more, the disabling and the deletion of that copy, and fails. The
    P(clusterops.dynatrace.environments#role) role and M(clusterops.dynatrace.dynatrace_environments) read every
    environment once and create with one PUT each: the listing plus 1 request per new environment."
  - Every input rule of the API (name length, id pattern, tags, ranges, 64-bit limits, code-level retention not above
    request-level retention) and the shape of O(quotas) and O(storage) are checked before the first request, and the
    error names the option and the rule.
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.censored_result
attributes:
  check_mode:
    support: full
    description: Sends no write request and reports the same C(changed) and C(diff) as a real run.
  diff_mode:
    support: full
    description:
      - Shows the managed fields before and after; never a token.
      - A creation that returns a token is displayed censored, its diff included; C(--check --diff) shows it.
options:
  name:
    description:
      - Display name of the environment, 1 to 100 characters. Compared exactly and case-sensitively.
      - Required unless O(environment_id) is given. Required to create an environment.
      - When several environments carry this name the module fails, lists their ids and asks for O(environment_id).
      - With O(environment_id) both must name the same environment; when they do not, the module fails before any
        write and names both, unless O(rename=true).
    type: str
  environment_id:
    description:
      - Address the environment by id instead of by name (pattern C([a-zA-Z0-9_-]{1,70})).
      - With O(state=present) and no environment of that id, it is created with that id (PUT upsert). When another
        environment already carries O(name), the module fails before any write and names it; it never makes a
        second environment of a name.
      - When both O(environment_id) and O(name) are given and the environment of that id carries another name, the
        module fails before any write, naming both (also with O(state=absent), which then deletes nothing), unless
        O(rename=true).
    type: str
  state:
    description:
      - V(present) creates the environment when it is absent.
      - V(absent) disables the environment when it is enabled, then deletes it. Deleting destroys its data.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether the environment is enabled. A new environment is enabled unless this is V(false).
      - On an existing environment it is only compared when given, and only changed with O(update_existing=true).
    type: bool
  trial:
    description:
      - Whether the environment is a trial environment. A new environment is not a trial unless this is V(true).
    type: bool
  tags:
    description:
      - Tags of the environment, each at most 100 characters, no tag twice. Compared as a set.
    type: list
    elements: str
  quotas:
    description:
      - License quotas of the environment. Each limit accepts an integer (0 or more) or V(unlimited).
      - A limit that is omitted or null is not managed. It keeps its current value, and on creation the
        cluster's default applies.
      - Changing one limit of a quota sends every limit of that quota, taken from a fresh read, because the API sets
        a limit left out of a sent quota to unlimited.
      - Quotas do not exist on clusters with Dynatrace Platform Subscription (DPS) licensing, and some quotas are
        refused when the license lacks the feature (DEM, Synthetic, Log Monitoring). The module then fails and names
        every refused field by its option; it never drops a field silently.
      - A value that is not a dict of known entries, each a dict of its limits, and a limit above the largest
        64-bit integer (9223372036854775807), fail before any request with a message naming the option path.
    type: dict
    suboptions:
      host_units:
        description: Host units quota.
        type: dict
        suboptions:
          max_limit:
            description: Concurrent host units.
            type: raw
      dem_units:
        description: Digital experience monitoring (DEM) units quota.
        type: dict
        suboptions:
          monthly_limit:
            description: DEM units per month.
            type: raw
          annual_limit:
            description: DEM units per year.
            type: raw
      user_sessions:
        description: User sessions quota.
        type: dict
        suboptions:
          total_monthly_limit:
            description: User sessions per month.
            type: raw
          total_annual_limit:
            description: User sessions per year.
            type: raw
      synthetic_monitors:
        description: Synthetic monitor actions quota.
        type: dict
        suboptions:
          monthly_limit:
            description: Synthetic actions per month.
            type: raw
          annual_limit:
            description: Synthetic actions per year.
            type: raw
      custom_metrics:
        description: Custom metrics quota (clusters without Davis data units).
        type: dict
        suboptions:
          max_limit:
            description: Concurrent custom metrics.
            type: raw
      davis_data_units:
        description: Davis data units quota.
        type: dict
        suboptions:
          monthly_limit:
            description: Davis data units per month.
            type: raw
          annual_limit:
            description: Davis data units per year.
            type: raw
      log_monitoring:
        description: Log Monitoring quota (classic Log Monitoring licenses).
        type: dict
        suboptions:
          monthly_limit:
            description: Log Monitoring units per month.
            type: raw
          annual_limit:
            description: Log Monitoring units per year.
            type: raw
  storage:
    description:
      - Storage limits (bytes), retention (days) and traffic limits of the environment.
      - A setting that is omitted or null is not managed and keeps its current value (on creation, the cluster's default).
      - A value that is not a dict of known entries, each a dict of its limits, and a limit above the largest
        64-bit integer (9223372036854775807), fail before any request with a message naming the option path.
      - The cluster version decides which settings exist. From Cluster API 1.326 on there is no Log Monitoring storage
        (C(log_monitoring_retention), C(log_monitoring_storage)); older clusters have no
        C(rum_non_aggregated_data_retention). A setting the cluster lacks fails the task naming the option and the
        cluster version, which one more request reads after the refusal.
    type: dict
    suboptions:
      transaction_storage:
        description: Transaction storage.
        type: dict
        suboptions:
          max_limit:
            description:
              - Bytes, 1 or more, or V(unlimited).
              - 0 is refused because some clusters report an unlimited limit as 0, so 0 cannot be told from V(unlimited).
            type: raw
      session_replay_storage:
        description: Session replay storage.
        type: dict
        suboptions:
          max_limit:
            description:
              - Bytes, 1 or more, or V(unlimited).
              - 0 is refused because some clusters report an unlimited limit as 0, so 0 cannot be told from V(unlimited).
            type: raw
      symbol_files_from_mobile_apps:
        description: Storage of symbol files from mobile apps.
        type: dict
        suboptions:
          max_limit:
            description:
              - Bytes, 1 or more, or V(unlimited).
              - 0 is refused because some clusters report an unlimited limit as 0, so 0 cannot be told from V(unlimited).
            type: raw
      log_monitoring_storage:
        description: Log monitoring storage (needs Log Monitoring on the license and cluster).
        type: dict
        suboptions:
          max_limit:
            description:
              - Bytes, 1 or more, or V(unlimited).
              - 0 is refused because some clusters report an unlimited limit as 0, so 0 cannot be told from V(unlimited).
            type: raw
      service_request_level_retention:
        description: Retention of service request level data.
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 1 to 365.
            type: raw
      service_code_level_retention:
        description: Retention of service code level data; at most the service request level retention.
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 1 to 365, not above the request level retention.
            type: raw
      real_user_monitoring_retention:
        description: Retention of real user monitoring data.
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 1 to 35.
            type: raw
      synthetic_monitoring_retention:
        description: Retention of synthetic monitoring data.
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 1 to 35.
            type: raw
      session_replay_retention:
        description: Retention of session replay data.
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 1 to 35.
            type: raw
      rum_non_aggregated_data_retention:
        description: Retention of non-aggregated real user monitoring data (newer clusters).
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 1 to 365.
            type: raw
      log_monitoring_retention:
        description: Retention of Log Monitoring data (older clusters with classic Log Monitoring).
        type: dict
        suboptions:
          max_limit_in_days:
            description: Days, 5 to 90.
            type: raw
      user_actions_per_minute:
        description: User actions generated per minute.
        type: dict
        suboptions:
          max_limit:
            description: 1 to 2147483646, or V(unlimited).
            type: raw
      transaction_traffic_quota:
        description: Newly monitored entry point PurePaths captured per process and minute.
        type: dict
        suboptions:
          max_limit:
            description: 100 to 100000.
            type: raw
  create_token:
    description:
      - Ask for a token-management token when the environment is created, and return it in RV(token_management_token).
      - The token can create further tokens in the new environment (scopes C(apiTokens.read), C(apiTokens.write),
        C(TenantTokenManagement)). Treat it as a secret.
      - Pass it to M(clusterops.dynatrace.dynatrace_api_token) as
        O(clusterops.dynatrace.dynatrace_api_token#module:token_management_token) to create the API tokens the
        environment needs (a PaaS token, ingest tokens) in the same play (it may expire). When the
        environment already existed there is no such token, and that module mints a short-lived one itself.
    type: bool
    default: true
  update_existing:
    description:
      - V(false) (the default) creates the environment only when it is absent and never changes an existing one;
        differences from the declared values are reported in RV(drift).
      - V(true) brings O(enabled), O(trial), O(tags), O(quotas) and O(storage) of an existing environment to the declared
        values, sending only what differs.
    type: bool
    default: false
  rename:
    description:
      - With O(environment_id) and O(name), and an environment of that id that carries another name, V(true) renames it
        to O(name) (with O(update_existing=true); otherwise the new name is reported in RV(drift)). Fails when another
        environment already carries O(name).
      - V(false) (the default) fails instead, naming both, before any write.
    type: bool
    default: false
  allow_duplicate_name:
    description:
      - With O(environment_id), V(true) creates that environment even when another environment already carries
        O(name), making a second environment of the name (as a copy of a cluster whose environments share a name
        needs; the export of the environments role sets it on such items).
      - V(false) (the default) fails before any write instead, naming the environment that carries the name.
      - Only with O(environment_id) - without one, a second environment of a name could not be told apart.
    type: bool
    default: false
  name_lookup:
    description:
      - V(false) skips the lookup of O(name) before a creation, for a caller that has just read every environment of
        the cluster and found none of that name (as the P(clusterops.dynatrace.environments#role) role of 1.0.0 did;
        the role now runs M(clusterops.dynatrace.dynatrace_environments)). A creation then costs 2 requests, the GET of
        its id and the PUT.
      - An environment of that name made in between by a concurrent run of this collection is still found (it has
        the same id); one made in between by a person or another tool is not, and a second environment of the name
        would be created. Leave it V(true) unless you have just read the environments yourself.
      - Only for O(state=present).
    type: bool
    default: true
notes:
  - >-
    The token returned on creation is a secret. The result of a task that returns one is displayed censored at every
    verbosity (only C(changed) shows), while the registered variable keeps the token for the tasks that store it;
    those tasks need C(no_log: true) themselves. It is never put in C(ansible_facts), so fact caches do not persist
    it. A result without a token (no creation, O(create_token=false), check mode, a failure) is displayed as usual,
    with the secret part of any token a message quotes masked.
  - >-
    When the answer to a create request is lost (timeout, dropped connection), the PUT is sent again, which is
    safe because it is idempotent. When that second request finds the environment made by the first (or by a
    concurrent run), the module adopts it and, with O(create_token=true), warns that the token came back in the
    other answer only and says how to mint a new one. When every attempt goes unanswered, the module fails and says
    that running it again is safe.
  - >-
    A person who renamed an environment this module created under a name is not overruled: creating the old name
    again fails, naming the environment and its new name, and neither renames it back nor creates a second one.
  - >-
    A cluster that refuses to reuse the id of a deleted environment (a name deleted and created again) gets a POST
    instead, with a warning. After a lost POST answer the module looks the name up again and adopts the environment
    when exactly one appeared; it sends the create again only when none did, and fails listing both ids when a
    concurrent run made one at the same moment.
seealso:
  - module: clusterops.dynatrace.dynatrace_environment_info
  - module: clusterops.dynatrace.dynatrace_cluster_info
  - module: clusterops.dynatrace.dynatrace_api_token
'''

EXAMPLES = r'''
- name: Create the team environment with quotas and storage when it is absent
  clusterops.dynatrace.dynatrace_environment:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: team-payments
    tags: [department:finance, owner:payments]
    quotas:
      host_units:
        max_limit: 50
      davis_data_units:
        monthly_limit: 100000
        annual_limit: unlimited
    storage:
      transaction_storage:
        max_limit: 107374182400
      service_request_level_retention:
        max_limit_in_days: 35
      service_code_level_retention:
        max_limit_in_days: 10
  register: payments  # holds the new token; its display is censored

- name: Keep the token in a file only the controller user can read
  ansible.builtin.copy:
    content: "{{ payments.token_management_token }}"
    dest: "/secure/tokens/{{ payments.environment_id }}.token"
    mode: "0600"
    force: false
  when: payments.token_management_token is defined
  no_log: true

- name: A PaaS token in the new environment, with the token returned on creation (minted when it already existed)
  clusterops.dynatrace.dynatrace_api_token:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    environment_id: "{{ payments.environment_id }}"
    token_management_token: "{{ payments.token_management_token | default(omit) }}"
    name: oneagent-paas
    scopes: [InstallerDownload]
  register: payments_paas

- name: Bring quotas of an existing environment to the declared values
  clusterops.dynatrace.dynatrace_environment:
    name: team-payments
    update_existing: true
    quotas:
      host_units:
        max_limit: 80
  module_defaults:
    group/clusterops.dynatrace.dynatrace:
      url: https://dynatrace.example.com
      api_token: "{{ vault_dynatrace_cluster_token }}"

- name: Disable an environment
  clusterops.dynatrace.dynatrace_environment:
    name: team-legacy
    enabled: false
    update_existing: true

- name: Create or find an environment by a fixed id (idempotent without a name lookup)
  clusterops.dynatrace.dynatrace_environment:
    environment_id: team-search
    name: Team search
    create_token: false

- name: Delete an environment (disabled first when enabled)
  clusterops.dynatrace.dynatrace_environment:
    name: team-legacy
    state: absent
'''

RETURN = r'''
environment_id:
  description:
    - Id of the environment. In check mode, for an environment that would be created, the id it would get.
  returned: always
  type: str
  sample: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
environment:
  description:
    - The environment in the shape of this module's options, after the task (in check mode, as it would be).
    - Quotas and storage are included when the task manages them. An unlimited limit is V(unlimited).
    - Empty after deletion.
  returned: always
  type: dict
  sample:
    environment_id: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
    name: team-payments
    enabled: true
    trial: false
    tags: [department:finance]
    quotas:
      host_units:
        max_limit: 50
token_management_token:
  description:
    - The token-management token of a newly created environment. Secret.
    - Returned only when the environment was created in this run and O(create_token=true).
    - Feeds O(clusterops.dynatrace.dynatrace_api_token#module:token_management_token).
    - A result that holds it is displayed censored; the registered variable keeps it.
  returned: when created with create_token
  type: str
  sample: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.****
drift:
  description:
    - The differences between the declared and the current values of an existing environment, by option path.
    - With O(update_existing=false) nothing was changed; with V(true) they were applied and this is empty.
  returned: always
  type: dict
  sample:
    quotas.host_units.max_limit:
      current: 50
      desired: 80
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

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import section_argument_spec, validate_options
from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.environment.ensure import ensure_environment, option_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run


def argument_spec():
    return connection_argument_spec(
        name=dict(type='str'),
        environment_id=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        enabled=dict(type='bool'),
        trial=dict(type='bool'),
        tags=dict(type='list', elements='str'),
        quotas=section_argument_spec(),
        storage=section_argument_spec(),
        create_token=dict(type='bool', default=True),
        update_existing=dict(type='bool', default=False),
        rename=dict(type='bool', default=False),
        allow_duplicate_name=dict(type='bool', default=False),
        name_lookup=dict(type='bool', default=True),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), required_one_of=[('name', 'environment_id')],
                           supports_check_mode=True)
    run(module, lambda client: ensure_environment(client, module.params, check_mode=module.check_mode, warn=module.warn),
        input_errors=validate_options(module.params) + option_errors(module.params))


if __name__ == '__main__':
    main()
