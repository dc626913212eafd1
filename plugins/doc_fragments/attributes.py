# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)


class ModuleDocFragment:
    """Attribute blocks that several modules share, each stated once."""

    # Not used on its own: every module takes one of the named fragments below.
    DOCUMENTATION = r'''
options: {}
'''

    # A module that only reads.
    INFO_MODULE = r'''
attributes:
  check_mode:
    support: full
    description: Reads only, so check mode runs the same requests and returns the same result.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to show.
'''

    # A module whose result holds a secret: an action plugin of the same name runs it and censors the display.
    CENSORED_RESULT = r'''
attributes:
  action:
    support: full
    description: An action plugin of the same name runs the module and has a result holding a secret displayed censored.
  async:
    support: none
    description: Refused, since the final result of an async task would be displayed uncensored.
'''
