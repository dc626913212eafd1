# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Ansible glue shared by every module: connection options, the client from them, and main().

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The only module_utils file that knows AnsibleModule. A module's main() is its argument spec plus
one run(module, logic, input_errors) call.
"""

import traceback

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (
    ConnectionOptionError, DynatraceClient, DynatraceError,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.errors import token_problem

# The options that hold a token: each is checked for a malformed value before any request (module.params keeps it).
TOKEN_OPTIONS = ('api_token', 'token_management_token', 'environment_api_token')

CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type='str', required=True, fallback=(env_fallback, ['DYNATRACE_URL'])),
    api_token=dict(type='str', required=True, no_log=True, fallback=(env_fallback, ['DYNATRACE_API_TOKEN'])),
    validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['DYNATRACE_VALIDATE_CERTS'])),
    ca_path=dict(type='path', fallback=(env_fallback, ['DYNATRACE_CA_PATH'])),
    timeout=dict(type='float', default=30),
    retries=dict(type='int', default=5),
)


def connection_argument_spec(**module_options):
    """Return the shared connection options merged with a module's own options."""
    spec = dict((name, dict(option)) for name, option in CONNECTION_ARGUMENT_SPEC.items())
    spec.update(module_options)
    return spec


def _ansible_version():
    try:
        from ansible.module_utils.ansible_release import __version__
    except ImportError:
        return 'unknown'
    return __version__


def client_from_module(module, token_option='api_token', **client_options):
    """Build a DynatraceClient from a module's connection options, or fail the module clearly.

    `token_option` names the option that holds the token (a module with a second token may start from it).
    `client_options` go to DynatraceClient as they are (tests pass sleep or rand).
    """
    try:
        import requests  # noqa: F401  pylint: disable=unused-import
    except ImportError:
        module.fail_json(msg=missing_required_lib('requests'), exception=traceback.format_exc())
    params = module.params
    if params['retries'] < 0:
        module.fail_json(msg='retries must be 0 or more, got %s' % params['retries'])
    options = dict(validate_certs=params['validate_certs'], ca_path=params['ca_path'], timeout=params['timeout'],
                   retries=params['retries'], warn=module.warn, ansible_version=_ansible_version())
    options.update(client_options)
    try:
        return DynatraceClient(params['url'], params[token_option], token_option=token_option, **options)
    except ConnectionOptionError as exc:
        module.fail_json(msg=str(exc))


def malformed_token_errors(params):
    """A message for each given token option whose value cannot be a token (none of the value in it)."""
    return [token_problem(params[name], name) for name in TOKEN_OPTIONS
            if params.get(name) is not None and str(params[name]).strip() and token_problem(params[name], name)]


def request_stats(client):
    """The retry counters every module reports."""
    return dict(retries=client.retry_count, waited_seconds=round(client.waited_seconds, 3))


def run(module, logic, input_errors=None, token_option='api_token'):
    """The main() every module shares: refuse bad input before any request, run, report.

    `logic(client)` returns the module result; a DynatraceError fails the module with the
    status, method, path and constraint violations as result fields. The client holds the token
    of `token_option`.
    """
    input_errors = list(input_errors or []) + malformed_token_errors(module.params)
    if input_errors:
        module.fail_json(msg='Invalid input: %s' % '; '.join(input_errors), errors=list(input_errors))
    client = client_from_module(module, token_option)
    try:
        result = logic(client)
    except DynatraceError as exc:
        module.fail_json(msg=str(exc), **dict(exc.to_result(), **request_stats(client)))
    except ConnectionOptionError as exc:
        # A second token (the environment's) is checked when its client is made, inside the logic; nothing was sent.
        module.fail_json(msg=str(exc), **request_stats(client))
    result.update(request_stats(client))
    module.exit_json(**result)
