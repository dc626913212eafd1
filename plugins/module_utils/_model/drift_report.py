# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The words of drift left as it is: one warning per environment, naming the fields.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure. Ansible prints a diff only for a changed task, so an environment that differs from its
declaration while update_existing is false would be a plain `ok`: every path (dynatrace_environment,
dynatrace_environments and the role) warns instead, which every callback shows without a register.
"""


def drift_warning(name, drift, option='update_existing'):
    """The warning for environment `name` whose `drift` ({field path: {current, desired}}) was not applied."""
    return ('environment %s differs from its declaration and was left as it is (%s is false): %s; set %s: true to '
            'make it match' % (name, option, ', '.join(sorted(drift)), option))
