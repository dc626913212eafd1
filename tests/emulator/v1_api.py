"""Environment API v1 under /e/{env} (cluster time and version) and Cluster API v1 (nodes, product version).

A Managed cluster has no /api/v1/... or /api/v2/... of its own: those paths live under /e/{env}/ only,
and the bare paths (like an unknown environment id) answer 404 "failed to resolve tenant".
"""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse

from .access import TENANT_NOT_FOUND, cluster_token, emulator_of, environment_token, resolve_tenant
from .errors import ApiError, json_response

router = APIRouter()
tail_router = APIRouter()  # catch-all routes, included after every other router
NODE_ADDRESSES = ('10.20.0.11', '10.20.0.12', '10.20.0.13')
NODE_SCOPES = ('ServiceProviderAPI', 'ControlManagement', 'Nodekeeper')
VERSION_SCOPES = ('ServiceProviderAPI', 'ControlManagement', 'UnattendedInstall', 'Nodekeeper')


def accepts_plain_text(request):
    """/time produces only text/plain: an Accept header must allow it (no header allows anything)."""
    accept = request.headers.get('accept')
    if not accept:
        return True
    kinds = {part.split(';')[0].strip().lower() for part in accept.split(',')}
    return bool(kinds & {'text/plain', 'text/*', '*/*'})


@router.get('/e/{env}/api/v1/time')
async def environment_time(request: Request, emulator=Depends(environment_token())):  # the docs name no scope
    if not accepts_plain_text(request):
        raise ApiError(406, 'Not Acceptable: this resource produces only text/plain.')
    return PlainTextResponse(str(emulator.now_ms()), media_type='text/plain; charset=utf-8')


@router.get('/e/{env}/api/v1/config/clusterversion')
async def environment_cluster_version(emulator=Depends(environment_token('DataExport'))):
    return json_response({'version': emulator.settings.cluster_version})


@router.get('/api/v1.0/onpremise/nodeManagement/productVersion')
async def product_version(emulator=Depends(cluster_token(*VERSION_SCOPES))):
    return json_response({'productVersion': emulator.settings.cluster_version})


def node(index, address, version):
    """One node with the documented fields of the Cluster object (plausible values)."""
    return {
        'id': index, 'clusterMemberAddress': address, 'operationState': 'RUNNING', 'buildVersion': version,
        'osInfo': 'Linux 5.14.0-427.13.1.el9_4.x86_64 (amd64)', 'jvmInfo': 'OpenJDK 64-Bit Server VM 17.0.12+7',
        'dnsEntryPointUris': [f'https://{address}'], 'restServiceRootUris': [f'https://{address}:8021/rest'],
        'communicationUris': [f'https://{address}:8020/communication'],
    }


@router.get('/api/v1.0/onpremise/cluster')
async def cluster_nodes(emulator=Depends(cluster_token(*NODE_SCOPES))):
    """Three running nodes of the cluster version."""
    version = emulator.settings.cluster_version
    return json_response([node(index, address, version) for index, address in enumerate(NODE_ADDRESSES, start=1)])


@tail_router.api_route('/api/v1/{rest:path}', methods=['GET', 'POST', 'PUT', 'DELETE'])
@tail_router.api_route('/api/v2/{rest:path}', methods=['GET', 'POST', 'PUT', 'DELETE'])
async def bare_environment_api(rest: str):
    """The environment APIs on the cluster host itself: there is no tenant to resolve."""
    del rest
    raise ApiError(404, TENANT_NOT_FOUND)


@tail_router.api_route('/e/{env}/{rest:path}', methods=['GET', 'POST', 'PUT', 'DELETE'])
async def environment_elsewhere(request: Request, env: str, rest: str):
    """Unknown environment ids fail tenant resolution; unknown paths of a known one are a plain 404."""
    del rest
    resolve_tenant(emulator_of(request), env)
    raise ApiError(404, 'Not Found')
