#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
---
module: dynatrace_api_token_audit
short_description: Audit the API tokens of every environment of a Dynatrace Managed cluster
version_added: 1.1.0
description:
  - Reads the API tokens of every environment (or of those named in O(environments)) and reports, per environment,
    the tokens that are expired, expire within O(days), were not used for O(days) (a token never used counts from
    its creation), never expire while holding a write scope (C(*.write), C(*.ingest), C(*.create), C(*.install),
    C(WriteConfig), C(TenantTokenManagement), C(DataImport), C(LogImport), C(CaptureRequestData),
    C(ExternalSyntheticIntegration), C(RumJavaScriptTagManagement)), or manage tokens (C(apiTokens.write) or
    C(TenantTokenManagement)) and were created more than an hour ago.
  - Metadata only (id, name, owner, dates, scopes); the API never returns a secret here, and neither does the module.
  - An environment whose tokens cannot be read (a refused mint, a disabled environment, a timeout) is a row of the
    report with finding C(environment_unreadable) and the reason; a name or id in O(environments) that no
    environment carries is one too. Nothing is left out silently.
  - "Inside each environment the module mints a token-management token (named C(clusterops.dynatrace
    dynatrace_api_token_audit <UTC time>), valid for 10 minutes), lists the tokens with it and deletes it (with the
    cluster token, through the cluster tokens API), also when the listing fails; the minted token is not part of the
    report. The cluster token needs C(ServiceProviderAPI), C(EnvironmentTokenManagement) and
    C(ClusterTokenManagement). Where the cluster tokens API cannot delete an environment token, the minted tokens
    stay until they expire and one warning says in how many environments; expired tokens that earlier tasks of the
    collection minted and could not delete are deleted and left out of the report."
  - Environments are read up to O(parallel) at a time, fewer while the cluster answers 429 or 503.
  - At verbosity C(-v) the task output shows the report as a table; RV(rows) holds it as data, and O(report_file)
    writes it as CSV or JSON.
  - "Requests per run: 1 per 1,000 environments (the listing), then 3 per environment audited (the mint, the token
    listing, one per 10,000 tokens, and the deletion of the minted token), plus one per expired leftover deleted.
    500 environments: 1 + 1,500."
  - "A module of its own rather than an option of M(clusterops.dynatrace.dynatrace_api_token_info), which reads
    one environment with the full metadata of its tokens: the audit spans the cluster, runs in parallel, judges the
    tokens and writes a report, a different result for a different question."
author:
  - ClusterOps platform engineering (@clusterops)
extends_documentation_fragment:
  - clusterops.dynatrace.connection
attributes:
  check_mode:
    support: full
    description: Reads as always (minting and deleting the token-management tokens it needs); does not write O(report_file).
  diff_mode:
    support: none
    description: Changes nothing on the cluster, so there is nothing to show.
options:
  environments:
    description:
      - Names (exact, case-sensitive) or ids of the environments to audit. Empty audits every environment.
    type: list
    elements: str
    default: []
  days:
    description:
      - The horizon in days, 1 or more, of C(expiring) (expires within it) and C(unused) (not used within it).
    type: int
    default: 30
  parallel:
    description:
      - The most environments read at a time, 1 to 10; fewer while the cluster answers 429 or 503.
    type: int
    default: 10
  report_file:
    description:
      - Write the report to this file (on the host that runs the module), readable by its owner only (mode C(0600)).
        The task is changed when the file's content changed.
    type: path
  report_format:
    description:
      - C(csv) (one line per row, lists separated by spaces) or C(json) (the summary and RV(rows)). Default from the
        extension of O(report_file) (C(.json) is JSON), else C(csv). Needs O(report_file).
    type: str
    choices: [csv, json]
'''

EXAMPLES = r'''
- name: Audit the API tokens of every environment, 30 days horizon, and keep a CSV report
  clusterops.dynatrace.dynatrace_api_token_audit:
    url: https://dynatrace.example.com
    api_token: "{{ vault_cluster_token }}"
    report_file: /srv/reports/dynatrace-tokens.csv
  register: audit

- name: Fail the pipeline when a token never expires while it can write
  ansible.builtin.assert:
    that: audit.counts.never_expires_with_write_scopes == 0
    fail_msg: "{{ audit.table | join('\n') }}"

- name: Two environments, a 7 days horizon, a JSON report
  clusterops.dynatrace.dynatrace_api_token_audit:
    url: https://dynatrace.example.com
    api_token: "{{ vault_cluster_token }}"
    environments: [team-payments, team-search]
    days: 7
    report_file: /srv/reports/tokens.json
'''

RETURN = r'''
rows:
  description:
    - One row per token with at least one finding, and one per environment whose tokens could not be read, sorted by
      environment name. Each row has C(environment_id), C(environment_name), C(token_id), C(token_name), C(owner),
      C(findings) (C(expired), C(expiring), C(unused), C(never_expires_with_write_scopes),
      C(token_management_older_than_1h), C(environment_unreadable)), C(enabled), C(creation_date),
      C(expiration_date), C(last_used_date), C(scopes) and C(msg) (why an environment could not be read). Never a
      secret.
  returned: always
  type: list
  elements: dict
  sample:
    - environment_id: 4d2a9d71-2d5b-4c2e-9d0c-1b9a7a0c1f3e
      environment_name: team-payments
      token_id: dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX
      token_name: ci ingest
      owner: admin
      findings: [never_expires_with_write_scopes, unused]
      enabled: true
      creation_date: "2025-01-05T10:00:00.000Z"
      expiration_date: null
      last_used_date: null
      scopes: [metrics.ingest]
      msg: null
table:
  description: The report as aligned text lines (the first 200 rows), as the task output shows it at C(-v).
  returned: always
  type: list
  elements: str
counts:
  description: How many rows carry each finding; every finding is named, 0 included.
  returned: always
  type: dict
  sample: {"expired": 1, "expiring": 0, "unused": 3, "never_expires_with_write_scopes": 2,
           "token_management_older_than_1h": 0, "environment_unreadable": 0}
environments:
  description: How many environments were audited (with those named in O(environments) that do not exist).
  returned: always
  type: int
  sample: 500
tokens:
  description: How many tokens were read (the minted token-management tokens not counted).
  returned: always
  type: int
  sample: 1500
days:
  description: The horizon used, O(days).
  returned: always
  type: int
  sample: 30
report_file:
  description: The file the report went to.
  returned: when O(report_file) is set
  type: str
  sample: /srv/reports/dynatrace-tokens.csv
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

from ansible_collections.clusterops.dynatrace.plugins.module_utils._logic.api_token.audit import audit_errors, token_audit
from ansible_collections.clusterops.dynatrace.plugins.module_utils._glue.module import connection_argument_spec, run


def argument_spec():
    return connection_argument_spec(
        environments=dict(type='list', elements='str', default=[]),
        days=dict(type='int', default=30),
        parallel=dict(type='int', default=10),
        report_file=dict(type='path'),
        report_format=dict(type='str', choices=['csv', 'json']),
    )


def main():
    module = AnsibleModule(argument_spec=argument_spec(), supports_check_mode=True)
    run(module, lambda client: token_audit(client, module.params, module.check_mode, warn=module.warn),
        input_errors=audit_errors(module.params))


if __name__ == '__main__':
    main()
