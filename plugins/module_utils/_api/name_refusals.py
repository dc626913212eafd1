# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a cluster's 400 about names it owns (scopes, permissions) means: an error naming the option and the values.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

The collection refuses locally only what is certainly wrong (api_names) and passes any other
well-formed name on; this is where the cluster's refusal of such a name becomes a clear error.
"""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.api_names import refusal_message, refused_names
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.errors import DynatraceError, ResponseLostError


class NamesRefusedError(DynatraceError):
    """The cluster refused names of a kind (400); the message names the option and the values (also in `names`)."""

    def __init__(self, message, names=(), **details):
        super(NamesRefusedError, self).__init__(message, **details)
        self.names = list(names)


class names_refused(object):  # pylint: disable=invalid-name
    """Around a request that sends `names` of `kind` for `option`: a 400 about them becomes a NamesRefusedError.

    `words` are the words of the request body's field (for example 'scope', 'accessRight'): a 400 whose
    violations or message speak of them, or quote a sent name, is about the names.
    """

    def __init__(self, kind, option, names, words):
        self.kind, self.option, self.names, self.words = kind, option, list(names or ()), words

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, trace):
        if isinstance(exc, DynatraceError) and not isinstance(exc, ResponseLostError) and exc.status == 400 \
                and self.names and self.is_about_names(exc):
            raise NamesRefusedError(refusal_message(self.kind, self.option, self.names, exc),
                                    names=refused_names(self.kind, self.names, exc), status=400)
        return False

    def is_about_names(self, exc):
        texts = [exc.message or ''] + ['%s %s' % pair for pair in exc.violations]
        return any(word.lower() in text.lower() for text in texts for word in self.words) \
            or any(name in text for text in texts for name in self.names)
