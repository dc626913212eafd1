"""Per-operation server latency: `read=30ms,write=800ms`.

Reads are GET and HEAD, writes every other method. The middleware waits before the route acts (with
asyncio, so parallel requests overlap as on a real server): a create commits only when its write
latency has passed, so a client that gave up earlier and looks the name up finds nothing yet.
"""

import re

PART = re.compile(r'^(read|write)=(\d+(?:\.\d+)?)(ms|s)?$')
READ_METHODS = ('GET', 'HEAD')


def parse_latency(text):
    """{'read_latency_ms': N, 'write_latency_ms': N} for `read=30ms,write=800ms` (either part may be left out)."""
    found = {}
    for part in (piece.strip() for piece in text.split(',') if piece.strip()):
        match = PART.match(part)
        if not match:
            raise ValueError(f'latency part {part!r}: expected read=<N>ms or write=<N>ms (or s)')
        amount = float(match.group(2)) * (1000 if match.group(3) == 's' else 1)
        found[f'{match.group(1)}_latency_ms'] = int(amount)
    if not found:
        raise ValueError('latency: expected read=<N>ms,write=<N>ms')
    return found


def latency_seconds(settings, method):
    """How long a request of this method waits before it acts."""
    milliseconds = settings.read_latency_ms if method in READ_METHODS else settings.write_latency_ms
    return milliseconds / 1000
