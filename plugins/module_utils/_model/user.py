# -*- coding: utf-8 -*-
# Copyright: contributors to the clusterops.dynatrace collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The user model: validation, groups by name, the plan of a list of users from one read, bodies and diffs.

INTERNAL USE ONLY. This module is private to the clusterops.dynatrace collection: its names,
signatures and behaviour may change in any release without notice.

Pure: no client, no request. The API (UserConfig) holds a user's groups as group **ids**; tasks,
results and diffs name them. A first password is only ever put into a create body: it is never
compared, never part of a result, a diff or a message.
"""

STATES = ('present', 'absent')
GROUP_MODES = ('merge', 'replace')
ITEM_OPTIONS = ('id', 'email', 'first_name', 'last_name', 'groups', 'groups_mode', 'password', 'state')
NAME_FIELDS = (('first_name', 'firstName'), ('last_name', 'lastName'))


# ------------------------------------------------------------------------------------------------
# Validation, before any request

def _text_error(where, value, required=False):
    if value is None:
        return ['%s is required' % where] if required else []
    if not isinstance(value, str) or not value.strip():
        return ['%s must be a non-empty string, got %r' % (where, value)]
    if value != value.strip():
        return ['%s must not start or end with blanks, got %r' % (where, value)]
    return []


def item_errors(where, item):
    """Every input error of one user (`where` names it: 'users[3]' or '' for the module's own options)."""
    prefix = where + '.' if where else ''
    if not isinstance(item, dict):
        return ['%s must be a dict with id, email, first_name, last_name, groups' % where]
    errors = ['%s%s is not an option of a user; the options are %s' % (prefix, key, ', '.join(ITEM_OPTIONS))
              for key in sorted(item) if key not in ITEM_OPTIONS]
    state = item.get('state') or 'present'
    if state not in STATES:
        errors.append('%sstate must be present or absent, got %r' % (prefix, state))
    errors += _text_error(prefix + 'id', item.get('id'), required=True)
    errors += _text_error(prefix + 'email', item.get('email'), required=state == 'present')
    if isinstance(item.get('email'), str) and '@' not in item['email']:
        errors.append('%semail must be an email address, got %r' % (prefix, item['email']))
    for option, dummy in NAME_FIELDS:
        errors += _text_error(prefix + option, item.get(option))
    groups = item.get('groups')
    if groups is not None and not isinstance(groups, list):
        errors.append('%sgroups must be a list of group names' % prefix)
    for index, name in enumerate(groups if isinstance(groups, list) else []):
        errors += _text_error('%sgroups[%d]' % (prefix, index), name)
    if (item.get('groups_mode') or 'merge') not in GROUP_MODES:
        errors.append('%sgroups_mode must be merge or replace, got %r' % (prefix, item.get('groups_mode')))
    if item.get('password') is not None and (not isinstance(item['password'], str) or not item['password']):
        errors.append('%spassword must be a non-empty string' % prefix)  # never the value
    if state == 'absent':
        given = [option for option in ('first_name', 'last_name', 'groups', 'password') if item.get(option) is not None]
        if given:
            errors.append('%s%s cannot be used with state absent: the user is deleted'
                          % (prefix, ', '.join(prefix + option for option in given)))
    return errors


def list_errors(items):
    """Errors of a whole list: each item's, then an id (or an email of present users) listed twice."""
    errors, seen_ids, seen_emails = [], {}, {}
    for index, item in enumerate(items):
        errors += item_errors('users[%d]' % index, item)
        if not isinstance(item, dict):
            continue
        for key, seen, value in (('id', seen_ids, item.get('id')), ('email', seen_emails, item.get('email'))):
            if not isinstance(value, str) or (key == 'email' and (item.get('state') or 'present') != 'present'):
                continue
            folded = value.casefold()
            if folded in seen:
                errors.append('users[%d] and users[%d] have the same %s %r; list each user once'
                              % (seen[folded], index, key, value))
            seen.setdefault(folded, index)
    return errors


def validate_user_options(params):
    """Every input error of dynatrace_user's options: one user (id ...) or a list (users), not both."""
    if params.get('users') is not None:
        extra = sorted(option for option in ITEM_OPTIONS
                       if option not in ('state', 'groups_mode') and params.get(option) is not None)
        if extra:
            return ['users cannot be used with %s: give those per item of users' % ', '.join(extra)]
        if not isinstance(params['users'], list) or not all(isinstance(item, dict) for item in params['users']):
            return ['users must be a list of users (dicts with id, email, first_name, last_name, groups)']
        return list_errors(items_of(params))
    if params.get('id') is None:
        return ['one of id (one user) or users (a list of users) is required']
    return item_errors('', items_of(params)[0])


def items_of(params):
    """The users a task declares, each with every option (module-level state and groups_mode as defaults)."""
    defaults = dict(state=params.get('state') or 'present', groups_mode=params.get('groups_mode') or 'merge')
    if params.get('users') is None:
        given = [dict((option, params.get(option)) for option in ITEM_OPTIONS)]
    else:
        given = params['users']
    items = []
    for item in given:
        full = dict((option, item.get(option)) for option in ITEM_OPTIONS)
        full.update((key, value) for key, value in item.items() if key not in ITEM_OPTIONS)  # refused by item_errors
        for option, value in defaults.items():
            full[option] = full[option] or value
        items.append(full)
    return items


# ------------------------------------------------------------------------------------------------
# Groups by name

class GroupIndex:
    """The groups of one listing: resolve the names a task gives, and name the ids a user holds."""

    def __init__(self, groups):
        self.names = dict((group['id'], group['name']) for group in groups)
        self.ids = dict((group['name'], group['id']) for group in groups)

    def resolve(self, name):
        """(group id, None), or (None, error): an unknown name, or one that differs from a group's only in case."""
        if name in self.ids:
            return self.ids[name], None
        folded = sorted(known for known in self.ids if known.casefold() == name.casefold())
        if folded:
            return None, 'group %r does not exist, but %s does (group names are compared exactly)' % (
                name, ', '.join(repr(known) for known in folded))
        return None, 'group %r does not exist; create it first (dynatrace_user_group)' % name

    def name_of(self, group_id):
        """A group's name, or its id when the listing does not know it."""
        return self.names.get(group_id, group_id)


# ------------------------------------------------------------------------------------------------
# Option shape, bodies, diff

def user_to_options(user, index):
    """A user (API shape) in the option shape of dynatrace_user: groups by name, sorted; never a password."""
    if not user:
        return {}
    return dict(id=user.get('id'), email=user.get('email'), first_name=user.get('firstName'),
                last_name=user.get('lastName'), groups=sorted(index.name_of(gid) for gid in user.get('groups') or ()))


def user_body(user_id, email, first_name, last_name, group_ids):
    """A UserConfig without a password (PUT, and the part of a create a check-mode result shows)."""
    return {'id': user_id, 'email': email, 'firstName': first_name, 'lastName': last_name, 'groups': sorted(group_ids)}


def create_body(body, password):
    """The POST body: `body` plus the first password when one is given (the only place a password goes)."""
    return dict(body, passwordClearText=password) if password else dict(body)


def user_diff(before, after, index):
    """before/after in the option shape (no password), headed by the user id."""
    user_id = (after or before)['id']
    return dict(before=user_to_options(before, index), after=user_to_options(after, index),
                before_header='user %s' % user_id, after_header='user %s' % user_id)


# ------------------------------------------------------------------------------------------------
# The plan of a list, from one users read and one groups read

class Step:
    """What one item needs: action is 'create', 'update', 'delete' or 'none'; body never holds a password."""

    def __init__(self, item, action, current, body=None):
        self.item = item
        self.action = action
        self.current = current
        self.body = body

    @property
    def user_id(self):
        return self.item['id']


def _same_email(left, right):
    return (left or '').casefold() == (right or '').casefold()


def _identity_errors(item, current, users):
    """The id and email of an item agree with the cluster: the id's email, and nobody else's email."""
    errors = []
    if current is not None and item.get('email') and not _same_email(current.get('email'), item['email']):
        errors.append('user %r exists with the email %r, not %r: the id may belong to someone else; nothing was '
                      'changed (correct the id or the email)' % (item['id'], current.get('email'), item['email']))
    if item['state'] == 'present' and item.get('email'):
        others = sorted(user['id'] for user in users
                        if user['id'] != item['id'] and _same_email(user.get('email'), item['email']))
        if others:
            errors.append('the email %r of user %r belongs to user %s already' % (item['email'], item['id'], others[0]))
    return errors


def wanted_groups(item, current_ids, index):
    """(the group ids the user should hold, errors) for the item's groups and groups_mode."""
    if item.get('groups') is None:
        return set(current_ids), []
    ids, errors = set(), []
    for name in item['groups']:
        group_id, error = index.resolve(name)
        if error:
            errors.append('user %r: %s' % (item['id'], error))
        else:
            ids.add(group_id)
    return (ids | set(current_ids) if item['groups_mode'] == 'merge' else ids), errors


def plan_item(item, users, index):
    """(Step, errors) of one item against the listings."""
    current = next((user for user in users if user['id'] == item['id']), None)
    errors = _identity_errors(item, current, users)
    if item['state'] == 'absent':
        return Step(item, 'delete' if current is not None else 'none', current), errors
    group_ids, group_errors = wanted_groups(item, (current or {}).get('groups') or (), index)
    errors += group_errors
    base = current or {}
    names = dict((key, item.get(option) or base.get(key)) for option, key in NAME_FIELDS)
    if current is None and not all(names.values()):
        errors.append('user %r does not exist: first_name and last_name are needed to create it' % item['id'])
    email = base.get('email') if current is not None else item['email']
    body = user_body(item['id'], email, names['firstName'], names['lastName'], group_ids)
    if current is None:
        return Step(item, 'create', None, body), errors
    same = all(body[key] == current.get(key) for key in ('firstName', 'lastName')) \
        and set(group_ids) == set(current.get('groups') or ())
    return Step(item, 'none' if same else 'update', current, body), errors


def plan_users(items, users, groups):
    """([Step], errors, GroupIndex) of every item; any error refuses the whole list before its first write."""
    index = GroupIndex(groups)
    steps, errors = [], []
    for item in items:
        step, item_errors_found = plan_item(item, users, index)
        steps.append(step)
        errors += item_errors_found
    return steps, errors, index


# ------------------------------------------------------------------------------------------------
# The export

EXPORT_KEYS = ('id', 'email', 'first_name', 'last_name', 'groups')


def export_users(users):
    """The role's `environments_users` of `users` (the option shape of dynatrace_user_info): sorted by id, groups
    sorted and replaced on apply (the repository holds each user's groups whole). Never a password: none is read."""
    exported = []
    for user in sorted(users or (), key=lambda user: user['id']):
        item = dict((key, sorted(user.get(key) or ()) if key == 'groups' else user.get(key)) for key in EXPORT_KEYS)
        item['groups_mode'] = 'replace'
        exported.append(item)
    return exported
