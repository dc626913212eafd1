# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""When the transport sends a request again, and how long it waits before it does.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Part of the transport layer (with _http.py): no Ansible import, no other module_utils import.
"""

import email.utils
import random
import threading
import time

# Retry policy. 556 is Dynatrace's "upgrade in progress".
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504, 556))
# Statuses that mean the server did not act on the request at all, so even a POST may be sent again.
NOT_PROCESSED_STATUSES = frozenset((429, 503, 556))
# Connection failures that a retry cannot change: a certificate problem, the wrong scheme either way (https:// to a
# plain-HTTP server, http:// to a TLS server), a host name that does not exist.
NOT_RETRIED_FAILURES = frozenset(('tls', 'plain_http_server', 'tls_server', 'unresolved'))
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 30.0
# One wait never exceeds this, whatever the server asks; all waits of one call add up to at most
# MAX_TOTAL_WAIT_SECONDS, so a task cannot hang for an hour on a bad Retry-After.
MAX_SINGLE_WAIT_SECONDS = 60.0
MAX_TOTAL_WAIT_SECONDS = 120.0


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date), or None."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def parse_rate_limit_reset(value, now=None):
    """Seconds to wait from an X-RateLimit-Reset header, or None.

    Dynatrace clusters send an epoch timestamp whose unit differs between versions: seconds,
    milliseconds or microseconds. The magnitude tells them apart (an epoch in seconds is about
    1.7e9, in milliseconds 1.7e12, in microseconds 1.7e15). A small number is a delay in seconds.
    """
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if number < 1e9:
        return max(0.0, number)
    if number >= 1e14:
        number /= 1e6
    elif number >= 1e11:
        number /= 1e3
    now = time.time() if now is None else now
    return max(0.0, number - now)


def server_requested_wait(headers, now=None):
    """The wait a 429/503 response asks for, from Retry-After or X-RateLimit-Reset, or None."""
    wait = parse_retry_after(headers.get('Retry-After'), now)
    if wait is None:
        wait = parse_rate_limit_reset(headers.get('X-RateLimit-Reset'), now)
    return wait


def backoff_delay(attempt, rand=random.random):
    """Capped exponential backoff with jitter for retry number `attempt` (1 for the first retry).

    The delay is drawn between half and all of the exponential step, so parallel runs that failed
    together do not retry together.
    """
    step = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * (2 ** (attempt - 1)))
    return step * (0.5 + rand() / 2)


def is_retryable(method, status=None, failure=None):
    """True when an attempt may be sent again: its answer `status`, or its connection `failure` kind.

    failure: 'not_sent' (the server never saw the request), 'lost' (sent, no answer), or one of
    NOT_RETRIED_FAILURES.
    GET, PUT and DELETE are repeated on transient statuses and connection failures; a POST only
    when the server certainly did not act on it.
    """
    if status is not None:
        return status in (NOT_PROCESSED_STATUSES if method == 'POST' else RETRYABLE_STATUSES)
    if failure in NOT_RETRIED_FAILURES:
        return False
    if method == 'POST':
        return failure == 'not_sent'
    return True


class RateGate:
    """A pause shared by every client of one run: a 429 (or 503) that asks one request to wait holds all of them.

    Parallel workers each retry their own request, but the server limits the run as a whole; without a shared
    pause the other workers would keep sending into the limit. Thread-safe; `clock` is monotonic.
    """

    def __init__(self, clock=time.monotonic):
        self._lock = threading.Lock()
        self._clock = clock
        self._until = 0.0
        self.pushbacks = 0  # how many 429/503 answers held the gate: the bulk executor backs off on them

    def hold(self, seconds):
        """Every request sent from now on waits until `seconds` from now (a later hold only extends it).

        Returns the moment the gate opens: the caller that holds it sleeps itself and passes it by that moment.
        """
        with self._lock:
            self.pushbacks += 1
            self._until = max(self._until, self._clock() + seconds)
            return self._until

    def remaining(self, waited_until=0.0):
        """Seconds a request must still wait (0 when open, or when its caller already slept up to that moment)."""
        with self._lock:
            if self._until <= waited_until:
                return 0.0
            return max(0.0, self._until - self._clock())
