"""Cluster API v1 user groups: /api/v1.0/onpremise/groups (ServiceProviderAPI).

- POST creates (the id empty or absent; 406 when a group of that name exists, compared without case),
  PUT replaces the whole group by its id (406 for an unknown id), DELETE answers the deleted group.
- accessRight maps a permission to environment ids; an unknown id is a 400 "At least one of the
  specified environments doesn't exist". The server adds VIEWER for every environment that has any
  permission, and (switch `implied_view_security_problems`) VIEW_SECURITY_PROBLEMS next to VIEWER.
- The server adds MANAGE_SETTINGS next to CONFIGURE_REQUEST_CAPTURE_DATA ("Change monitoring settings
  is enabled automatically"). A permission this cluster does not know fails deserialisation (400).
- Two read models of the account flags (switch `group_read_model`): `current` clusters answer
  isAccessAccount/isManageAccount; `spec2021` clusters answer hasAccessAccountRole and
  hasManageAccountAndViewProductUsageRole and treat the is* fields as write-only. Name lists read back sorted.
- Whether names are compared without case is not published (switch `group_names_ignore_case`, default yes).
"""

from typing import Optional

from fastapi import APIRouter, Depends, Request

from .access import cluster_token
from .defaults import new_id
from .errors import ApiError, constraints_violated, json_body, json_response
from .models import ApiModel, validate

router = APIRouter(prefix='/api/v1.0/onpremise/groups')
provider = cluster_token('ServiceProviderAPI')
PERMISSIONS = ('VIEWER', 'MANAGE_SETTINGS', 'AGENT_INSTALL', 'LOG_VIEWER', 'VIEW_SENSITIVE_REQUEST_DATA',
               'CONFIGURE_REQUEST_CAPTURE_DATA', 'REPLAY_SESSION_DATA', 'REPLAY_SESSION_DATA_WITHOUT_MASKING',
               'MANAGE_SECURITY_PROBLEMS', 'VIEW_SECURITY_PROBLEMS', 'MANAGE_SUPPORT_TICKETS')
READ_MODELS = ('current', 'spec2021')
# The write field of each account flag and the field a spec2021 cluster answers it in.
ACCOUNT_FIELDS = (('isAccessAccount', 'hasAccessAccountRole'), ('isManageAccount', 'hasManageAccountAndViewProductUsageRole'))
NO_SUCH_ENVIRONMENT = "At least one of the specified environments doesn't exist"


class GroupConfig(ApiModel):
    """The body of POST and PUT; the read-only role flags a GET returns are accepted and ignored."""

    id: Optional[str] = None
    name: Optional[str] = None
    isClusterAdminGroup: bool
    isAccessAccount: Optional[bool] = None
    isManageAccount: Optional[bool] = None
    hasAccessAccountRole: Optional[bool] = None
    hasManageAccountAndViewProductUsageRole: Optional[bool] = None
    ldapGroupNames: Optional[list[str]] = None
    ssoGroupNames: Optional[list[str]] = None
    accessRight: Optional[dict[str, list[str]]] = None


def access_rights(emulator, sent):
    """The accessRight map as the server stores it: checked, with the implied permissions added."""
    sent = sent or {}
    unknown = sorted(set(sent) - set(PERMISSIONS))
    if unknown:
        raise ApiError(400, f'Could not map JSON at \'accessRight["{unknown[0]}"]\' near line 1 column 1')
    rights = {permission: set(ids) for permission, ids in sent.items()}
    every = set().union(*rights.values()) if rights else set()
    if any(emulator.store.get(env_id) is None for env_id in every):
        raise ApiError(400, NO_SUCH_ENVIRONMENT)
    rights['VIEWER'] = rights.get('VIEWER', set()) | every
    rights['MANAGE_SETTINGS'] = rights.get('MANAGE_SETTINGS', set()) | rights.get('CONFIGURE_REQUEST_CAPTURE_DATA', set())
    if emulator.settings.implied_view_security_problems:
        rights['VIEW_SECURITY_PROBLEMS'] = rights.get('VIEW_SECURITY_PROBLEMS', set()) | rights['VIEWER']
    return {permission: sorted(ids) for permission, ids in sorted(rights.items()) if ids}


def stored_group(emulator, body, group_id):
    """The whole group a POST or PUT body stands for (PUT replaces: what is left out is gone)."""
    return {
        'id': group_id, 'name': body['name'], 'isClusterAdminGroup': body['isClusterAdminGroup'],
        'isAccessAccount': bool(body.get('isAccessAccount')), 'isManageAccount': bool(body.get('isManageAccount')),
        'ldapGroupNames': sorted(set(body.get('ldapGroupNames') or ())),
        'ssoGroupNames': sorted(set(body.get('ssoGroupNames') or ())),
        'accessRight': access_rights(emulator, body.get('accessRight')),
    }


async def group_body(request):
    body = await json_body(request)
    if not isinstance(body, dict):
        raise ApiError(400, 'No group information received for the request.')
    found = validate(GroupConfig, body)
    if found:
        raise constraints_violated(found)
    if not (body.get('name') or '').strip():
        raise ApiError(400, 'Group name cannot be null or empty.')
    return body


def shown(emulator, group):
    """A stored group as this cluster's read model answers it."""
    if emulator.settings.group_read_model == 'current':
        return group
    answer = {key: value for key, value in group.items() if key not in dict(ACCOUNT_FIELDS)}
    for write_field, read_field in ACCOUNT_FIELDS:
        answer[read_field] = bool(group.get(write_field))
    return answer


def named(emulator, name, other_than=None):
    fold = (lambda text: text.casefold()) if emulator.settings.group_names_ignore_case else (lambda text: text)
    return [g for g in emulator.groups.values() if fold(g['name']) == fold(name) and g['id'] != other_than]


def group_or(emulator, group_id, status, message):
    group = emulator.groups.get(group_id)
    if group is None:
        raise ApiError(status, message)
    return group


@router.get('')
async def list_groups(emulator=Depends(provider)):
    return json_response([shown(emulator, group) for group in emulator.groups.values()])


@router.post('')
async def create_group(request: Request, emulator=Depends(provider)):
    body = await group_body(request)
    if body.get('id'):
        raise ApiError(400, 'Group ID cannot be set when creating a group.')
    if named(emulator, body['name']):
        raise ApiError(406, f'Not Acceptable: a group named {body["name"]} already exists.')
    group = stored_group(emulator, body, new_id())
    emulator.groups[group['id']] = group
    emulator.save()
    return json_response(shown(emulator, group))


@router.put('')
async def update_group(request: Request, emulator=Depends(provider)):
    body = await group_body(request)
    if not body.get('id'):
        raise ApiError(400, 'Group ID is not set.')
    group_or(emulator, body['id'], 406, f'Not Acceptable: group {body["id"]} not found.')
    if named(emulator, body['name'], other_than=body['id']):
        raise ApiError(400, f'A group named {body["name"]} already exists.')
    group = stored_group(emulator, body, body['id'])
    emulator.groups[group['id']] = group
    emulator.save()
    return json_response(shown(emulator, group))


@router.get('/{group_id}')
async def get_group(group_id: str, emulator=Depends(provider)):
    return json_response(shown(emulator, group_or(emulator, group_id, 404, f'Group {group_id} not found.')))


@router.delete('/{group_id}')
async def delete_group(group_id: str, emulator=Depends(provider)):
    """Answers the deleted group; an unknown id is a 400 "Not Found", as the spec says."""
    group = group_or(emulator, group_id, 400, f'Not Found: group {group_id} does not exist.')
    del emulator.groups[group_id]
    for user in emulator.users.values():  # a deleted group leaves its members
        user['groups'] = [member_of for member_of in user['groups'] if member_of != group_id]
    emulator.zone_permissions.pop(group_id, None)
    emulator.save()
    return json_response(shown(emulator, group))
