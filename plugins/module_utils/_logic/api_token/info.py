# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""dynatrace_api_token_info's logic: the API tokens of one environment, metadata only.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Request budget: the environment lookup and one listing per 10000 tokens (2 for almost every environment);
when the module mints its token-management token, also the mint and its deletion (4).
"""

import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._api import tokens as api
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import LIST_FIELDS, token_view
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps.token_session import (
    TokenSession, environment_url, locate_environment,
)


def api_token_info(cluster, params, warn=None, now_ms=None, check_mode=False):
    """Run one dynatrace_api_token_info task; return the module result (without request counters)."""
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    environment = locate_environment(cluster, params)
    env_id = environment['id']
    session = TokenSession(cluster, env_id, params.get('token_management_token'), 'dynatrace_api_token_info', warn)
    deleted = []
    with session:
        tokens = api.list_api_tokens(session.client, env_id, LIST_FIELDS)
        tokens = api.completed(session.client, env_id, tokens,
                               lambda token: params.get('name') is None or token.get('name') == params['name'])
        if session.minted:
            session.note_listing(tokens)
            if not check_mode:
                # What the warning of an earlier task promised: its minted token, expired, goes now.
                deleted = session.delete_expired_leftovers(tokens)
    tokens = [token for token in tokens if token.get('id') not in deleted]
    # The token minted to read the list is this task's own tool, not part of the environment's tokens.
    shown = [token_view(token, now_ms) for token in tokens if not session.is_minted(token)]
    if params.get('name') is not None:
        shown = [token for token in shown if token.get('name') == params['name']]
    result = dict(changed=False, environment_id=env_id, environment_name=environment.get('name'),
                  environment_url=environment_url(cluster, env_id), api_tokens=shown)
    if session.minted:
        result.update(minted_token_management_token=session.minted_result(), expired_minted_tokens_deleted=deleted)
    return result
