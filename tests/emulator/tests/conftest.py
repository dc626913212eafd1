"""Make the emulator fixtures available when these tests run on their own.

The suite's root conftest loads the same plugin; registering it a second time is skipped.
"""

import pytest

from tests.emulator import pytest_plugin
from tests.emulator.tests.helpers import Api

PLUGIN_NAME = 'tests.emulator.pytest_plugin'


def pytest_configure(config):
    if not config.pluginmanager.has_plugin(PLUGIN_NAME):
        config.pluginmanager.register(pytest_plugin, PLUGIN_NAME)


@pytest.fixture
def api(emulator):  # pylint: disable=redefined-outer-name
    return Api(emulator)
