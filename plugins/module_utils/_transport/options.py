# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Checks of the connection options a library would otherwise refuse with a message that names no option.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Part of the transport layer: no Ansible import. Each check returns the message naming the option and
the rule, or None; the client raises it, the inventory collects it with its other errors.
"""

import math


def timeout_error(value, option='timeout'):
    """Why `value` cannot be a timeout in seconds (a finite number above 0), or None."""
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return '%s must be a number of seconds greater than 0, got %r' % (option, value)
    if math.isnan(seconds) or math.isinf(seconds):
        return '%s must be a finite number of seconds greater than 0, got %s' % (option, value)
    if seconds <= 0:
        return '%s must be greater than 0 seconds, got %s' % (option, value)
    return None


def _kind_of_character(char):
    if char in '\r\n':
        return 'a line break'
    if char == '\t':
        return 'a tab'
    if char.isspace():
        return 'a space'
    if ord(char) < 0x20 or ord(char) == 0x7f:
        return 'a control character (U+%04X)' % ord(char)
    return 'a non-ASCII character (U+%04X)' % ord(char)


def token_error(token, option='api_token'):
    """Why `token` (already stripped) cannot be sent as an API token, or None.

    A token is printable ASCII without spaces. A character outside that cannot be part of any token
    (a line break or a quote pasted with it): refused locally, because HTTP libraries refuse it with a message
    that quotes the whole header, token included. The message names the character's kind and its position,
    never the token.
    """
    for position, char in enumerate(str(token), 1):
        if not 0x21 <= ord(char) <= 0x7e:
            return ('%s holds %s at character %d of %d, which no API token contains: copy the token again without '
                    'it (the token is not shown)' % (option, _kind_of_character(char), position, len(token)))
    return None
