"""Pure ASGI middleware: records every API request and plays the injected faults.

Dropping a connection needs the transport, which ASGI does not expose: server.py's protocol class
puts it into scope['extensions'] under TRANSPORT_KEY.
"""

import asyncio
import json
import math
import socket
import struct
import time
from email.utils import formatdate

from .errors import JSON_TYPE, envelope
from .latency import READ_METHODS, latency_seconds
from .tokens import redact

CONTROL_PREFIX = '/_emulator/'
TRANSPORT_KEY = 'emulator.transport'
MAX_BODY_BYTES = 1024 * 1024  # the documented payload limit
REASONS = {400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 413: 'Payload Too Large',
           429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable',
           504: 'Gateway Timeout', 556: 'Upgrade in progress'}


async def read_body(receive):
    """The whole request body (the emulator's bodies are small)."""
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get('body', b''))
        if not message.get('more_body'):
            return b''.join(chunks)


def replaying(body, receive):
    """A receive callable that hands the already-read body to the app, then waits on the real one."""
    pending = [{'type': 'http.request', 'body': body, 'more_body': False}]

    async def replay():
        return pending.pop() if pending else await receive()
    return replay


PASSWORD_KEY = 'passwordClearText'
PASSWORD_MASK = '********'


def masked_passwords(value):
    """`value` with every passwordClearText replaced by PASSWORD_MASK (the log shows that one was sent, not what)."""
    if isinstance(value, list):
        return [masked_passwords(item) for item in value]
    if isinstance(value, dict):
        return {key: PASSWORD_MASK if key == PASSWORD_KEY and item is not None else masked_passwords(item)
                for key, item in value.items()}
    return value


def parsed_json(body):
    """The logged body: parsed JSON with every token secret and password replaced, or None."""
    try:
        return masked_passwords(json.loads(redact(body.decode()))) if body else None
    except (ValueError, UnicodeDecodeError):
        return None


def dated(send, emulator):
    """A send that adds the HTTP Date header of the emulated cluster clock to every answer."""
    async def send_with_date(message):
        if message['type'] == 'http.response.start':
            date = formatdate(emulator.now_ms() / 1000, usegmt=True).encode()
            message = dict(message, headers=[*message.get('headers', []), (b'date', date)])
        await send(message)
    return send_with_date


async def send_answer(send, status, body, content_type, headers=None):
    raw_headers = [(b'content-type', content_type.encode()), (b'content-length', str(len(body)).encode())]
    raw_headers += [(name.lower().encode(), value.encode()) for name, value in (headers or {}).items()]
    await send({'type': 'http.response.start', 'status': status, 'headers': raw_headers})
    await send({'type': 'http.response.body', 'body': body})


async def drop_connection(scope, receive):
    """Close the TCP connection at once with a reset, without any HTTP answer."""
    transport = scope.get('extensions', {}).get(TRANSPORT_KEY)
    if transport is None:
        raise RuntimeError('dropping a connection needs the emulator protocol (tests.emulator.server)')
    sock = transport.get_extra_info('socket')
    if sock is not None:
        # Linger 0: close sends RST instead of FIN, the way a crashed proxy or a reset connection looks.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
    transport.abort()
    # Wait until uvicorn has seen the loss, so it does not try to answer with a 500.
    while (await asyncio.wait_for(receive(), 5))['type'] != 'http.disconnect':
        pass


class EmulatorMiddleware:
    """Request log and faults for every call outside the control API."""

    def __init__(self, app, emulator):
        self.app = app
        self.emulator = emulator
        self.writes = {}  # the writes under way (write_capacity): their expected end, monotonic seconds

    async def __call__(self, scope, receive, send):
        if scope['type'] != 'http':
            await self.app(scope, receive, send)
            return
        send = dated(send, self.emulator)
        if scope['path'].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        entry = {'method': scope['method'], 'path': scope['path'], 'query': scope['query_string'].decode('latin-1'),
                 'status': None, 'body': parsed_json(body)}
        self.emulator.request_log.append(entry)

        async def logged_send(message):
            if message['type'] == 'http.response.start':
                entry['status'] = message['status']
            await send(message)

        if len(body) > MAX_BODY_BYTES:
            await send_answer(logged_send, 413, json.dumps(envelope(413, 'Payload too large.')).encode(), JSON_TYPE)
            return
        capacity = self.emulator.settings.write_capacity
        if capacity and scope['method'] not in READ_METHODS:
            if len(self.writes) >= capacity:
                await self.refuse_over_capacity(logged_send)
                return
            ticket = object()
            self.writes[ticket] = time.monotonic() + latency_seconds(self.emulator.settings, scope['method'])
            try:
                await self.act(scope, body, receive, logged_send)
            finally:
                del self.writes[ticket]
            return
        await self.act(scope, body, receive, logged_send)

    async def act(self, scope, body, receive, send):
        # The server's own latency: asyncio, so that parallel requests overlap; a write commits after it.
        await asyncio.sleep(latency_seconds(self.emulator.settings, scope['method']))
        await self.handle(scope, replaying(body, receive), send)

    async def refuse_over_capacity(self, send):
        """429 with Retry-After: the whole seconds until the first write under way is expected to end (at least 1)."""
        first_end = min(self.writes.values())
        wait = max(1, math.ceil(first_end - time.monotonic()))
        body = json.dumps(envelope(429, 'Too many concurrent requests.')).encode()
        await send_answer(send, 429, body, JSON_TYPE, {'Retry-After': str(wait)})

    async def handle(self, scope, receive, send):
        fault = self.emulator.faults.take(scope['method'], scope['path'])
        action = fault.action if fault else None
        if action == 'delay':
            await asyncio.sleep(fault.seconds)
        if action == 'status':
            await self.answer_fault(fault, send)
        elif action == 'reset':
            await drop_connection(scope, receive)
        elif action == 'drop_after_commit':
            await self.app(scope, receive, self.swallow)
            await drop_connection(scope, receive)
        elif action == 'preempt':
            await self.preempt(scope, fault.body.encode())
            await self.app(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def preempt(self, scope, body):
        """Another client's same call, with `body`, gets in first: acted on, its answer discarded, not logged."""
        headers = [(name, value) for name, value in scope['headers'] if name != b'content-length']
        other = dict(scope, headers=headers + [(b'content-length', str(len(body)).encode())],
                     state=dict(scope.get('state') or {}))
        messages = [{'type': 'http.disconnect'}, {'type': 'http.request', 'body': body, 'more_body': False}]

        async def receive():
            return messages.pop() if len(messages) > 1 else messages[0]
        await self.app(other, receive, self.swallow)

    @staticmethod
    async def swallow(message):
        """The app's answer to a lost response goes nowhere."""
        del message

    @staticmethod
    async def answer_fault(fault, send):
        if fault.body is None:
            message = REASONS.get(fault.status, 'Injected fault')
            body, content_type = json.dumps(envelope(fault.status, message)).encode(), JSON_TYPE
        else:
            body, content_type = fault.body.encode(), fault.content_type or 'text/html; charset=utf-8'
        await send_answer(send, fault.status, body, fault.content_type or content_type, fault.headers)
