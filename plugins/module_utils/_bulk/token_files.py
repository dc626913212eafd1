# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The token folder: one file per secret, mode 0600, each with a manifest that says whose secret it is.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Plain Python, no request. Written by the module on the host it runs on, where a copy task would write them too.
The lifecycle (docs/reliability.md, "The secret lifecycle"):
- prepare() before the first request that can answer a secret: the folder exists (0700), a probe file can be
  created in it, left-over temporary files of an interrupted run are removed, and no manifest names another
  cluster (one folder per cluster).
- write_secret() the moment the server answered: a temporary file created exclusively with mode 0600, written,
  flushed and synced, then renamed into place (a reader never sees half a secret; an interruption leaves no
  file, or the whole one). A file that was there and is not the current token's is moved aside, never lost.
- A manifest `<file>.json` beside each file: the cluster, the environment id and its creation date when known,
  the token's name, id, scopes and expiry, when it was written and the SHA-256 of the secret, so that the
  manifest is known to describe that very file. inspect() tells a usable file from a missing, unverified,
  stale (another incarnation of the environment) or expired one.
"""

import errno
import hashlib
import json
import os
import time

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import token_file_name

FOLDER_MODE = 0o700
FILE_MODE = 0o600
SUFFIX = '.token'
MANIFEST_SUFFIX = '.json'
TEMPORARY_PREFIX = '.clusterops-tmp-'
# A file written more than this before its environment's creation date (cluster clock) belongs to an earlier
# incarnation of the environment (deleted and created again under the same id); the margin absorbs clock skew.
INCARNATION_MARGIN_MS = 10 * 60 * 1000


class TokenFolderError(Exception):
    """The token folder cannot be used; the message says why and what to do."""


def file_name(environment_id, token_name=None):
    """<environment id>.token or <environment id>.<token name>.token; two token names never share a file."""
    return token_file_name(environment_id, token_name)


def recorded(folder):
    """The names of the token files in `folder` (none when it does not exist)."""
    try:
        return sorted(name for name in os.listdir(folder) if name.endswith(SUFFIX))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return []
        raise


def prepare(folder, cluster):
    """Make sure secrets can be written to `folder` before anything is created; raise TokenFolderError if not."""
    try:
        if not os.path.isdir(folder):
            os.makedirs(folder, FOLDER_MODE)
        probe = os.path.join(folder, '%sprobe-%d' % (TEMPORARY_PREFIX, os.getpid()))
        handle = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        os.close(handle)
        os.unlink(probe)
        for name in os.listdir(folder):
            if name.startswith(TEMPORARY_PREFIX):
                _remove(os.path.join(folder, name))
    except OSError as exc:
        raise TokenFolderError('token_dir %s cannot hold the secrets this run may create (%s): nothing was created. '
                               'Give a folder this user can create and write' % (folder, exc.strerror or exc))
    for name in recorded(folder):
        manifest = _read_manifest(folder, name)
        if manifest and manifest.get('cluster') not in (None, cluster):
            raise TokenFolderError('token_dir %s holds token files of another cluster (%s is of %s, this run talks '
                                   'to %s): use one token folder per cluster, so that no file is ever taken for '
                                   'another cluster\'s token. Nothing was created'
                                   % (folder, name, manifest['cluster'], cluster))


def manifest_of(cluster, environment_id, token_name=None, token_id=None, scopes=None, expires=None,
                environment_created=None, now_ms=None):
    """The manifest of a secret (without its digest, which write_secret adds)."""
    return dict(cluster=cluster, environment_id=environment_id, environment_created=environment_created,
                token_name=token_name, token_id=token_id, scopes=sorted(scopes) if scopes else scopes,
                expires=expires, written_ms=int(time.time() * 1000) if now_ms is None else now_ms)


def write_secret(folder, name, secret, manifest, replace_current=False):
    """Write `secret` to folder/name (0600), atomically, with its manifest; return the path an older file was moved to.

    `replace_current`: the file holds the secret this one replaces (a rotation): it is overwritten. Otherwise a
    file that is there is moved aside to <name>.replaced-<ms> (with its manifest) before the new one takes its
    place: it belongs to no token of this environment now, but its secret is never destroyed.
    """
    path = os.path.join(folder, name)
    temporary = _write_temporary(folder, name, secret)
    moved = None
    try:
        if os.path.exists(path) and not replace_current:
            moved = '%s.replaced-%d' % (path, int(time.time() * 1000))
            os.rename(path, moved)
            if os.path.exists(path + MANIFEST_SUFFIX):
                os.rename(path + MANIFEST_SUFFIX, moved + MANIFEST_SUFFIX)
        os.replace(temporary, path)
    finally:
        _remove(temporary)
    record = dict(manifest, secret_sha256=_digest(secret))
    manifest_temporary = _write_temporary(folder, name + MANIFEST_SUFFIX, json.dumps(record, sort_keys=True))
    try:
        os.replace(manifest_temporary, path + MANIFEST_SUFFIX)
    finally:
        _remove(manifest_temporary)
    _sync_folder(folder)
    return moved


def adopt(folder, name, manifest):
    """Write the manifest of a file that has none (written by release 1.0.0) once its secret was shown to be the
    token's own; the file itself is left as it is."""
    secret = read(folder, name)
    if secret is None:
        return False
    temporary = _write_temporary(folder, name + MANIFEST_SUFFIX, json.dumps(dict(manifest, secret_sha256=_digest(secret)),
                                                                            sort_keys=True))
    try:
        os.replace(temporary, os.path.join(folder, name + MANIFEST_SUFFIX))
    finally:
        _remove(temporary)
    return True


class FileState:
    """What the folder holds for one secret: `secret` and `manifest` when there, and `problem` (None when usable)."""

    def __init__(self, secret=None, manifest=None, problem=None):
        self.secret, self.manifest, self.problem = secret, manifest or {}, problem

    @property
    def usable(self):
        return self.problem is None

    @property
    def token_id(self):
        return self.manifest.get('token_id')


def inspect(folder, name, cluster, environment_id, environment_created_ms=None, now_ms=None):
    """The FileState of folder/name for the current cluster and environment (never an exception for a bad file)."""
    secret = read(folder, name)
    if secret is None:
        return FileState(problem='no file')
    manifest = _read_manifest(folder, name)
    if not manifest or manifest.get('secret_sha256') != _digest(secret):
        return FileState(secret, manifest, problem='no manifest that vouches for it (written by hand, by release 1.0.0, '
                                                   'or interrupted while writing)')
    if manifest.get('cluster') != cluster or manifest.get('environment_id') != environment_id:
        return FileState(secret, manifest, problem='written for another cluster or environment')
    written = manifest.get('written_ms')
    if environment_created_ms is not None and isinstance(written, int) and written + INCARNATION_MARGIN_MS < environment_created_ms:
        return FileState(secret, manifest, problem='written before the environment was created (an earlier environment '
                                                   'of the same id, deleted since)')
    expires = manifest.get('expires_ms')
    now_ms = int(time.time() * 1000) if now_ms is None else now_ms
    if isinstance(expires, int) and expires <= now_ms:
        return FileState(secret, manifest, problem='expired')
    return FileState(secret, manifest)


def write_new(folder, name, secret):
    """Write `secret` to folder/name with mode 0600 unless that file exists; True when written (no manifest)."""
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


def _read_manifest(folder, name):
    try:
        with open(os.path.join(folder, name + MANIFEST_SUFFIX)) as stream:
            manifest = json.load(stream)
    except (IOError, OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def _write_temporary(folder, name, content):
    """A new file (created exclusively, 0600) holding `content`, flushed and synced to disk; its path."""
    path = os.path.join(folder, '%s%d-%s' % (TEMPORARY_PREFIX, os.getpid(), name))
    _remove(path)  # a temporary of an earlier thread of this process that was interrupted
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(handle, 'w') as stream:
        stream.write(content)
        stream.flush()
        os.fsync(stream.fileno())
    return path


def _sync_folder(folder):
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _remove(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _digest(secret):
    return hashlib.sha256(secret.strip().encode('utf-8')).hexdigest()
