# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a connection failure means, when the library's words hide it: a wrong scheme, a name that does not resolve.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Part of the transport layer: no Ansible import. These failures cannot get better by retrying, so the
client fails at once with a message that says what to change in url.
"""

import re
import socket
import ssl

# What OpenSSL says when the server answered a TLS ClientHello in plain HTTP ("HTTP/1.1 400 ..."): the
# bytes are read as a TLS record with an impossible version or length.
_PLAIN_HTTP_SIGNS = ('wrong_version_number', 'wrong version number', 'record layer failure', 'packet length too long',
                     'http_request', 'unknown protocol')
# getaddrinfo's answers for a name that does not exist (EAI_NONAME, EAI_NODATA). "Temporary failure in name
# resolution" (EAI_AGAIN) is not among them: a resolver that is down may come back, so that one is retried.
_UNRESOLVED_SIGNS = ('name or service not known', 'nodename nor servname', 'no address associated with hostname',
                     'getaddrinfo failed', '[errno -2]', '[errno -5]', '[errno 11001]')
# A plain-HTTP request to a TLS port: the server closes the connection without an answer (or resets it).
_CLOSED_SIGNS = ('remotedisconnected', 'connection aborted', 'connection reset', 'badstatusline')


def answered_in_plain_http(exc):
    """True when a TLS failure came from a server that speaks plain HTTP on that port (https:// to an http server)."""
    text = str(exc).lower()
    return any(sign in text for sign in _PLAIN_HTTP_SIGNS)


def name_does_not_resolve(exc):
    """True when a connection failure is a host name that does not exist (not a resolver that is down)."""
    text = str(exc).lower()
    return 'temporary failure' not in text and any(sign in text for sign in _UNRESOLVED_SIGNS)


def plain_http_to_tls_port(body):
    """True when an error page says a plain-HTTP request reached a TLS port (what nginx answers, with a 400)."""
    return 'plain http request was sent to https port' in (body or '').lower()


def closed_without_answer(exc):
    """True when the server closed a connection without any HTTP answer (what a TLS port does with plain HTTP)."""
    text = str(exc).lower()
    return any(sign in text for sign in _CLOSED_SIGNS)


def host_and_port(base_url):
    """(host, port) of an http:// or https:// base URL (the port is the scheme's default when none is written)."""
    match = re.match(r'^(https?)://(\[[^\]]+\]|[^/:]+)(?::(\d+))?', base_url)
    scheme, host, port = match.group(1), match.group(2).strip('[]'), match.group(3)
    return host, int(port) if port else (443 if scheme == 'https' else 80)


def speaks_tls(host, port, timeout):
    """True when the server at host:port completes a TLS handshake (its certificate is not checked: only the
    protocol is asked). Sends no HTTP request and no token."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw:
            with context.wrap_socket(raw, server_hostname=host):
                return True
    except (OSError, ValueError):
        return False
