"""Unit tests of the management-zone permission model and its write step: names, plan, drift, PUT body, retry."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import zone_permissions as model
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.user_group import EnvironmentIndex
from ansible_collections.clusterops.dynatrace.plugins.module_utils._steps import zone_grants
from ansible_collections.clusterops.dynatrace.plugins.module_utils._transport.http import DynatraceError

VSP = 'VIEW_SECURITY_PROBLEMS'
ENVS = EnvironmentIndex([{'id': 'p1', 'name': 'pay'}, {'id': 's1', 'name': 'search'}])
ZONES = model.ZoneIndex({'p1': [{'id': '-1', 'name': 'prod'}, {'id': '2', 'name': 'dev'}, {'id': '3', 'name': 'twin'},
                                {'id': '4', 'name': 'twin'}],
                         's1': [{'id': '-9', 'name': 'prod'}]})


def entry(environment, zone, *permissions, **extra):
    return dict(extra, environment=environment, management_zone=zone, permissions=list(permissions))


def test_well_formed_unknown_names_pass_and_malformed_ones_are_refused():
    assert model.zone_entries_errors([entry('pay', 'prod', 'VIEWER', 'SOME_FUTURE_PERMISSION')]) == []
    errors = model.zone_entries_errors([entry('pay', 'prod', 'viewer'), entry('', 'prod', 'VIEWER'), entry('pay', 'x')])
    assert "management_zone_permissions[0].permissions: 'viewer' is not a well-formed management-zone permission" in errors[0]
    assert errors[1].startswith('management_zone_permissions[1].environment must be')
    assert 'management_zone_permissions[2].permissions must name at least one' in errors[2]
    assert 'VIEW_SECURITY_PROBLEMS cannot be taken away alone' in model.zone_entries_errors(
        [entry('pay', 'prod', VSP, state='absent')])[0]


def test_resolution_names_environment_and_zone_and_lists_twin_ids():
    resolved, errors = model.resolve_zone_entries([entry('pay', 'prod', 'VIEWER'), entry('search', 'prod', 'VIEWER'),
                                                   entry('pay', 'nope', 'VIEWER'), entry('pay', 'twin', 'VIEWER'),
                                                   entry('nowhere', 'prod', 'VIEWER'), entry('p1', 'prod', 'LOG_VIEWER')],
                                                  ENVS, ZONES)
    assert resolved == [('p1', '-1', 'present', {'VIEWER'}), ('s1', '-9', 'present', {'VIEWER'})]
    assert "'nope' does not exist in environment p1 (environment 'pay')" in errors[0]
    assert 'ids: 3, 4' in errors[1]
    assert "(zone 'prod')" in errors[2] and "'nowhere'" in errors[2]
    assert 'list each zone once' in errors[3]


def test_view_security_problems_next_to_viewer_is_never_drift():
    assert model.zone_holds({'VIEWER', VSP}, {'VIEWER'})
    assert model.zone_holds({'VIEWER', VSP, 'LOG_VIEWER'}, {'VIEWER', 'LOG_VIEWER'})
    assert not model.zone_holds({'LOG_VIEWER', VSP}, {'LOG_VIEWER'})  # without VIEWER the cluster adds nothing
    assert not model.zone_holds({'VIEWER', 'LOG_VIEWER'}, {'VIEWER'})
    assert not model.zone_holds({'VIEWER'}, {'VIEWER', 'LOG_VIEWER'})


def test_merge_and_replace_and_the_put_body_carry_every_zone():
    current = {('p1', '-1'): {'VIEWER', VSP}, ('s1', '-9'): {'LOG_VIEWER'}}
    entries = [('p1', '2', 'present', {'MANAGE_SETTINGS'})]
    merged = model.planned_zone_rights(current, entries, 'merge')
    assert merged == {('p1', '-1'): {'VIEWER', VSP}, ('s1', '-9'): {'LOG_VIEWER'}, ('p1', '2'): {'MANAGE_SETTINGS'}}
    assert model.changed_zones(current, merged) == [('p1', '2')]
    replaced = model.planned_zone_rights(current, entries, 'replace')
    assert model.zone_put_body('g', current, replaced) == {'groupId': 'g', 'mzPermissionsPerEnvironment': [
        {'environmentUuid': 'p1', 'mzPermissions': [{'mzId': '-1', 'permissions': []},
                                                    {'mzId': '2', 'permissions': ['MANAGE_SETTINGS']}]},
        {'environmentUuid': 's1', 'mzPermissions': [{'mzId': '-9', 'permissions': []}]}]}
    assert model.planned_zone_rights(current, [('p1', '-1', 'absent', set())], 'merge') == {('s1', '-9'): {'LOG_VIEWER'}}


def test_option_and_diff_use_names_where_they_resolve():
    rights = {('p1', '-1'): {VSP, 'VIEWER'}, ('p1', '3'): {'VIEWER'}, ('gone', '7'): {'VIEWER'}}
    assert model.zone_permissions_option(rights, ENVS, ZONES) == [
        {'environment': 'gone', 'management_zone': '7', 'permissions': ['VIEWER']},
        {'environment': 'pay', 'management_zone': '3', 'permissions': ['VIEWER']},  # a twin name is given by id
        {'environment': 'pay', 'management_zone': 'prod', 'permissions': ['VIEWER', VSP]}]
    assert model.zone_diff_side(rights, [('p1', '-1')], ENVS, ZONES) == {'pay': {'prod': ['VIEWER', VSP]}}


@pytest.mark.parametrize('message, expected', [
    ("Management zone with ID -1 doesn't exist within environment p1", '-1'),
    ("Management zone with ID -12 doesn't exist within environment p1", None),
    ("Environment with UUID -1 doesn't exist", None),
])
def test_a_refusal_names_a_fresh_zone(message, expected):
    assert model.fresh_zone_named(message, {'-1', '2'}) == expected


class Client:
    """Answers the PUTs with the given errors, then 200; records the bodies."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.bodies = []
        self.waited_seconds = 0

    def request(self, method, path, json_body=None, scope=None):
        self.bodies.append(json_body)
        if self.errors:
            raise self.errors.pop(0)


def unknown(zone_id, status=404):
    return DynatraceError("Management zone with ID %s doesn't exist within environment p1" % zone_id, status=status)


def test_the_write_waits_only_for_zones_this_run_resolved():
    slept = []
    client = Client(unknown('-1'), unknown('-1', 400))
    waited = zone_grants.write_zone_permissions(client, 'g', {}, {('p1', '-1'): {'VIEWER'}}, {'-1'}, sleep=slept.append)
    assert waited == 3 and slept == [1, 2] and len(client.bodies) == 3 and client.waited_seconds == 3
    client = Client(unknown('-1'))
    with pytest.raises(DynatraceError):
        zone_grants.write_zone_permissions(client, 'g', {}, {('p1', '-1'): {'VIEWER'}}, {'2'}, sleep=slept.append)
    assert len(client.bodies) == 1
    client = Client(*[unknown('-1')] * 20)
    with pytest.raises(DynatraceError, match='still did not know it after 60 seconds'):
        zone_grants.write_zone_permissions(client, 'g', {}, {('p1', '-1'): {'VIEWER'}}, {'-1'}, sleep=lambda s: None)
    assert len(client.bodies) == len(zone_grants.RETRY_DELAYS) + 1
