"""Serve the emulator with uvicorn: the protocol that can drop connections, and the ready line."""

import signal
import sys

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from . import READY_LINE
from .app import create_app
from .middleware import TRANSPORT_KEY


class DroppableH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, handing each request its connection's transport.

    ASGI has no way to close a connection without answering; the fault middleware needs one to
    emulate a reset connection and a lost response.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.inner_app = self.app
        self.app = self.app_with_transport

    async def app_with_transport(self, scope, receive, send):
        scope.setdefault('extensions', {})[TRANSPORT_KEY] = self.transport
        await self.inner_app(scope, receive, send)


class AnnouncingServer(uvicorn.Server):
    """Prints the ready line, with the port really bound (the port may be 0: any free port)."""

    async def startup(self, sockets=None):
        await super().startup(sockets)
        if self.started:
            host, port = self.servers[0].sockets[0].getsockname()[:2]
            scheme = 'https' if self.config.ssl else 'http'
            print(READY_LINE.format(url=f'{scheme}://{host}:{port}'), flush=True)


def exit_quietly(_signum, _frame):
    sys.exit(0)


def serve(emulator, host, port, tls_cert=None, tls_key=None):
    """Run in the foreground until Ctrl-C or SIGTERM."""
    config = uvicorn.Config(
        create_app(emulator), host=host, port=port, http=DroppableH11Protocol, ws='none', lifespan='off',
        access_log=False, log_level='warning', ssl_certfile=tls_cert, ssl_keyfile=tls_key,
        date_header=False,  # the middleware sends the Date of the emulated cluster clock
        timeout_graceful_shutdown=2,
    )
    server = AnnouncingServer(config)
    # uvicorn shuts down gracefully, then raises the signal again for the previous handler: make that
    # handler a quiet exit 0 (no KeyboardInterrupt traceback after Ctrl-C, no death by SIGTERM).
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, exit_quietly)
    server.run()
    if not server.started:
        sys.exit(1)
