# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""camelCase (the API) <-> snake_case (the options): the one translation of names.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.
"""

import re


def camel_to_snake(name):
    return re.sub(r'(?<!^)([A-Z])', r'_\1', name).lower()


def snake_to_camel(name):
    head, *rest = name.split('_')
    return head + ''.join(part[:1].upper() + part[1:] for part in rest)


def keys_to_snake(value):
    """Convert every dict key of an API object to snake_case, recursively."""
    if isinstance(value, dict):
        return dict((camel_to_snake(key), keys_to_snake(item)) for key, item in value.items())
    if isinstance(value, list):
        return [keys_to_snake(item) for item in value]
    return value
