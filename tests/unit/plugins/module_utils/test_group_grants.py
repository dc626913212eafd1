"""The one merge/replace decision that dynatrace_user_group and the bulk path share."""

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.group_grants import (
    decide, decide_for_environments, settings_errors,
)

CURRENT = {'a': {'VIEWER', 'MANAGE_SETTINGS'}, 'b': {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}, 'c': {'VIEWER', 'LOG_VIEWER'}}


def test_merge_keeps_everything_and_reports_what_the_managed_environments_hold_beyond_the_declaration():
    decision = decide_for_environments(CURRENT, {'a': {'VIEWER'}}, 'merge', managed={'a', 'b'})
    assert decision.rights == CURRENT and decision.changed == [] and decision.revoked == {}
    assert decision.undeclared == {'a': {'MANAGE_SETTINGS'}, 'b': {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}


def test_replace_revokes_on_the_managed_environments_only():
    decision = decide_for_environments(CURRENT, {'a': {'VIEWER'}}, 'replace', managed={'a', 'b'})
    assert decision.rights == {'a': {'VIEWER'}, 'c': {'VIEWER', 'LOG_VIEWER'}}
    assert decision.revoked == {'a': {'MANAGE_SETTINGS'}, 'b': {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}
    assert decision.changed == ['a', 'b'] and decision.undeclared == {}


def test_replace_of_the_whole_group_revokes_everywhere():
    decision = decide_for_environments(CURRENT, {'a': {'MANAGE_SETTINGS'}}, 'replace', managed=None)
    assert decision.rights == {'a': {'VIEWER', 'MANAGE_SETTINGS'}} and sorted(decision.revoked) == ['b', 'c']


def test_the_clusters_own_additions_are_neither_drift_nor_revoked():
    decision = decide_for_environments({'b': {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}, {'b': {'VIEWER'}}, 'replace', {'b'})
    assert decision.revoked == {} and decision.changed == [] and decision.rights == {'b': {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}
    decision = decide_for_environments({'b': {'VIEWER', 'VIEW_SECURITY_PROBLEMS'}}, {'b': {'LOG_VIEWER'}}, 'merge', {'b'})
    assert decision.undeclared == {}


def test_absent_entries_revoke_in_merge_mode_too():
    decision = decide(CURRENT, [('c', 'absent', {'LOG_VIEWER'})], 'merge', managed={'c'})
    assert decision.revoked == {'c': {'LOG_VIEWER'}} and decision.rights['c'] == {'VIEWER'} and decision.undeclared == {}


def test_settings_are_checked_naming_the_option():
    assert settings_errors([{'name': 'g', 'permissions_mode': 'overwrite'}, {'name': 'g'}, {'nme': 'x'}]) == [
        "groups[0].permissions_mode must be merge or replace, got 'overwrite'",
        "groups[1]: group 'g' is listed twice; list each group once",
        'groups[2].name must be a group name (non-empty, no blanks around it), got None',
        'groups[2]: unknown option(s) nme; the options are name, permissions_mode, replace_scope, ldap_group_names, '
        'sso_group_names, cluster_admin, access_account, manage_account, confirm_cluster_admin']


def test_manage_settings_the_cluster_adds_next_to_capture_data_is_no_drift_and_no_revocation():
    held = {'a': {'VIEWER', 'CONFIGURE_REQUEST_CAPTURE_DATA', 'MANAGE_SETTINGS'}}
    for mode in ('merge', 'replace'):
        decision = decide_for_environments(held, {'a': {'CONFIGURE_REQUEST_CAPTURE_DATA'}}, mode, {'a'})
        assert (decision.revoked, decision.undeclared, decision.changed) == ({}, {}, [])
