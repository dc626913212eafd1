"""The pure model of API token options: scopes, names, expiration, metadata view and drift."""

import pytest

from ansible_collections.clusterops.dynatrace.plugins.module_utils._model.token_options import (
    create_body, expiration_value, iso_to_ms, scope_errors, token_drift, token_view, validate_options,
)

NOW = iso_to_ms('2026-06-01T12:00:00Z')


@pytest.mark.parametrize('text, sent', [
    (None, None),
    ('now+30d', 'now+30d'),
    ('now+1m', 'now+1m'),
    ('now+2M', 'now+2M'),
    ('2027-01-31', '2027-01-31T00:00:00.000'),
    ('2027-01-31T12:30', '2027-01-31T12:30:00.000'),
    ('2027-01-31 12:30:15.5', '2027-01-31T12:30:15.500'),
    ('2027-01-31T12:00:00+01:00', '2027-01-31T11:00:00.000'),
    ('2027-01-31T12:00:00-0230', '2027-01-31T14:30:00.000'),
    ('2027-01-31T12:00:00Z', '2027-01-31T12:00:00.000'),
    (str(NOW + 60000), str(NOW + 60000)),
])
def test_expiration_values_sent(text, sent):
    assert expiration_value(text, NOW) == sent


@pytest.mark.parametrize('text, words', [
    ('now+0d', 'cannot be parsed'),
    ('now-1d', 'cannot be parsed'),
    ('now+30x', 'cannot be parsed'),
    ('now+90s', 'cannot be parsed'),
    ('30d', 'cannot be parsed'),
    ('2027-13-01', 'cannot be parsed'),
    ('2027-02-29', 'cannot be parsed'),
    ('2026-06-01T11:59:59Z', 'in the past'),
    ('2026-06-01T12:00:00Z', 'in the past'),
    (str(NOW), 'in the past'),
    ('', 'cannot be parsed'),
])
def test_bad_expirations_name_the_option_and_the_value(text, words):
    with pytest.raises(ValueError) as caught:
        expiration_value(text, NOW)
    assert str(caught.value).startswith("expiration %r" % text) and words in str(caught.value)


def test_scope_rules_refuse_only_what_is_certainly_wrong():
    assert scope_errors(['InstallerDownload', 'metrics.ingest'], required=True) == []
    # Documented scopes of newer clusters, and names nobody documents yet: the cluster decides.
    assert scope_errors(['bizevents.ingest', 'openpipeline.events_data_lineage', 'future.scope'], required=True) == []
    assert scope_errors(None, required=False) == []
    assert 'at least one' in scope_errors([], required=True)[0]
    errors = scope_errors(['ServiceProviderAPI', 'PaaSIntegration', 'metrics ingest', ''], required=True)
    assert len(errors) == 4
    assert 'ServiceProviderAPI is a scope of cluster tokens' in errors[0]
    assert 'PaaSIntegration is not a scope' in errors[1] and 'InstallerDownload' in errors[1]
    assert "'metrics ingest' is not a well-formed" in errors[2] and errors[3].startswith('scopes: ')


def test_validate_options_collects_every_error_and_skips_scopes_for_absent():
    params = dict(environment_id='bad/id', name='n' * 101, scopes=['x y'], expiration='never', state='present')
    assert len(validate_options(params, NOW)) == 3  # the length of a name is the cluster's to judge
    assert validate_options(dict(environment_name='team', name='paas', state='absent'), NOW) == []


def test_create_body_sorts_scopes_without_repeats():
    body = create_body(dict(name='t', scopes=['logs.ingest', 'metrics.ingest', 'logs.ingest'], expiration='now+1d'), NOW)
    assert body == dict(name='t', scopes=['logs.ingest', 'metrics.ingest'], expirationDate='now+1d')
    assert 'expirationDate' not in create_body(dict(name='t', scopes=['DataExport']), NOW)


def test_view_and_drift():
    token = dict(id='dt0c01.A', name='t', enabled=False, scopes=['b', 'a'], expirationDate='2026-06-01T11:00:00.000Z',
                 lastUsedDate='2026-05-01T00:00:00.000Z')
    view = token_view(token, NOW)
    assert view['scopes'] == ['a', 'b'] and view['expired'] is True and view['last_used_date'].startswith('2026-05')
    assert sorted(token_drift(token, ['a', 'b'], NOW)) == ['enabled', 'expired']
    assert token_drift(dict(token, enabled=True, expirationDate=None), ['b', 'a', 'a'], NOW) == {}
    assert token_drift(dict(token, enabled=True, expirationDate=None), ['a'], NOW) == {
        'scopes': {'current': ['a', 'b'], 'desired': ['a']}}
