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
  - "Requests per run: an existing environment in steady state costs 1 request (the lookup, which carries quota and
    storage information when the task manages them); a creation costs the lookup plus the create (2); an update the
    lookup plus one PUT (2); a deletion the lookup, a PUT to disable an enabled environment, and the DELETE (up to 3).
    Check mode sends the reads only."
  - Every input rule of the API (name length, id pattern, tags, ranges, code-level retention not above request-level
    retention) is checked before the first request, and the error names the option and the rule.
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
    description: Shows the managed fields before and after; never a token.
options:
  name:
    description:
      - Display name of the environment, 1 to 100 characters. Compared exactly and case-sensitively.
      - Required unless O(environment_id) is given. Required to create an environment.
      - When several environments carry this name the module fails, lists their ids and asks for O(environment_id).
    type: str
  environment_id:
    description:
      - Address the environment by id instead of by name (pattern C([a-zA-Z0-9_-]{1,70})).
      - With O(state=present) and no environment of that id, it is created with that id (PUT upsert), which makes
        creation idempotent even without a name lookup.
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
notes:
  - >-
    The token returned on creation is a secret. Register the result on a task with C(no_log: true), or store it in a
    vault right away. It is never put in C(ansible_facts), so fact caches do not persist it.
  - When the answer to a create request is lost (timeout, dropped connection), the module looks the name up again and
    adopts the environment when exactly one appeared; its token is lost with the answer, and the warning says how to
    mint a new one. It sends the create again only when no environment of that name exists. If another run creates
    the same name at that very moment, the module fails and lists both ids instead of guessing.
seealso:
  - module: clusterops.dynatrace.dynatrace_environment_info
  - module: clusterops.dynatrace.dynatrace_cluster_info
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
  register: payments
  no_log: true  # the result holds the new environment's token

- name: Keep the token in a file only the controller user can read
  ansible.builtin.copy:
    content: "{{ payments.token_management_token }}"
    dest: "/secure/tokens/{{ payments.environment_id }}.token"
    mode: "0600"
    force: false
  when: payments.token_management_token is defined
  no_log: true

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
  description: Id of the environment (null in check mode when it would be created without O(environment_id)).
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

from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment import limits_argument_spec, validate_options
from ansible_collections.clusterops.dynatrace.plugins.module_utils._environment_ensure import ensure_environment
from ansible_collections.clusterops.dynatrace.plugins.module_utils._module import connection_argument_spec, run


def argument_spec():
    return connection_argument_spec(
        name=dict(type='str'),
        environment_id=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        enabled=dict(type='bool'),
        trial=dict(type='bool'),
        tags=dict(type='list', elements='str'),
        quotas=limits_argument_spec('quotas'),
        storage=limits_argument_spec('storage'),
        create_token=dict(type='bool', default=True),
        update_existing=dict(type='bool', default=False),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), required_one_of=[('name', 'environment_id')],
                           supports_check_mode=True)
    run(module, lambda client: ensure_environment(client, module.params, check_mode=module.check_mode, warn=module.warn),
        input_errors=validate_options(module.params))


if __name__ == '__main__':
    main()
