# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The logic of the clusterops.dynatrace.environments inventory: check the options, list, key the cache.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The inventory plugin is Ansible glue around this file: it reads its options, calls settings_errors()
before any request, then make_client() and fetch_environments(), and builds hosts with
_inventory_hosts. No Ansible import here.
"""

import hashlib
import json

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import environments as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.filters import build_query, finish
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import (  # noqa: F401 (re-exported)
    ConnectionOptionError, DynatraceClient, DynatraceError, normalize_url,
)
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.options import timeout_error
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.inventory_hosts import (
    HOSTNAME_SOURCES, filter_errors, filter_params,
)

# The inventory plugin catches these; it imports nothing below this layer itself.
__all__ = ('ConnectionOptionError', 'DynatraceError', 'cache_fingerprint', 'fetch_environments', 'make_client',
           'settings_errors', 'unknown_option_errors')

# The version of what the cache holds: a change of its shape must not read an old entry.
CACHE_FORMAT = 1


def settings_errors(settings):
    """The input errors of the inventory options (a dict of them), each naming the option and the rule."""
    errors = []
    if not settings.get('url'):
        errors.append('url is required: set url in the inventory file or the environment variable DYNATRACE_URL')
    else:
        try:
            normalize_url(settings['url'])
        except ConnectionOptionError as exc:
            errors.append(str(exc))
    if not settings.get('api_token') or not str(settings['api_token']).strip():
        errors.append('api_token is required: set the environment variable DYNATRACE_API_TOKEN (or api_token in '
                      'the inventory file, vault-encrypted)')
    if settings.get('hostname_source') not in HOSTNAME_SOURCES:
        errors.append('hostname_source must be one of %s, got %r'
                      % (', '.join(HOSTNAME_SOURCES), settings.get('hostname_source')))
    if settings.get('timeout') is not None and timeout_error(settings['timeout']):
        errors.append(timeout_error(settings['timeout']))
    if settings.get('retries') is not None and settings['retries'] < 0:
        errors.append('retries must be 0 or more, got %s' % settings['retries'])
    errors.extend(filter_errors(settings.get('filters')))
    return errors


def unknown_option_errors(given, known):
    """An error naming the top-level keys of the inventory file that are no option (a typo such as `filter:` would
    otherwise be ignored, and every environment listed), with the valid ones."""
    unknown = sorted(str(key) for key in given if key not in known)
    if not unknown:
        return []
    plural = 's' if len(unknown) > 1 else ''
    return ['unknown option%s %s; the options are %s' % (plural, ', '.join(unknown), ', '.join(sorted(known)))]


def make_client(settings, warn=None, ansible_version='unknown'):
    """The DynatraceClient of the inventory options; raises ConnectionOptionError (or ImportError without requests)."""
    return DynatraceClient(settings['url'], settings['api_token'], validate_certs=settings.get('validate_certs', True),
                           ca_path=settings.get('ca_path'), timeout=settings.get('timeout') or 30,
                           retries=5 if settings.get('retries') is None else settings['retries'], warn=warn,
                           ansible_version=ansible_version)


def fetch_environments(client, settings):
    """Every environment the filters select: the server filters what its grammar can say, the rest is finished here.

    One request per 1000 matching environments (2,500 environments: 3 requests).
    """
    query = build_query(filter_params(settings.get('filters')))
    environments = []
    for page in api.iter_environment_pages(client, filter_expression=query.filter_expression,
                                           include_consumption=bool(settings.get('include_quotas')),
                                           include_storage=bool(settings.get('include_storage'))):
        environments.extend(page['environments'])
    return finish(environments, query.criteria)


def cache_fingerprint(settings):
    """What the cached listing depends on: cluster, filters and include flags (never the token).

    Part of the cache key, so that another cluster or other filters never read a stale entry.
    """
    base_url, dummy = normalize_url(settings['url'])
    described = dict(format=CACHE_FORMAT, url=base_url, filters=settings.get('filters') or {},
                     include_quotas=bool(settings.get('include_quotas')),
                     include_storage=bool(settings.get('include_storage')))
    text = json.dumps(described, sort_keys=True, default=str)
    return hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]
