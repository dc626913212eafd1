"""Environment API v1 (cluster time and version) and Cluster API v1 (cluster nodes)."""

from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse

from .access import ANY_SCOPE, require
from .errors import json_response

router = APIRouter()
NODE_ADDRESSES = ('10.20.0.11', '10.20.0.12', '10.20.0.13')


def time_answer(emulator):
    return PlainTextResponse(str(emulator.now_ms()), media_type='text/plain; charset=utf-8')


@router.get('/api/v1/time')
async def cluster_time(emulator=Depends(require(ANY_SCOPE))):
    return time_answer(emulator)


@router.get('/e/{env}/api/v1/time')
async def environment_time(emulator=Depends(require(ANY_SCOPE, in_environment=True))):
    return time_answer(emulator)


@router.get('/api/v1/config/clusterversion')
async def cluster_version(emulator=Depends(require('DataExport'))):
    return json_response({'version': emulator.settings.cluster_version})


@router.get('/e/{env}/api/v1/config/clusterversion')
async def environment_cluster_version(emulator=Depends(require('DataExport', in_environment=True))):
    return json_response({'version': emulator.settings.cluster_version})


@router.get('/api/v1.0/onpremise/cluster')
async def cluster_nodes(emulator=Depends(require('ServiceProviderAPI'))):
    """Three running nodes of the cluster version (the ServiceProviderAPI scope is an assumption)."""
    return json_response([
        {'id': index, 'clusterMemberAddress': address, 'operationState': 'RUNNING',
         'buildVersion': emulator.settings.cluster_version}
        for index, address in enumerate(NODE_ADDRESSES, start=1)
    ])
