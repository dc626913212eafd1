"""Cluster API v2 tokens: /api/cluster/v2/tokens, cluster tokens (ClusterTokenManagement).

Whether GET/PUT/DELETE /tokens/{id} also reach environment tokens is not documented: the setting
cluster_tokens_see_environment_tokens chooses (default no, the harsher reading).
"""

from typing import Annotated, Optional

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from .access import cluster_token
from .api_tokens import SELF
from .errors import ApiError, constraints_violated, json_body, json_response, violation
from .models import ApiModel, TokenDuration, validate
from .scopes import CLUSTER_SCOPES
from .tokens import UNIT_MS

router = APIRouter(prefix='/api/cluster/v2/tokens')
manager = cluster_token('ClusterTokenManagement')
Scopes = Annotated[list[str], Field(min_length=1)]


class CreateToken(ApiModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    scopes: Scopes
    expires_in: Optional[TokenDuration] = Field(None, alias='expiresIn')


class UpdateToken(ApiModel):
    name: Optional[Annotated[str, Field(min_length=1, max_length=100)]] = None
    revoked: Optional[bool] = None
    scopes: Optional[Scopes] = None


class TokenValue(ApiModel):
    token: Annotated[str, Field(min_length=1)]


def checked(model, body):
    found = validate(model, body)
    if isinstance(body, dict) and isinstance(body.get('scopes'), list):
        found += [violation(f'scopes[{index}]', f'Unknown scope {scope}: not a scope of a cluster token.')
                  for index, scope in enumerate(body['scopes']) if isinstance(scope, str) and scope not in CLUSTER_SCOPES]
    if found:
        raise constraints_violated(found)
    return body


def metadata(token):
    return {'id': token.id, 'name': token.name, 'userId': token.owner, 'revoked': not token.enabled,
            'created': token.created_ms, 'expires': token.expires_ms, 'lastUse': token.last_used_ms,
            'scopes': sorted(token.scopes), 'personalAccessToken': token.personal}


def token_or_404(emulator, token_id):
    token = emulator.tokens.find(token_id, 'cluster')
    if token is None and emulator.settings.cluster_tokens_see_environment_tokens:
        token = next((item for item in emulator.tokens.all()
                      if item.kind == 'environment' and token_id in (item.id, item.value)), None)
    if token is None:
        raise ApiError(404, 'The requested token has not been found.')
    return token


@router.post('')
async def create_cluster_token(request: Request, emulator=Depends(manager)):
    body = checked(CreateToken, await json_body(request))
    expires = body.get('expiresIn')
    lifetime = expires['value'] * UNIT_MS[expires.get('unit')] if expires else None
    token = emulator.issue_token(body['scopes'], None, body['name'], lifetime, request.state.token.owner)
    return json_response({'token': token.value}, 201, {'Location': token.id})


@router.get('')
async def list_cluster_tokens(emulator=Depends(manager)):
    return json_response({'values': [{'id': token.id, 'name': token.name} for token in emulator.tokens.of('cluster')]})


@router.post('/lookup')
async def lookup_cluster_token(request: Request, emulator=Depends(cluster_token())):
    body = checked(TokenValue, await json_body(request))
    token = emulator.tokens.find(body['token'], 'cluster')
    if token is None or token.value != body['token']:
        raise ApiError(404, 'The requested token has not been found.')
    return json_response(metadata(token))


@router.get('/{token_id}')
async def get_cluster_token(token_id: str, emulator=Depends(manager)):
    return json_response(metadata(token_or_404(emulator, token_id)))


@router.put('/{token_id}')
async def update_cluster_token(request: Request, token_id: str, emulator=Depends(manager)):
    body = checked(UpdateToken, await json_body(request))
    token = token_or_404(emulator, token_id)
    if token is request.state.token:
        raise ApiError(400, SELF.format(verb='update'))
    if body.get('name') is not None:
        token.name = body['name']
    if body.get('revoked') is not None:
        token.enabled = not body['revoked']
    if body.get('scopes') is not None:
        token.scopes = frozenset(body['scopes'])
    emulator.save()
    return Response(status_code=204)


@router.delete('/{token_id}')
async def delete_cluster_token(request: Request, token_id: str, emulator=Depends(manager)):
    token = token_or_404(emulator, token_id)
    if token is request.state.token:
        raise ApiError(400, SELF.format(verb='delete'))
    emulator.tokens.remove(token)
    emulator.save()
    return Response(status_code=204)
