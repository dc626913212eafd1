"""What a create or update may change, and how a body is merged into a stored environment.

Works on the raw JSON body (after the pydantic check) because the PUT rules depend on whether a
key was sent at all, which a parsed model cannot tell apart from an explicit null.
"""

import copy

from .defaults import quota_defaults, storage_defaults
from .errors import violation
from .models import QUOTA_LIMITS, STORAGE_LIMIT_FIELD
from .profiles import profile_violations, sent_parts


def tag_violations(body):
    """Tags are a set: a repeated tag is rejected rather than silently dropped."""
    tags = body.get('tags')
    if isinstance(tags, list) and len(tags) != len({repr(tag) for tag in tags}):
        return [violation('tags', 'must not contain duplicate tags')]
    return []


def _retention_days(body, stored, name):
    sent = sent_parts(body, 'storage').get(name)
    if isinstance(sent, dict) and 'maxLimitInDays' in sent:
        return sent['maxLimitInDays']
    current = (stored or {}).get('storage', {}).get(name) or {}
    return current.get('maxLimitInDays')


def retention_violations(body, stored):
    """Service code level retention may not exceed request level retention (compared after the merge)."""
    code = _retention_days(body, stored, 'serviceCodeLevelRetention')
    request = _retention_days(body, stored, 'serviceRequestLevelRetention')
    if isinstance(code, int) and isinstance(request, int) and code > request:
        return [violation('storage.serviceCodeLevelRetention.maxLimitInDays',
                          "Service code level retention time can't be greater than service request level retention time.")]
    return []


def policy_violations(body, stored, settings):
    """Every rule beyond the field bounds of the model."""
    return tag_violations(body) + retention_violations(body, stored) + profile_violations(body, settings)


def _merge_quotas(current, sent):
    for name, value in sent.items():
        # The trap: a sent quota sub-object replaces every limit; an omitted limit becomes unlimited.
        quota = current.get(name) or quota_defaults(name)
        for limit in QUOTA_LIMITS.get(name, ()):
            quota[limit] = value.get(limit)
        current[name] = quota


def _merge_storage(current, sent):
    for name, value in sent.items():
        # Storage only has the keep rule: an omitted limit keeps its value, an explicit null clears it.
        item = current.get(name) or storage_defaults(name)
        field = STORAGE_LIMIT_FIELD[name]
        if field in value:
            item[field] = value[field]
        current[name] = item


def apply_body(env, body):
    """Merge a validated POST/PUT body into a stored environment and return the new version.

    Basic fields are replaced as a PUT replaces a resource: an omitted trial, state or tags
    falls back to its default (the harsher reading; only quotas and storage have a documented
    keep rule). An omitted `quotas`, `storage` or sub-object keeps the current values.
    """
    env = copy.deepcopy(env)
    env['name'] = body['name']
    env['trial'] = bool(body.get('trial'))
    env['state'] = body.get('state') or 'ENABLED'
    env['tags'] = list(body.get('tags') or [])
    _merge_quotas(env['quotas'], sent_parts(body, 'quotas'))
    _merge_storage(env['storage'], sent_parts(body, 'storage'))
    return env
