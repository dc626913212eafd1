"""Environment API v2 tokens: /e/{env}/api/v2/apiTokens on the one token store.

A token created here is an environment token of {env} with exactly its scopes; the caller's token
(apiTokens.write) may create any environment scope. A token cannot disable itself (the one refusal of
its own token); a PUT accepts the token as read back (its read-only fields are ignored); modifiedDate
changes with the name or the scopes only. POST /lookup works with a token of any scope.
"""

import json
from typing import Annotated, Optional, Union

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field, StrictInt, StrictStr

from .access import environment_token
from .cursor import decode_cursor, encode_cursor, keyset_page
from .dates import format_date, parse_expiration
from .errors import ApiError, constraints_violated, json_body, json_response, violation
from .models import ApiModel, validate
from .scopes import environment_scopes
from .token_query import DEFAULT_FIELDS, parse_fields, parse_selector, token_view

router = APIRouter(prefix='/e/{env}/api/v2/apiTokens')
reader = environment_token('apiTokens.read')
writer = environment_token('apiTokens.write')
SORTS = {
    'creationDate': (lambda token: (token.created_ms, token.id), False),
    '-creationDate': (lambda token: (token.created_ms, token.id), True),
    'name': (lambda token: (token.name, token.created_ms, token.id), False),
    '-name': (lambda token: (token.name, token.created_ms, token.id), True),
}
DEFAULT_SORT = '-creationDate'
PAGE_SIZES = (100, 10000, 200)  # minimum, maximum, default
NAME_LIMIT = 100
SELF = "You can't {verb} the token you're using for authentication of the request."

Name = Annotated[str, Field(min_length=1, max_length=NAME_LIMIT)]


class ApiTokenCreate(ApiModel):
    name: Name
    scopes: Annotated[list[str], Field(min_length=1)]
    expiration_date: Optional[Union[StrictStr, StrictInt]] = Field(None, alias='expirationDate')
    personal_access_token: Optional[bool] = Field(None, alias='personalAccessToken')


class ApiTokenUpdate(ApiModel):
    name: Optional[Name] = None
    enabled: Optional[bool] = None
    scopes: Optional[Annotated[list[str], Field(min_length=1)]] = None
    # The read-only fields of a token as read back (clients such as Terraform send it whole): accepted, ignored.
    id: Optional[str] = None
    owner: Optional[str] = None
    personalAccessToken: Optional[bool] = None
    creationDate: Optional[str] = None
    expirationDate: Optional[str] = None
    lastUsedDate: Optional[str] = None
    lastUsedIpAddress: Optional[str] = None
    modifiedDate: Optional[str] = None


class TokenLookup(ApiModel):
    token: Annotated[str, Field(min_length=1)]


def refuse_unknown_scopes(emulator, body, raw):
    """A scope this cluster version does not know fails deserialisation before any validation, as a Java enum does:
    400 "Could not map JSON at 'scopes[i]' near line L column C", no constraint violations."""
    scopes = body.get('scopes') if isinstance(body, dict) and isinstance(body.get('scopes'), list) else []
    known = environment_scopes(emulator.settings.cluster_version)
    for index, scope in enumerate(scopes):
        if isinstance(scope, str) and scope not in known:
            text = raw.decode('utf-8', 'replace')
            offset = max(text.find(json.dumps(scope)), 0)
            line = text.count('\n', 0, offset) + 1
            column = offset - (text.rfind('\n', 0, offset) + 1) + 1
            raise ApiError(400, f"Could not map JSON at 'scopes[{index}]' near line {line} column {column}")


def checked(model, body, extra=()):
    found = validate(model, body) if isinstance(body, dict) else [violation('', 'must be a JSON object')]
    if isinstance(body, dict):
        found += [item for item in extra if item['path'] not in {f['path'] for f in found}]
        if isinstance(body.get('name'), str) and body['name'] and not body['name'].strip():
            found.append(violation('name', 'must not be blank'))
    if found:
        raise constraints_violated(found)
    return body


def expiration_ms(body, now_ms):
    """(epoch ms or None, violations) of the body's expirationDate."""
    value = body.get('expirationDate') if isinstance(body, dict) else None
    if value is None:
        return None, []
    try:
        moment = parse_expiration(value, now_ms)
    except ValueError as error:
        return None, [violation('expirationDate', str(error))]
    if moment <= now_ms:
        return None, [violation('expirationDate', 'must be in the future')]
    return moment, []


def token_or_404(emulator, env_id, token_id):
    """The token by id or secret (the message never repeats what was sent: it may be a secret)."""
    token = emulator.tokens.find(token_id, 'environment', env_id)
    if token is None:
        raise ApiError(404, 'The requested token was not found.')
    return token


@router.post('')
async def create_api_token(request: Request, env: str, emulator=Depends(writer)):
    body = await json_body(request)
    refuse_unknown_scopes(emulator, body, await request.body())
    expires_ms, violations = expiration_ms(body, emulator.now_ms())
    checked(ApiTokenCreate, body, violations)
    token = emulator.issue_token(body['scopes'], env, body['name'], owner=request.state.token.owner,
                                 expires_ms=expires_ms, personal=bool(body.get('personalAccessToken')))
    answer = {'id': token.id, 'token': token.value}
    if expires_ms is not None:
        answer['expirationDate'] = format_date(expires_ms)
    return json_response(answer, 201, {'Location': token.id})


def page_size(request):
    low, high, default = PAGE_SIZES
    raw = request.query_params.get('pageSize', str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise constraints_violated([violation('pageSize', f'must be between {low} and {high}', 'QUERY')])
    return int(raw)


def list_query(request, env):
    key = request.query_params.get('nextPageKey')
    if key is not None:
        others = sorted(name for name in request.query_params.keys() if name != 'nextPageKey')
        if others:
            raise constraints_violated([violation(others[0], 'must be omitted when nextPageKey is set', 'QUERY')])
        return decode_cursor(key, f'apiTokens:{env}')
    sort = request.query_params.get('sort', DEFAULT_SORT)
    if sort not in SORTS:
        raise constraints_violated([violation('sort', f'must be one of {", ".join(SORTS)}', 'QUERY')])
    selector = request.query_params.get('apiTokenSelector')
    if selector is not None:
        parse_selector(selector)
    return {'list': f'apiTokens:{env}', 'selector': selector, 'fields': parse_fields(request.query_params.get('fields')),
            'sort': sort, 'pageSize': page_size(request), 'after': None}


@router.get('')
async def list_api_tokens(request: Request, env: str, emulator=Depends(reader)):
    """Metadata only, newest first by default; expired tokens stay listed."""
    query = list_query(request, env)
    if query['after'] is not None and not emulator.settings.token_cursor_keeps_fields:
        query = dict(query, fields=list(DEFAULT_FIELDS))  # later pages in the default fields (not published)
    predicates = parse_selector(query['selector']) if query['selector'] is not None else []
    matching = [token for token in emulator.tokens.of('environment', env) if all(check(token) for check in predicates)]
    key, reverse = SORTS[query['sort']]
    page, last = keyset_page(matching, key, reverse, query['after'], query['pageSize'])
    return json_response({
        'totalCount': len(matching), 'pageSize': query['pageSize'],
        'nextPageKey': encode_cursor(dict(query, after=last)) if last else None,
        'apiTokens': [token_view(token, query['fields']) for token in page],
    })


@router.post('/lookup')
async def lookup_api_token(request: Request, env: str, emulator=Depends(environment_token())):
    body = checked(TokenLookup, await json_body(request))
    token = emulator.tokens.find(body['token'], 'environment', env)
    if token is None or token.value != body['token']:
        raise ApiError(404, 'The requested token was not found.')
    return json_response(token_view(token))


@router.get('/{token_id}')
async def get_api_token(request: Request, env: str, token_id: str, emulator=Depends(reader)):
    return json_response(token_view(token_or_404(emulator, env, token_id)))


@router.put('/{token_id}')
async def update_api_token(request: Request, env: str, token_id: str, emulator=Depends(writer)):
    body = await json_body(request)
    refuse_unknown_scopes(emulator, body, await request.body())
    body = checked(ApiTokenUpdate, body)
    token = token_or_404(emulator, env, token_id)
    if token is request.state.token and body.get('enabled') is False:
        raise ApiError(400, SELF.format(verb='disable'))
    renamed = body.get('name') is not None and body['name'] != token.name
    rescoped = body.get('scopes') is not None and frozenset(body['scopes']) != token.scopes
    for key, attribute in (('name', 'name'), ('enabled', 'enabled')):
        if body.get(key) is not None:
            setattr(token, attribute, body[key])
    if body.get('scopes') is not None:
        token.scopes = frozenset(body['scopes'])
    if renamed or rescoped:
        token.modified_ms = emulator.now_ms()
    emulator.save()
    return Response(status_code=204)


@router.delete('/{token_id}')
async def delete_api_token(request: Request, env: str, token_id: str, emulator=Depends(writer)):
    token = token_or_404(emulator, env, token_id)
    emulator.tokens.remove(token)
    emulator.save()
    return Response(status_code=204)
