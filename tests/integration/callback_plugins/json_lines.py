# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r'''
name: json_lines
type: stdout
short_description: One JSON line per task result, for the collection's own tests
description:
  - Prints C(TASK_RESULT <json>) for every task result, so tests can read registered results exactly.
  - Test helper only; not part of the built collection.
'''

import json

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'stdout'
    CALLBACK_NAME = 'json_lines'

    @staticmethod
    def _parts(result):
        """(host, result dict): public attributes since ansible-core 2.19, private ones before (tests/tools/matrix.sh)."""
        host = getattr(result, 'host', None) or result._host  # pylint: disable=protected-access
        payload = getattr(result, 'result', None)
        return host, (result._result if payload is None else payload)  # pylint: disable=protected-access

    def _emit(self, status, result):
        host, payload = self._parts(result)
        line = dict(task=result.task_name, host=host.get_name(), status=status, result=payload)
        self._display.display('TASK_RESULT ' + json.dumps(line, default=str, sort_keys=True))

    def v2_runner_on_ok(self, result):
        self._emit('changed' if self._parts(result)[1].get('changed') else 'ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._emit('failed', result)

    def v2_runner_on_skipped(self, result):
        self._emit('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._emit('unreachable', result)
