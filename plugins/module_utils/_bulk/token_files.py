# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The token folder: one file per secret, mode 0600, never overwritten (plain Python, no request).

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Written by the module on the host it runs on, where a copy task would write them too, with one
task for every secret instead of one task per file. A file is created with O_EXCL: an existing
file is never touched, whatever its content, and two runs at once cannot both write one file.
"""

import errno
import os

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SUFFIX = '.token'


def recorded(folder):
    """The names of the token files in `folder` (none when it does not exist)."""
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(SUFFIX))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return []
        raise


def write_new(folder, name, secret):
    """Write `secret` to folder/name with mode 0600 unless that file exists; True when written."""
    if not os.path.isdir(folder):
        os.makedirs(folder, FOLDER_MODE)
    try:
        handle = os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.EEXIST:
            return False
        raise
    with os.fdopen(handle, 'w') as stream:
        stream.write(secret)
    return True


def read(folder, name):
    """The secret in folder/name, or None when there is no such file."""
    try:
        with open(os.path.join(folder, name)) as stream:
            return stream.read().strip()
    except (IOError, OSError):
        return None
