# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Controller-side masking of Dynatrace token secrets in text meant for display (internal use only).

A Dynatrace token is `dt0c01.<24 public characters>.<64 secret characters>`; the public part names the token
and may be shown, the secret part never. The modules redact what they know of; this is the last line on the
controller, for text that is about to be displayed (task results, the role's failure message): it masks the
secret part of every token shape, also a cut one, and any bare 64-character secret-shaped word.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import dataclasses
import re

MASK = '****'
# The public part, then whatever of the secret part is there (a cut token keeps only some of it).
_TOKEN_SECRET = re.compile(r'(dt0c01\.[A-Za-z0-9]{24}\.)[A-Za-z0-9]+')
# A bare secret: 64 characters of the token alphabet, at least one a letter, not part of a longer word.
_BARE_SECRET = re.compile(r'(?<![A-Za-z0-9])(?=[0-9]*[A-Z])[A-Z0-9]{64}(?![A-Za-z0-9])')


# A piece of a configured token long enough to be told from an ordinary word.
_PIECE = re.compile(r'[A-Za-z0-9_-]{8,}')


def configured_pieces(values):
    """What to mask of the tokens a task was configured with, however malformed (a line break, a space inside):
    each value whole and stripped, its words, and its runs of 8 or more token characters, longest first."""
    pieces = set()
    for value in values:
        if isinstance(value, str) and value.strip():
            pieces.update([value, value.strip()] + value.split() + _PIECE.findall(value))
    return tuple(sorted((piece for piece in pieces if len(piece) >= 8), key=len, reverse=True))


def mask_text(text, pieces=()):
    """`text` with the secret part of every token shape, every bare secret-shaped word and each of `pieces` masked."""
    for piece in pieces:
        text = text.replace(piece, MASK)
    return _BARE_SECRET.sub(MASK, _TOKEN_SECRET.sub(r'\g<1>' + MASK, text))


def mask_values(value, keep=(), pieces=()):
    """`value` with every string masked, except the values of keys named in `keep`; unchanged parts are kept as they
    are (the same objects). Dataclasses are masked too: ansible-core 2.19 and later carry a failure's message and
    the warnings as dataclasses, and display those even when the result is censored."""
    if isinstance(value, str):
        masked = mask_text(value, pieces)
        return value if masked == value else masked
    if isinstance(value, dict):
        masked = dict((key, item if key in keep else mask_values(item, keep, pieces)) for key, item in value.items())
        changed = any(masked[key] is not item for key, item in value.items())
    elif isinstance(value, (list, tuple)):
        masked = [mask_values(item, keep, pieces) for item in value]
        changed = any(new is not old for new, old in zip(masked, value))
        masked = tuple(masked) if isinstance(value, tuple) else masked
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [field.name for field in dataclasses.fields(value) if field.init]
        masked = dict((name, mask_values(getattr(value, name), keep, pieces)) for name in fields)
        changes = dict((name, item) for name, item in masked.items() if item is not getattr(value, name))
        return dataclasses.replace(value, **changes) if changes else value
    else:
        return value
    return masked if changed else value


def holds_secret(value, keys):
    """True when a key named in `keys` holds a non-empty value anywhere in `value` (nested dicts and lists)."""
    if isinstance(value, dict):
        return any((key in keys and item) or holds_secret(item, keys) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return any(holds_secret(item, keys) for item in value)
    return False
