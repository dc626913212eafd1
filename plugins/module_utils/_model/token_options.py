# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API tokens of an environment as dynatrace_api_token and dynatrace_api_token_info see them: the pure model.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The rules of the options (name, scopes, expiration),
the expiration grammar of the Environment API v2, the snake_case view of a token's metadata and the
drift between an existing token and the task. No client and no request here; the clock comes in as
`now_ms` so that every rule can be tested.
"""

import calendar
import re
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import ENVIRONMENT_SCOPE, name_errors as api_name_errors
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.case import camel_to_snake
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.environment import ENVIRONMENT_ID_PATTERN

# Relative dates: the units the API documents (m h d w M y); there is no unit for seconds.
RELATIVE = re.compile(r'^now\+([1-9][0-9]{0,5})([mhdwMy])$')
ISO = re.compile(r'^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(Z|[+-]\d\d:?\d\d)?$')
EXPIRATION_HELP = ('use now+<N><unit> (unit m, h, d, w, M or y; for example now+30d), a date such as 2027-01-31 or '
                   '2027-01-31T12:00:00+01:00 (UTC without a zone), or a timestamp in UTC milliseconds')
# The fields of a token the listing is asked for (the default set lacks scopes and dates).
LIST_FIELDS = '+scopes,+expirationDate,+lastUsedDate,+lastUsedIpAddress,+modifiedDate,+personalAccessToken'


def iso_to_ms(text):
    """Epoch milliseconds of an ISO date (the API's yyyy-MM-ddTHH:mm:ss.SSSZ, or what a user writes); ValueError."""
    match = ISO.match(text.strip())
    if not match:
        raise ValueError('not a date')
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    fields = (int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if not (1 <= fields[1] <= 12 and 1 <= fields[2] <= calendar.monthrange(fields[0], fields[1])[1]
            and fields[3] < 24 and fields[4] < 60 and fields[5] < 60):
        raise ValueError('not a valid date')
    seconds = calendar.timegm(fields + (0, 0, 0))
    if zone and zone != 'Z':
        digits = zone[1:].replace(':', '')
        offset = int(digits[:2]) * 3600 + int(digits[2:]) * 60
        seconds -= offset if zone[0] == '+' else -offset
    return seconds * 1000 + int((fraction or '0').ljust(3, '0')[:3])


def expiration_value(text, now_ms):
    """What to send as expirationDate for the `expiration` option (None for none); ValueError saying why not.

    A relative value is sent as it is (the cluster's clock applies it); a date is sent in UTC without a zone,
    the form the API documents as UTC.
    """
    if text is None:
        return None
    text = str(text).strip()
    if RELATIVE.match(text):
        return text
    if text.isdigit():
        moment = int(text)
    else:
        try:
            moment = iso_to_ms(text)
        except ValueError:
            raise ValueError('expiration %r cannot be parsed: %s' % (text, EXPIRATION_HELP))
    if moment <= now_ms:
        raise ValueError('expiration %r is in the past: a token must expire in the future' % text)
    if text.isdigit():
        return text
    seconds, millis = divmod(moment, 1000)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03d' % (tuple(_utc_fields(seconds)) + (millis,))


def _utc_fields(seconds):
    parts = time.gmtime(seconds)
    return parts.tm_year, parts.tm_mon, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec


def scope_errors(scopes, required):
    """Errors of the `scopes` option: required and not empty for a token that may be created; only names that are
    certainly wrong are refused here (the shared rule of api_names), the cluster decides on the rest."""
    if not scopes:
        return ['scopes must name at least one scope (for example [InstallerDownload])'] if required else []
    return api_name_errors(ENVIRONMENT_SCOPE, 'scopes', scopes)


def name_errors(name):
    """The token name must not be empty; its longest length is the cluster's to say."""
    if name is None or not str(name).strip():
        return ['name must not be empty']
    return []


def environment_errors(params):
    environment_id = params.get('environment_id')
    if environment_id is not None and not ENVIRONMENT_ID_PATTERN.match(environment_id):
        return ['environment_id %r does not match [a-zA-Z0-9_-]{1,70}' % environment_id]
    if params.get('environment_name') is not None and not params['environment_name'].strip():
        return ['environment_name must not be empty']
    return []


def validate_options(params, now_ms):
    """Every input error of a dynatrace_api_token task, before any request."""
    errors = environment_errors(params) + name_errors(params.get('name'))
    present = params.get('state', 'present') == 'present'
    errors += scope_errors(params.get('scopes'), required=present)
    if present:
        try:
            expiration_value(params.get('expiration'), now_ms)
        except ValueError as exc:
            errors.append(str(exc))
    return errors


def create_body(params, now_ms):
    """The POST /apiTokens body of the task (scopes sorted, without repeats)."""
    body = dict(name=params['name'], scopes=sorted(set(params['scopes'])))
    expiration = expiration_value(params.get('expiration'), now_ms)
    if expiration is not None:
        body['expirationDate'] = expiration
    return body


def is_expired(api_token, now_ms):
    expiration = api_token.get('expirationDate')
    if not expiration:
        return False
    try:
        return iso_to_ms(str(expiration)) <= now_ms
    except ValueError:
        return False


def token_view(api_token, now_ms):
    """A token's metadata in snake_case, scopes sorted, with `expired`; never a secret (the API sends none here)."""
    view = dict((camel_to_snake(key), value) for key, value in api_token.items() if key != 'token')
    view['scopes'] = sorted(api_token.get('scopes') or [])
    view['expired'] = is_expired(api_token, now_ms)
    return view


def token_drift(api_token, scopes, now_ms):
    """How an existing token differs from the task: scopes (as sets), disabled, expired. Empty when it matches."""
    drift = {}
    current, desired = sorted(set(api_token.get('scopes') or [])), sorted(set(scopes or []))
    if current != desired:
        drift['scopes'] = dict(current=current, desired=desired)
    if api_token.get('enabled') is False:
        drift['enabled'] = dict(current=False, desired=True)
    if is_expired(api_token, now_ms):
        drift['expired'] = dict(current=True, desired=False)
    return drift


# Anything but letters, digits, dot, dash and underscore is written as %XX (UTF-8 bytes), so that two names never
# share a file (`log ingest` is log%20ingest, `log_ingest` stays as it is); names without such characters keep the
# file names of release 1.0.0.
_UNSAFE_FILE_CHARACTERS = re.compile(r'[^A-Za-z0-9._-]')


def token_file_name(environment_id, token_name=None):
    """The file of a secret in the token folder: <environment id>.token (the environment's token-management token)
    or <environment id>.<token name>.token."""
    if token_name is None:
        return '%s.token' % environment_id
    encoded = _UNSAFE_FILE_CHARACTERS.sub(lambda match: ''.join('%%%02X' % byte for byte in match.group(0).encode('utf-8')),
                                          token_name)
    return '%s.%s.token' % (environment_id, encoded)
