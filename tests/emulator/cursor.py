"""Keyset cursors (nextPageKey) for the paged lists: stable under concurrent changes.

A cursor carries the query of the first page and the sort key of the last item returned; the next
page holds the items after that key. An item created or deleted between two pages never shifts
another item onto a page twice or off every page (as an offset cursor would).
"""

import base64
import binascii
import json

from .errors import constraints_violated, violation


def encode_cursor(query):
    """nextPageKey: opaque standard base64 (with + / =, so clients must URL-encode it)."""
    return base64.b64encode(json.dumps(query, separators=(',', ':')).encode()).decode()


def decode_cursor(key, kind):
    """The query a nextPageKey of this `kind` of list carries; a 400 when it was not made for it."""
    try:
        query = json.loads(base64.b64decode(key, validate=True))
        if not isinstance(query, dict) or query.get('list') != kind or not isinstance(query.get('after'), list):
            raise ValueError(key)
        return query
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise constraints_violated([violation('nextPageKey', 'Invalid nextPageKey.', 'QUERY')]) from error


def keyset_page(items, sort_key, reverse, after, size):
    """(page, key of its last item or None when nothing follows) of `items` sorted by `sort_key`."""
    ordered = sorted(items, key=sort_key, reverse=reverse)
    if after is not None:
        mark = tuple(after)
        ordered = [item for item in ordered if (sort_key(item) < mark if reverse else sort_key(item) > mark)]
    page = ordered[:size]
    return page, (list(sort_key(page[-1])) if len(ordered) > size else None)
