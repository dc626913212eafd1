"""Unit tests of the user group model: validation, environment names, merge and replace, implied permissions, diff."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model import user_group as model
from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.group_grants import decide

VSP = 'VIEW_SECURITY_PROBLEMS'
INDEX = model.EnvironmentIndex([{'id': 'p1', 'name': 'prod'}, {'id': 'd1', 'name': 'dev'},
                                {'id': 't1', 'name': 'twin'}, {'id': 't2', 'name': 'twin'},
                                {'id': 'dev', 'name': 'odd'}])


def planned_rights(current, entries, mode):
    """The rights the shared decision sends (the whole group managed, as dynatrace_user_group's replace)."""
    return decide(current, entries, mode, None if mode == 'replace' else set(env for env, dummy, dummy2 in entries)).rights


def params(**options):
    return dict(dict(name='team', state='present', permissions_mode='merge'), **options)


# ------------------------------------------------------------------------------------------------
# Validation

def test_valid_options_give_no_error():
    assert model.validate_group_options(params(ldap_group_names=['cn=a'], sso_group_names=[], permissions=[
        dict(environment='prod', permissions=['VIEWER', 'MANAGE_SETTINGS']),
        dict(environment='dev', state='absent', permissions=None),
        dict(environment='p1', state='absent', permissions=['VIEWER', VSP])])) == []
    assert model.validate_group_options(params(state='absent')) == []


@pytest.mark.parametrize('options, message', [
    (dict(name=''), 'name must be a non-empty group name'),
    (dict(name='team '), 'name must not start or end with blanks'),
    (dict(permissions_mode='union'), 'permissions_mode must be merge or replace'),
    (dict(ldap_group_names=['ok', ' ']), 'ldap_group_names[1] must be a non-empty string'),
    (dict(sso_group_names='cn=a'), 'sso_group_names must be a list of strings'),
    (dict(permissions={'prod': ['VIEWER']}), 'permissions must be a list'),
    (dict(permissions=['prod']), 'permissions[0] must be a dict'),
    (dict(permissions=[dict(environment='', permissions=['VIEWER'])]), 'permissions[0].environment must be the name or id'),
    (dict(permissions=[dict(environment='prod', permissions=['VIEWER', 'admin'])]),
     "permissions[0].permissions: 'admin' is not a well-formed environment permission name"),
    (dict(permissions=[dict(environment='prod', permissions=[])]), 'permissions[0].permissions must name at least one'),
    (dict(permissions=[dict(environment='prod', state='gone', permissions=['VIEWER'])]), 'permissions[0].state must be'),
    (dict(permissions=[dict(environment='prod', state='absent', permissions=[VSP])]), 'cannot be taken away alone'),
    (dict(state='absent', sso_group_names=['x']), 'sso_group_names cannot be used with state absent'),
])
def test_invalid_options_name_the_option_and_the_rule(options, message):
    errors = model.validate_group_options(params(**options))
    assert len(errors) == 1 and message in errors[0], errors


@pytest.mark.parametrize('grants, message', [
    ({'g': ['VIEWER ']}, "permissions[g]: 'VIEWER ' is not a well-formed"),
    ({'g': []}, 'permissions[g] must name at least one permission'),
    ({' g': ['VIEWER']}, 'is not a usable group name'),
    (['g'], 'must be a map from group name'),
])
def test_grant_errors(grants, message):
    errors = model.grant_errors(grants)
    assert len(errors) == 1 and message in errors[0], errors


# ------------------------------------------------------------------------------------------------
# Environments by name or id

@pytest.mark.parametrize('value, resolved', [('prod', 'p1'), ('p1', 'p1'), ('t2', 't2'), ('odd', 'dev')])
def test_a_name_or_an_id_resolves_to_one_environment(value, resolved):
    assert INDEX.resolve(value) == (resolved, None)


@pytest.mark.parametrize('value, words', [
    ('nope', ["'nope' does not exist"]),
    ('twin', ["'twin' is ambiguous", '2 environments', 't1, t2', 'give the id']),
    ('dev', ["'dev' is ambiguous", 'd1, dev']),  # the name of one environment and the id of another
])
def test_unknown_and_ambiguous_values_are_refused_naming_them(value, words):
    environment_id, error = INDEX.resolve(value)
    assert environment_id is None
    for word in words:
        assert word in error


def test_references_are_names_when_they_resolve_back_else_ids():
    assert [INDEX.reference(env_id) for env_id in ('p1', 't1', 'd1', 'dev', 'gone')] == ['prod', 't1', 'd1', 'odd', 'gone']


def test_resolve_entries_collects_every_error_and_refuses_an_environment_twice():
    entries = [dict(environment='prod', permissions=['VIEWER']), dict(environment='nope', permissions=['VIEWER']),
               dict(environment='p1', state='absent'), dict(environment='twin', permissions=['VIEWER'])]
    resolved, errors = model.resolve_entries(entries, INDEX)
    assert resolved == [('p1', 'present', {'VIEWER'})]
    assert [error.split(':')[0] for error in errors] == ['permissions[1]', 'permissions[0] and permissions[2] both name '
                                                         'environment p1; list each environment once', 'permissions[3]']


# ------------------------------------------------------------------------------------------------
# accessRight, merge and replace

GROUP = {'id': 'g1', 'name': 'team', 'accessRight': {'VIEWER': ['p1', 'd1'], 'MANAGE_SETTINGS': ['p1'], VSP: ['p1', 'd1']}}


def test_access_right_and_rights_are_each_others_transpose():
    rights = model.rights_of(GROUP)
    assert rights == {'p1': {'VIEWER', 'MANAGE_SETTINGS', VSP}, 'd1': {'VIEWER', VSP}}
    assert model.access_right(rights) == {'MANAGE_SETTINGS': ['p1'], 'VIEWER': ['d1', 'p1'], VSP: ['d1', 'p1']}
    assert model.rights_of({'accessRight': None}) == {} and model.rights_of(None) == {}


def test_merge_adds_viewer_with_the_declared_permissions_and_keeps_the_rest():
    planned = planned_rights(model.rights_of(GROUP), [('t1', 'present', {'LOG_VIEWER'})], 'merge')
    assert planned == {'p1': {'VIEWER', 'MANAGE_SETTINGS', VSP}, 'd1': {'VIEWER', VSP}, 't1': {'VIEWER', 'LOG_VIEWER'}}
    assert model.changed_environments(model.rights_of(GROUP), planned) == ['t1']


def test_replace_keeps_only_the_declared_environments():
    planned = planned_rights(model.rights_of(GROUP), [('d1', 'present', {'AGENT_INSTALL'})], 'replace')
    assert planned == {'d1': {'VIEWER', 'AGENT_INSTALL', VSP}}  # the cluster's own VSP next to VIEWER is sent back
    assert model.changed_environments(model.rights_of(GROUP), planned) == ['d1', 'p1']


@pytest.mark.parametrize('taken, left', [
    (set(), {'d1': {'VIEWER', VSP}}),
    ({'VIEWER'}, {'d1': {'VIEWER', VSP}}),
    ({'MANAGE_SETTINGS'}, {'p1': {'VIEWER', VSP}, 'd1': {'VIEWER', VSP}}),
    ({'LOG_VIEWER'}, {'p1': {'VIEWER', 'MANAGE_SETTINGS', VSP}, 'd1': {'VIEWER', VSP}}),
])
def test_absent_entries_take_permissions_away_and_viewer_takes_all(taken, left):
    assert planned_rights(model.rights_of(GROUP), [('p1', 'absent', taken)], 'merge') == left


@pytest.mark.parametrize('current, wanted, holds', [
    ({'VIEWER', 'MANAGE_SETTINGS'}, {'VIEWER', 'MANAGE_SETTINGS'}, True),
    ({'VIEWER', 'MANAGE_SETTINGS', VSP}, {'VIEWER', 'MANAGE_SETTINGS'}, True),  # the server added VSP
    ({'MANAGE_SETTINGS'}, {'MANAGE_SETTINGS'}, True),  # a cluster that adds nothing
    ({'VIEWER', VSP}, {'VIEWER', 'MANAGE_SETTINGS'}, False),
    ({'VIEWER', 'LOG_VIEWER'}, {'VIEWER'}, False),
    ({'VIEWER'}, set(), False),
    ({VSP}, set(), False),
    (set(), set(), True),
    (None, None, True),
])
def test_implied_permissions_are_never_drift(current, wanted, holds):
    assert model.environment_holds(current, wanted) is holds


def test_names_differ_only_when_given_and_compared_as_sets():
    group = {'ldapGroupNames': ['a', 'b']}
    assert not model.names_differ(group, 'ldapGroupNames', None)
    assert not model.names_differ(group, 'ldapGroupNames', ['b', 'a', 'a'])
    assert model.names_differ(group, 'ldapGroupNames', ['a'])
    assert model.names_differ({}, 'ssoGroupNames', ['x']) and not model.names_differ({}, 'ssoGroupNames', [])


# ------------------------------------------------------------------------------------------------
# Bodies

def test_create_body_has_no_id_and_sorted_unique_names():
    body = model.create_body('team', {'p1': {'VIEWER'}}, ['b', 'a', 'b'], None)
    assert body == {'name': 'team', 'isClusterAdminGroup': False, 'isAccessAccount': False, 'isManageAccount': False,
                    'ldapGroupNames': ['a', 'b'], 'ssoGroupNames': [], 'accessRight': {'VIEWER': ['p1']}}


def test_update_body_is_the_whole_group_with_write_only_roles_filled_from_the_read_ones():
    group = dict(GROUP, isClusterAdminGroup=True, ldapGroupNames=['cn=a'], ssoGroupNames=['s'], hasAccessAccountRole=True,
                 hasManageAccountAndViewProductUsageRole=True, futureField={'kept': 1})
    body = model.update_body(group, {'d1': {'VIEWER'}}, sso_group_names=[])
    assert body['id'] == 'g1' and body['isClusterAdminGroup'] is True and body['futureField'] == {'kept': 1}
    assert body['isAccessAccount'] is True and body['isManageAccount'] is True
    assert body['ldapGroupNames'] == ['cn=a'] and body['ssoGroupNames'] == []
    assert body['accessRight'] == {'VIEWER': ['d1']}
    assert group['accessRight'] == GROUP['accessRight']  # the read group is not changed
    assert model.update_body({'id': 'g', 'name': 'n'}, {})['isManageAccount'] is False


# ------------------------------------------------------------------------------------------------
# Option shape and diff

def test_group_to_options_names_environments_in_the_documented_order_of_permissions():
    group = dict(GROUP, accessRight=dict(GROUP['accessRight'], FUTURE_PERMISSION=['t1']), ldapGroupNames=['b', 'a'])
    assert model.group_to_options(group, INDEX) == {
        'name': 'team', 'ldap_group_names': ['a', 'b'], 'sso_group_names': [], 'permissions': [
            {'environment': 'd1', 'permissions': ['VIEWER', VSP]},
            {'environment': 'prod', 'permissions': ['VIEWER', 'MANAGE_SETTINGS', VSP]},
            {'environment': 't1', 'permissions': ['FUTURE_PERMISSION']}],
        'cluster_admin': False, 'access_account': False, 'manage_account': False}


@pytest.mark.parametrize('flags, access, manage', [
    ({'isAccessAccount': True, 'isManageAccount': False}, True, False),  # current clusters
    ({'isAccessAccount': False, 'isManageAccount': True}, False, True),
    ({'hasAccessAccountRole': True, 'hasManageAccountAndViewProductUsageRole': False}, True, False),  # 2021 spec
    ({'hasAccessAccountRole': False, 'hasManageAccountAndViewProductUsageRole': True}, False, True),
    ({'hasManageAccountAndViewProductNewsRoles': True}, False, False),  # a field no cluster has
])
def test_group_details_read_the_account_flags_of_either_read_model(flags, access, manage):
    assert model.group_details(dict(GROUP, **flags)) == {
        'id': 'g1', 'is_cluster_admin_group': False, 'access_account': access, 'manage_account': manage}


def test_newer_permissions_pass_and_capture_data_implies_manage_settings():
    assert model.validate_group_options(dict(name='g', permissions=[
        dict(environment='prod', permissions=['MANAGE_SUPPORT_TICKETS', 'SOME_FUTURE_PERMISSION'])])) == []
    capture = {'VIEWER', 'CONFIGURE_REQUEST_CAPTURE_DATA', 'MANAGE_SETTINGS', VSP}
    assert model.environment_holds(capture, {'VIEWER', 'CONFIGURE_REQUEST_CAPTURE_DATA'})
    assert not model.environment_holds({'VIEWER', 'MANAGE_SETTINGS'}, {'VIEWER'})
    assert model.declared_permissions(capture) == {'CONFIGURE_REQUEST_CAPTURE_DATA'}
    assert model.sorted_permissions({'Z_NEW', 'MANAGE_SUPPORT_TICKETS', 'VIEWER'}) == [
        'VIEWER', 'MANAGE_SUPPORT_TICKETS', 'Z_NEW']


def test_group_diff_shows_the_changed_environments_by_name_and_changed_name_lists():
    current = model.rights_of(GROUP)
    planned = planned_rights(current, [('p1', 'absent', set()), ('t2', 'present', {'LOG_VIEWER'})], 'merge')
    diff = model.group_diff('team', current, planned, INDEX, {'ldap_group_names': []}, {'ldap_group_names': ['cn=a']})
    assert diff['before'] == {'permissions': {'prod': ['VIEWER', 'MANAGE_SETTINGS', VSP], 't2': []}, 'ldap_group_names': []}
    assert diff['after'] == {'permissions': {'prod': [], 't2': ['VIEWER', 'LOG_VIEWER']}, 'ldap_group_names': ['cn=a']}


@pytest.mark.parametrize('held, declared', [
    ({'VIEWER', 'MANAGE_SETTINGS'}, {'MANAGE_SETTINGS'}),
    ({'VIEWER', 'MANAGE_SETTINGS', 'VIEW_SECURITY_PROBLEMS'}, {'MANAGE_SETTINGS'}),
    ({'VIEWER', 'VIEW_SECURITY_PROBLEMS'}, {'VIEWER'}),
    ({'VIEWER'}, {'VIEWER'}),
    ({'VIEWER', 'MANAGE_SECURITY_PROBLEMS', 'LOG_VIEWER'}, {'MANAGE_SECURITY_PROBLEMS', 'LOG_VIEWER'}),
    (set(), set()),
])
def test_declared_permissions_leave_out_what_the_cluster_adds_and_still_hold(held, declared):
    assert model.declared_permissions(held) == declared
    assert model.environment_holds(held, declared)  # what is declared is exactly what the group holds
    if declared:  # and applied in merge mode it gives back what was held, the server's additions aside
        planned = planned_rights({}, [('e', 'present', declared)], 'merge')
        assert model.environment_holds(planned['e'], declared)
