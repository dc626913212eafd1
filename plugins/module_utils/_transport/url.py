# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The cluster URL as a user gives it: normalised, checked, and safe to name in a message.

INTERNAL USE ONLY (see _http.py). Part of the transport layer; imports nothing from Ansible.
"""

import ipaddress
import re

from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.errors import ConnectionOptionError


def normalize_url(url):
    """Return (base_url, environment_id) for what a user pasted as the cluster URL.

    Keeps scheme, host, port and any reverse-proxy path prefix; drops a trailing slash, query,
    fragment and an API suffix pasted by mistake (`/api/...`, `/e/<id>`, `/e/<id>/api/...`).
    The environment id of a pasted `/e/<id>` is returned, else None.
    """
    text = (url or '').strip()
    if not text:
        raise ConnectionOptionError('url must not be empty: give the cluster address, for example https://dynatrace.example.com')
    match = re.match(r'^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)', text)
    if not match or match.group(1).lower() not in ('http', 'https'):
        scheme = match.group(1) if match else None
        got = "scheme '%s'" % scheme if scheme else 'no scheme'
        raise ConnectionOptionError('url must start with http:// or https://, got %s' % got)
    scheme, netloc, path = match.group(1).lower(), match.group(2), match.group(3)
    if '@' in netloc:
        # Never echoed: the user part may hold a password. requests would also turn it into Basic
        # authentication, which replaces the Api-Token header.
        raise ConnectionOptionError('url must not carry a user name or password (user:password@host): the cluster '
                                    'authenticates with api_token only')
    if not netloc or netloc.startswith(':'):
        raise ConnectionOptionError('url must name a host after %s://' % scheme)
    _check_port(netloc)
    segments = [segment for segment in path.split('/') if segment]
    environment_id = None
    for index, segment in enumerate(segments):
        if segment == 'e' and index + 1 < len(segments):
            environment_id = segments[index + 1]
            segments = segments[:index]
            break
        if segment == 'api':
            segments = segments[:index]
            break
    prefix = '/' + '/'.join(segments) if segments else ''
    return '%s://%s%s' % (scheme, netloc, prefix), environment_id


def _check_port(netloc):
    """Refuse a port that is not a number from 1 to 65535 (the library would say only "Failed to parse")."""
    port = netloc.rsplit(']', 1)[1] if netloc.startswith('[') else netloc
    if ':' not in port:
        return
    port = port.split(':', 1)[1]
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ConnectionOptionError("url has the port '%s': a port is a number from 1 to 65535 (or none, for the "
                                    "scheme's default)" % port[:20])


def is_loopback_host(base_url):
    """True when the URL's host is localhost or a loopback address (safe for plain http)."""
    host = re.sub(r'^[a-z]+://', '', base_url).split('/')[0]
    host = host.rsplit('@', 1)[-1]
    if host.startswith('['):
        host = host[1:host.find(']')]
    else:
        host = host.split(':')[0]
    if host.lower() == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def without_user_part(url):
    """`url` with any user:password@ removed (for messages)."""
    return re.sub(r'^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@', r'\1', str(url))
