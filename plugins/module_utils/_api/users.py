# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cluster API v1 users and the user repository's mode: one function per Dynatrace call, the client first.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

What an answer means is decided here, once: a 403 on a user write is a cluster whose users LDAP or
SSO manage (ExternalUsersError, one message), a 406 on a create is a taken id (UserIdTakenError),
a 404 on a read or a delete is an absent user. No function returns or raises a password: a create
body may hold one, and nothing of a body goes into an error message.
"""

from urllib.parse import quote

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import SCOPE_SERVICE_PROVIDER, DynatraceError

USERS_PATH = '/api/v1.0/onpremise/users'
AUTHENTICATION_MODE_PATH = '/api/v1.0/onpremise/userRepository/authenticationMode'
EXTERNAL_USERS = ('the users of this cluster are managed by LDAP or SSO (the user repository is external), so they '
                  'cannot be created, changed or deleted through the API; manage them in the directory, or switch '
                  'the cluster to its internal user repository')
SCOPE_HINT = ' The API token needs the scope'  # what the transport adds to every 403; not the cluster's words


class ExternalUsersError(DynatraceError):
    """The cluster's users are managed by LDAP or SSO: every user write is refused (403).

    Its text is the one message alone (status, method and path stay in the result fields).
    """

    def __str__(self):
        return self.message


class UserIdTakenError(DynatraceError):
    """POST /users answered 406 (a taken id) or 400 "already": a user of that id or email exists (maybe new)."""


def user_path(user_id):
    return '%s/%s' % (USERS_PATH, quote(str(user_id), safe=''))


def _check_user(value, method, path):
    """An answer that should be a user is one (a dict with a non-empty string id), or a clear error."""
    if not isinstance(value, dict) or not isinstance(value.get('id'), str) or not value['id']:
        shape = 'nothing' if value is None else 'a %s' % type(value).__name__
        raise DynatraceError('the answer holds %s where a user with an "id" was expected' % shape,
                             status=200, method=method, path=path)
    return dict((key, item) for key, item in value.items() if key != 'passwordClearText')


def _write(client, method, path, body=None):
    """One user write; a 403 is the external user repository, said once and plainly."""
    try:
        return client.request(method, path, json_body=body, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        answered = (exc.message or '').split(SCOPE_HINT)[0].strip()
        if exc.status == 403 and any(word in answered.lower() for word in ('ldap', 'sso', 'managed')):
            raise ExternalUsersError('%s (the cluster answered: %s)' % (EXTERNAL_USERS, answered),
                                     status=403, method=method, path=path)
        raise


def list_users(client):
    """GET /users: every user of the cluster (the API has no paging and no filter)."""
    answer = client.request('GET', USERS_PATH, scope=SCOPE_SERVICE_PROVIDER).body
    if not isinstance(answer, list):
        raise DynatraceError('the user list answer is not a list', status=200, method='GET', path=USERS_PATH)
    return [_check_user(user, 'GET', USERS_PATH) for user in answer]


def get_user(client, user_id):
    """GET /users/{id}: the user, or None when the id does not exist (404)."""
    path = user_path(user_id)
    try:
        answer = client.request('GET', path, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        if exc.status == 404:
            return None
        raise
    return _check_user(answer, 'GET', path)


def create_user(client, body):
    """POST /users with a UserConfig (a first password may be in it): the created user as answered, or None.

    Raises UserIdTakenError on 406, ExternalUsersError on 403, ResponseLostError when the outcome is unknown.
    """
    try:
        answer = _write(client, 'POST', USERS_PATH, body)
    except ExternalUsersError:
        raise
    except DynatraceError as exc:
        if exc.status == 406 or (exc.status == 400 and 'already' in (exc.message or '').lower()):
            # 406 is the taken id; a cluster that checks the email first answers 400 for the same race.
            raise UserIdTakenError('a user with id %r or email %r exists already (%s)'
                                   % (body.get('id'), body.get('email'), exc.message),
                                   status=exc.status, method='POST', path=USERS_PATH)
        raise
    return _check_user(answer, 'POST', USERS_PATH) if answer is not None else None


def update_user(client, body):
    """PUT /users with the whole UserConfig (never a password): the user as answered, or None for an empty answer."""
    try:
        answer = _write(client, 'PUT', USERS_PATH, body)
    except ExternalUsersError:
        raise
    except DynatraceError as exc:
        if exc.status == 404:
            exc.message = 'user %r was deleted after it was read; run the task again (%s)' % (body.get('id'), exc.message)
        raise
    return _check_user(answer, 'PUT', USERS_PATH) if answer is not None else None


def delete_user(client, user_id):
    """DELETE /users/{id}: True when deleted, False when it did not exist (404)."""
    try:
        _write(client, 'DELETE', user_path(user_id))
    except ExternalUsersError:
        raise
    except DynatraceError as exc:
        if exc.status == 404:
            return False
        raise
    return True


def users_are_external(client):
    """True when GET /userRepository/authenticationMode names LDAP; None when the cluster does not say.

    SSO with group assignment shows in no field of that answer: only the 403 of a write tells it.
    """
    try:
        answer = client.request('GET', AUTHENTICATION_MODE_PATH, scope=SCOPE_SERVICE_PROVIDER).body
    except DynatraceError as exc:
        if exc.status in (403, 404):
            return None
        raise
    if not isinstance(answer, dict):
        return None
    return 'LDAP' in (answer.get('authenticationProvider'), answer.get('authorizationProvider'))
