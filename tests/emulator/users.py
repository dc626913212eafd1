"""Cluster API v1 users: /api/v1.0/onpremise/users (ServiceProviderAPI), and the user repository's mode.

- GET /users lists every user (no paging), GET /users/{id} one (404 unknown).
- POST /users creates (id, email, firstName and lastName required; `groups` are group **ids**, an unknown
  one is a 400; `passwordClearText` only sets the first password). A taken id is a 406 (API_NOTES), an
  email another user holds (compared without case) a 400.
- PUT /users replaces a user's email, names and groups (404 unknown id); a password there is a 400: the
  API sets a password on creation only.
- DELETE /users/{id} answers the deleted user (404 unknown id). POST /users/bulk creates several; when some
  are refused the others are still added and the answer is a 406 listing the added ones.
- No answer, log entry or control call ever holds a password: the emulator keeps a SHA-256 of it only.
- Switch `user_repository`: `internal` (default); `ldap` or `sso` make every user write a 403 ("users and
  groups are fully managed via LDAP or SSO") while reads still answer. GET /userRepository/authenticationMode
  shows LDAP for `ldap`; with `sso` (SSO with group assignment) it reads INTERNAL and ssoOnly false: the API
  has no field that tells, so only the 403 of a write does (the harsher reading).
"""

import hashlib
from typing import Optional

from fastapi import APIRouter, Depends, Request

from .access import cluster_token
from .errors import ApiError, constraints_violated, json_body, json_response
from .models import ApiModel, validate

router = APIRouter(prefix='/api/v1.0/onpremise')
provider = cluster_token('ServiceProviderAPI')
USERS = '/users'
REPOSITORIES = ('internal', 'ldap', 'sso')
EXTERNAL = 'Operation forbidden - users and groups are fully managed via LDAP or SSO'
REQUIRED = 'all required values (ID, email, first name, last name) must be set'


class UserConfig(ApiModel):
    id: Optional[str] = None
    email: Optional[str] = None
    firstName: Optional[str] = None
    lastName: Optional[str] = None
    passwordClearText: Optional[str] = None
    groups: Optional[list[str]] = None


def password_digest(password):
    return hashlib.sha256(password.encode()).hexdigest()


def shown(user):
    """A user as the API answers it: never a password."""
    return {key: (list(value) if isinstance(value, list) else value) for key, value in user.items()}


def refuse_external(emulator):
    if emulator.settings.user_repository != 'internal':
        raise ApiError(403, EXTERNAL)


def checked(emulator, body, other_than=None):
    """The stored user a body stands for, after every check but the id's."""
    if not isinstance(body, dict):
        raise ApiError(400, 'No user information received for the request.')
    found = validate(UserConfig, body)
    if found:
        raise constraints_violated(found)
    if not all(isinstance(body.get(key), str) and body[key].strip() for key in ('id', 'email', 'firstName', 'lastName')):
        raise ApiError(400, f'Operation failed: {REQUIRED}.')
    if '@' not in body['email']:
        raise ApiError(400, 'Operation failed: invalid user data (email).')
    taken = [user['id'] for user in emulator.users.values()
             if user['email'].casefold() == body['email'].casefold() and user['id'] != other_than]
    if taken:
        raise ApiError(400, f'Operation failed: user email address already assigned ({body["email"]}).')
    groups = body.get('groups') or []
    unknown = sorted(set(groups) - set(emulator.groups))
    if unknown:
        raise ApiError(400, f'Operation failed: user group ID does not exist ({unknown[0]}).')
    return {'id': body['id'], 'email': body['email'], 'firstName': body['firstName'], 'lastName': body['lastName'],
            'groups': sorted(set(groups))}


def create_one(emulator, body):
    if isinstance(body, dict) and body.get('id') in emulator.users:
        raise ApiError(406, f'Unacceptable request: user ID already exists ({body["id"]}).')
    user = checked(emulator, body)
    emulator.users[user['id']] = user
    if body.get('passwordClearText'):
        emulator.user_passwords[user['id']] = password_digest(body['passwordClearText'])
    return user


@router.get(USERS)
async def list_users(emulator=Depends(provider)):
    return json_response([shown(user) for user in sorted(emulator.users.values(), key=lambda user: user['id'])])


@router.get(USERS + '/{user_id}')
async def get_user(user_id: str, emulator=Depends(provider)):
    user = emulator.users.get(user_id)
    if user is None:
        raise ApiError(404, f'Not found: user {user_id}.')
    return json_response(shown(user))


@router.post(USERS)
async def create_user(request: Request, emulator=Depends(provider)):
    refuse_external(emulator)
    user = create_one(emulator, await json_body(request))
    emulator.save()
    return json_response(shown(user))


@router.put(USERS)
async def update_user(request: Request, emulator=Depends(provider)):
    refuse_external(emulator)
    body = await json_body(request)
    if isinstance(body, dict) and body.get('passwordClearText') is not None:
        raise ApiError(400, 'Operation failed: invalid user data (the password is set on creation only).')
    user_id = body.get('id') if isinstance(body, dict) else None
    if isinstance(user_id, str) and user_id and user_id not in emulator.users:
        raise ApiError(404, f'Not found: user {user_id}.')
    user = checked(emulator, body, other_than=user_id)
    emulator.users[user['id']] = user
    emulator.save()
    return json_response(shown(user))


@router.delete(USERS + '/{user_id}')
async def delete_user(user_id: str, emulator=Depends(provider)):
    refuse_external(emulator)
    user = emulator.users.pop(user_id, None)
    if user is None:
        raise ApiError(404, f'Not found: user {user_id}.')
    emulator.user_passwords.pop(user_id, None)
    emulator.save()
    return json_response(shown(user))


@router.post(USERS + '/bulk')
async def create_users(request: Request, emulator=Depends(provider)):
    """Every user is checked on its own; refused ones are left out and the answer is then a 406 of the added."""
    refuse_external(emulator)
    body = await json_body(request)
    if not isinstance(body, list) or not body:
        raise ApiError(400, 'Operation failed: no user information received for the create-users request.')
    ids = [item.get('id') for item in body if isinstance(item, dict)]
    emails = [str(item.get('email', '')).casefold() for item in body if isinstance(item, dict)]
    if len(set(ids)) != len(ids) or len(set(emails)) != len(emails):
        raise ApiError(400, 'Operation failed: input contains duplicated IDs or email addresses.')
    added = []
    for item in body:
        try:
            added.append(create_one(emulator, item))
        except ApiError:
            continue
    emulator.save()
    return json_response([shown(user) for user in added], 200 if len(added) == len(body) else 406)


@router.get('/userRepository/authenticationMode')
async def authentication_mode(emulator=Depends(provider)):
    provider_name = 'LDAP' if emulator.settings.user_repository == 'ldap' else 'INTERNAL'
    return json_response({'authenticationProvider': provider_name, 'authorizationProvider': provider_name,
                          'ssoOnly': False})
