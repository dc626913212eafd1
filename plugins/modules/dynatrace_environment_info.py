#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_environment_info
short_description: List Dynatrace Managed environments, filtered, in the shape dynatrace_environment accepts
version_added: 1.0.0
description:
  - Lists the environments (tenants) of a Dynatrace Managed cluster through the Cluster API v2, or reads one by
    O(environment_id).
  - Every page of the listing is read, never only the first one. The filters are translated to the server's filter
    grammar; what the grammar cannot express (an exact, case-sensitive name, values holding parentheses, commas,
    quotes, a backslash or a tilde) is filtered on a safe part by the server and finished on the controller.
  - Each environment is returned with the keys M(clusterops.dynatrace.dynatrace_environment) accepts
    (C(environment_id), C(name), C(enabled), C(trial), C(tags), and C(quotas) and C(storage) when asked), so a
    listing can be fed back as input, for example to copy the environments of one cluster to another.
  - "Requests per run: one per O(page_size) matching environments (with the default of 1000, a cluster of
    2500 environments costs 3 requests, and a filter that matches 10 environments costs 1). With O(environment_id),
    exactly 1 request."
  - "With O(include_consumption), O(uncached_consumption) or O(include_storage) on a listing longer than one page:
    whether the cluster's C(nextPageKey) keeps asking for quotas and storage is not published, and no other
    parameter may be sent next to it. When a later page comes without them, each environment of that page is read
    on its own with them (one more request per environment, only then, up to 10 at once), so every environment has
    what was asked for; an environment deleted in the meantime is left out. This is told from each page's answer:
    a cluster whose cursor keeps the flags costs nothing more (10,000 environments: 10 requests), one whose cursor
    drops them 1 more request per environment past the first page (10,000 environments: 10 + 9,000)."
  - Every option is checked before the first request, and the error names the option and the rule.
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
  - clusterops.dynatrace.attributes.info_module
options:
  name:
    description:
      - Only the environments whose name is exactly this, compared case-sensitively. Several environments may carry
        the same name; all of them are returned.
      - The server filters on the longest part of the name without parentheses, commas, quotes, backslash or tilde (its
        filter is a case-insensitive substring), and the exact comparison is done on the controller.
    type: str
  name_contains:
    description:
      - Only the environments whose name contains this text, case-insensitively (the server filter "name(text)").
      - A value with parentheses, commas, quotes, a backslash, a tilde or leading or trailing blanks is filtered on its
        longest safe part by the server and checked as a case-insensitive substring on the controller.
    type: str
  environment_id:
    description:
      - Read only the environment of this id (pattern C([a-zA-Z0-9_-]{1,70})), with one request.
      - An unknown id gives an empty RV(environments), not an error.
      - The other filters still apply to that environment.
    type: str
  tags:
    description:
      - Only the environments that carry every one of these tags (server filter "tag(a),tag(b)").
      - A tag holding parentheses, commas, quotes, a backslash, a tilde or leading or trailing blanks is left out of the
        server filter and checked on the controller (exact membership).
    type: list
    elements: str
  tags_any:
    description:
      - Only the environments that carry at least one of these tags (server filter "tag(a,b)"). Must not be empty.
      - When one of the tags holds a character the filter cannot carry, the whole any-of check is done on the
        controller.
    type: list
    elements: str
  enabled:
    description:
      - V(true) for enabled environments only, V(false) for disabled ones only (server filter "state(ENABLED)" or "state(DISABLED)").
    type: bool
  trial:
    description:
      - V(true) for trial environments only, V(false) for the others only (server filter "trial(true)" or "trial(false)").
    type: bool
  sort:
    description:
      - Order of RV(environments). A leading C(-) sorts descending. Without it, the server's default order.
    type: str
    choices: [name, -name, creation_date, -creation_date]
  include_consumption:
    description:
      - Return the quotas of each environment in C(quotas), in the shape of the C(quotas) option of
        M(clusterops.dynatrace.dynatrace_environment) (an unlimited limit is V(unlimited)). Usage figures are not
        returned.
      - Clusters with Dynatrace Platform Subscription (DPS) licensing refuse this (HTTP 422); the module then fails
        and says to leave it off.
    type: bool
    default: false
  uncached_consumption:
    description:
      - Like O(include_consumption), but asks the server for uncached consumption figures (slower on big clusters).
        Implies O(include_consumption).
    type: bool
    default: false
  include_storage:
    description:
      - Return the storage limits and retention of each environment in C(storage), in the shape of the C(storage)
        option of M(clusterops.dynatrace.dynatrace_environment).
    type: bool
    default: false
  page_size:
    description:
      - Environments per request, 1 to 1000. The default, 1000, needs the fewest requests.
    type: int
    default: 1000
notes:
  - The result never holds a token.
seealso:
  - module: clusterops.dynatrace.dynatrace_environment
  - module: clusterops.dynatrace.dynatrace_cluster_info
'''

EXAMPLES = r'''
- name: List the enabled production environments of the payments department
  clusterops.dynatrace.dynatrace_environment_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name_contains: prod
    tags: [department:payments]
    enabled: true
    sort: name
  register: payments

- name: Find one environment by its exact name
  clusterops.dynatrace.dynatrace_environment_info:
    url: https://dynatrace.example.com
    api_token: "{{ vault_dynatrace_cluster_token }}"
    name: Team (Payments)
  register: team

# Export every environment of one cluster, with quotas and storage, to a vars file.
# Leave include_consumption off on clusters with DPS licensing.
- name: Read every environment of the old cluster
  clusterops.dynatrace.dynatrace_environment_info:
    url: https://dynatrace-old.example.com
    api_token: "{{ vault_old_cluster_token }}"
    include_consumption: true
    include_storage: true
    sort: creation_date
  register: old_cluster

- name: Write them to a YAML vars file
  ansible.builtin.copy:
    content: "{{ {'dynatrace_environments': old_cluster.environments} | to_nice_yaml(indent=2) }}"
    dest: "{{ playbook_dir }}/vars/environments.yml"
    mode: "0644"

# Re-create them on another cluster from the file: each item holds exactly the options of
# dynatrace_environment. With keep_ids true, every environment is re-created with the same id
# (the module creates by id with a PUT upsert, and re-runs find it by id), which keeps links,
# OneAgent configurations and tokens that carry the id meaningful. With keep_ids false,
# environment_id is dropped: the new cluster picks fresh ids and re-runs find each one by name.
- name: Load the exported environments
  ansible.builtin.include_vars:
    file: "{{ playbook_dir }}/vars/environments.yml"

- name: Create each environment on the new cluster
  clusterops.dynatrace.dynatrace_environment:
    url: https://dynatrace-new.example.com
    api_token: "{{ vault_new_cluster_token }}"
    environment_id: "{{ item.environment_id if keep_ids | default(true) | bool else omit }}"
    name: "{{ item.name }}"
    enabled: "{{ item.enabled }}"
    trial: "{{ item.trial }}"
    tags: "{{ item.tags }}"
    quotas: "{{ item.quotas | default(omit) }}"
    storage: "{{ item.storage | default(omit) }}"
    create_token: false
  loop: "{{ dynatrace_environments }}"
  loop_control:
    label: "{{ item.name }}"
'''

RETURN = r'''
environments:
  description:
    - The matching environments, each with the keys M(clusterops.dynatrace.dynatrace_environment) accepts.
    - C(quotas) is present with O(include_consumption) or O(uncached_consumption), C(storage) with
      O(include_storage). An unlimited limit is V(unlimited).
  returned: always
  type: list
  elements: dict
  sample:
    - environment_id: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
      name: team-payments
      enabled: true
      trial: false
      tags: [department:payments]
      quotas:
        host_units:
          max_limit: 50
        davis_data_units:
          monthly_limit: 100000
          annual_limit: unlimited
      storage:
        service_request_level_retention:
          max_limit_in_days: 35
total_count:
  description: The number of environments in RV(environments).
  returned: always
  type: int
  sample: 1
creation_dates:
  description: The creation date of each returned environment, by id (ISO 8601 UTC, as the server sends it).
  returned: always
  type: dict
  sample:
    4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e: "2021-02-09T11:03:17.732Z"
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

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.environment.info import (
    MAX_PAGE_SIZE, SORTS, environment_info, validate_info_options,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run


def argument_spec():
    return connection_argument_spec(
        name=dict(type='str'),
        name_contains=dict(type='str'),
        environment_id=dict(type='str'),
        tags=dict(type='list', elements='str'),
        tags_any=dict(type='list', elements='str'),
        enabled=dict(type='bool'),
        trial=dict(type='bool'),
        sort=dict(type='str', choices=list(SORTS)),
        include_consumption=dict(type='bool', default=False),
        uncached_consumption=dict(type='bool', default=False),
        include_storage=dict(type='bool', default=False),
        page_size=dict(type='int', default=MAX_PAGE_SIZE),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: environment_info(client, module.params), input_errors=validate_info_options(module.params))


if __name__ == '__main__':
    main()
