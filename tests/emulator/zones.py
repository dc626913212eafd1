"""Management zones inside environments, and the management-zone permissions of user groups.

- A zone lives in one environment: a legacy numeric id (a signed 64-bit number as a string, what the
  permission API takes), a settings objectId (not the legacy id) and a name. Tests create zones through
  the control API (`POST /_emulator/zones`); names are unique within an environment unless the test
  asks for a duplicate (to prove clients refuse it).
- `GET /e/{env}/api/config/v1/managementZones` (ReadConfig): `{values: [{id, name}]}` with the legacy ids.
- `GET /e/{env}/api/v2/settings/objects?schemaIds=builtin:management-zones` (settings.read): objects whose
  `value.name` is the name; their objectId is not the legacy id.
- `GET/PUT /api/v1.0/onpremise/groups/managementZones` (ServiceProviderAPI, cluster token). A PUT changes
  the zones it names and keeps the others; `permissions: []` removes a zone (setting
  `zone_permissions_replace` off, the default). With `zone_permissions_replace` on, a PUT replaces every
  zone permission of the group (the harsher reading). The cluster adds VIEW_SECURITY_PROBLEMS next to VIEWER
  at zone level (setting `zone_implied_view_security_problems`, default on). A zone created less than
  `zone_visibility_delay_ms` ago is unknown to the permission API (Terraform provider issue #551).
"""

import base64
import json
import random
from typing import Optional

from fastapi import APIRouter, Depends, Request, Response

from .access import cluster_token, emulator_of, environment_token
from .errors import ApiError, constraints_violated, json_body, json_response, violation
from .models import ApiModel, validate

router = APIRouter()
GROUP_ZONES = '/api/v1.0/onpremise/groups/managementZones'
SCHEMA = 'builtin:management-zones'
provider = cluster_token('ServiceProviderAPI')
# The 2021 spec's zone permissions plus VIEW_SECURITY_PROBLEMS, which the cluster itself adds.
ZONE_PERMISSIONS = ('DEMO_USER', 'LOG_VIEWER', 'MANAGE_SECURITY_PROBLEMS', 'MANAGE_SETTINGS', 'REPLAY_SESSION_DATA',
                    'REPLAY_SESSION_DATA_WITHOUT_MASKING', 'VIEWER', 'VIEW_SENSITIVE_REQUEST_DATA',
                    'VIEW_SECURITY_PROBLEMS')
NO_ENVIRONMENT = "Environment with UUID {env} doesn't exist"
NO_ZONE = "Management zone with ID {zone} doesn't exist within environment {env}"


def new_zone(emulator, env_id, name):
    """A zone as stored: legacy id (negative or positive 64-bit number), settings objectId, name, creation time."""
    legacy = str(random.randint(-(2 ** 63), 2 ** 63 - 1))
    object_id = base64.urlsafe_b64encode(json.dumps([env_id, SCHEMA, legacy]).encode()).decode().rstrip('=')
    return {'id': legacy, 'objectId': 'vu9U3hXa3q0AAAABABhidWlsdGluOm1hbmFnZW1lbnQtem9uZXM' + object_id[:40],
            'name': name, 'created_ms': emulator.now_ms()}


def add_zone(emulator, env_id, name, duplicate_name=False):
    """Create a zone in an existing environment (control API); a taken name is refused unless asked for."""
    if emulator.store.get(env_id) is None:
        raise ApiError(400, f'Environment {env_id} does not exist.')
    zones = emulator.zones.setdefault(env_id, [])
    if not duplicate_name and any(zone['name'] == name for zone in zones):
        raise ApiError(400, f'A management zone named {name} exists already in environment {env_id}.')
    zone = new_zone(emulator, env_id, name)
    zones.append(zone)
    emulator.save()
    return zone


def visible_zone_ids(emulator, env_id):
    """The legacy ids of the zones the permission API knows (older than the visibility delay)."""
    limit = emulator.now_ms() - emulator.settings.zone_visibility_delay_ms
    return {zone['id'] for zone in emulator.zones.get(env_id, ()) if zone['created_ms'] <= limit}


@router.get('/e/{env}/api/config/v1/managementZones')
async def list_zones_config(env: str, emulator=Depends(environment_token('ReadConfig'))):
    return json_response({'values': [{'id': zone['id'], 'name': zone['name']} for zone in emulator.zones.get(env, ())]})


@router.get('/e/{env}/api/v2/settings/objects')
async def list_settings_objects(request: Request, env: str, emulator=Depends(environment_token('settings.read'))):
    """Only the management-zone schema is emulated; other schemas answer an empty page."""
    schemas = (request.query_params.get('schemaIds') or '').split(',')
    zones = emulator.zones.get(env, ()) if SCHEMA in schemas else ()
    items = [{'objectId': zone['objectId'], 'schemaId': SCHEMA, 'scope': 'environment',
              'value': {'name': zone['name'], 'description': None, 'rules': []}} for zone in zones]
    return json_response({'items': items, 'totalCount': len(items), 'pageSize': 500, 'nextPageKey': None})


class ZonePermissions(ApiModel):
    mzId: str
    permissions: list[str]


class EnvironmentZones(ApiModel):
    environmentUuid: str
    mzPermissions: list[ZonePermissions]


class GroupZones(ApiModel):
    groupId: str
    mzPermissionsPerEnvironment: list[EnvironmentZones]


def stored_permissions(emulator, permissions):
    """A zone's permissions as the cluster stores them: sorted, VIEW_SECURITY_PROBLEMS next to VIEWER (switch)."""
    held = set(permissions)
    if 'VIEWER' in held and emulator.settings.zone_implied_view_security_problems:
        held.add('VIEW_SECURITY_PROBLEMS')
    return sorted(held)


def check_body(emulator, body):
    """The real refusals, in the order a cluster finds them: the body, names, the group, environments, zones."""
    found = validate(GroupZones, body)
    if found:
        raise constraints_violated(found)
    unknown = [violation('permissions', f'Unknown management zone permission {name}.')
               for entry in body['mzPermissionsPerEnvironment'] for zone in entry['mzPermissions']
               for name in zone['permissions'] if name not in ZONE_PERMISSIONS]
    if unknown:
        raise constraints_violated(unknown)
    if body['groupId'] not in emulator.groups:
        raise ApiError(404, f'Group {body["groupId"]} not found.')
    for entry in body['mzPermissionsPerEnvironment']:
        env_id = entry['environmentUuid']
        if emulator.store.get(env_id) is None:
            raise ApiError(404, NO_ENVIRONMENT.format(env=env_id))
        known = visible_zone_ids(emulator, env_id)
        for zone in entry['mzPermissions']:
            if zone['mzId'] not in known:
                raise ApiError(404, NO_ZONE.format(zone=zone['mzId'], env=env_id))


def zone_map(record):
    """{(environment id, zone id): [permissions]} of a stored record."""
    return {(entry['environmentUuid'], zone['mzId']): zone['permissions']
            for entry in (record or {}).get('mzPermissionsPerEnvironment', ()) for zone in entry['mzPermissions']}


def record_of(group_id, zones):
    """The stored record (API shape) of {(environment id, zone id): permissions}; empty zones left out."""
    by_env = {}
    for (env_id, zone_id), permissions in sorted(zones.items()):
        if permissions:
            by_env.setdefault(env_id, []).append({'mzId': zone_id, 'permissions': permissions})
    return {'groupId': group_id, 'mzPermissionsPerEnvironment': [
        {'environmentUuid': env_id, 'mzPermissions': zones} for env_id, zones in by_env.items()]}


@router.get(GROUP_ZONES)
async def list_zone_permissions(emulator=Depends(provider)):
    return json_response([emulator.zone_permissions[group_id] for group_id in emulator.groups
                          if group_id in emulator.zone_permissions])


@router.put(GROUP_ZONES)
async def update_zone_permissions(request: Request, emulator=Depends(provider)):
    body = await json_body(request)
    check_body(emulator, body)
    group_id = body['groupId']
    zones = {} if emulator.settings.zone_permissions_replace else zone_map(emulator.zone_permissions.get(group_id))
    for (env_id, zone_id), permissions in zone_map(body).items():
        zones[(env_id, zone_id)] = stored_permissions(emulator, permissions) if permissions else []
    record = record_of(group_id, zones)
    if record['mzPermissionsPerEnvironment']:
        emulator.zone_permissions[group_id] = record
    else:
        emulator.zone_permissions.pop(group_id, None)
    emulator.save()
    return Response(status_code=200)


@router.get(GROUP_ZONES + '/{group_id}')
async def get_zone_permissions(group_id: str, emulator=Depends(provider)):
    if group_id not in emulator.groups:
        raise ApiError(404, f'Group {group_id} not found.')
    return json_response(emulator.zone_permissions.get(group_id, {'groupId': group_id, 'mzPermissionsPerEnvironment': []}))


class ZoneRequest(ApiModel):
    environment: str
    name: str
    duplicate_name: bool = False


@router.post('/_emulator/zones')
async def create_zone(request: Request):
    """Control API: a zone in an environment; answers {id (legacy), objectId, name}."""
    body = await json_body(request)
    found = validate(ZoneRequest, body)
    if found:
        raise constraints_violated(found)
    zone = add_zone(emulator_of(request), body['environment'], body['name'], body.get('duplicate_name', False))
    return json_response({'id': zone['id'], 'objectId': zone['objectId'], 'name': zone['name']}, 201)


@router.get('/_emulator/zones')
async def stored_zones(request: Request, environment: Optional[str] = None):
    """Control API: {environment id: [{id, objectId, name}]}, or one environment's list."""
    zones = emulator_of(request).zones
    view = {env_id: [{'id': z['id'], 'objectId': z['objectId'], 'name': z['name']} for z in items]
            for env_id, items in zones.items() if environment is None or env_id == environment}
    return json_response(view)


@router.get('/_emulator/zone_permissions')
async def stored_zone_permissions(request: Request):
    """Control API: what GET /groups/managementZones answers, without a token and outside the request log."""
    emulator = emulator_of(request)
    return json_response([emulator.zone_permissions[group_id] for group_id in emulator.groups
                          if group_id in emulator.zone_permissions])
