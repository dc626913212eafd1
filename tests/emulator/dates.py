"""Dates as the APIs write them, and the expirationDate formats of the Environment API v2 tokens.

expirationDate accepts a timestamp in UTC milliseconds, an ISO date (2021-01-25T05:57:01.123+01:00;
UTC without a zone, a space instead of the T, seconds and fractions optional) or a relative time
now+NU[/A] (units m h d w M y, as documented: no seconds; /A aligns down to the start of that unit, in UTC).
"""

import calendar
import re
import time
from datetime import datetime, timedelta, timezone

RELATIVE = re.compile(r'^now\+(\d+)([mhdwMy])(?:/([mhdwMy]))?$')
ISO = re.compile(r'^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?)?(Z|[+-]\d\d:?\d\d)?$')
STEP = {'s': timedelta(seconds=1), 'm': timedelta(minutes=1), 'h': timedelta(hours=1), 'd': timedelta(days=1),
        'w': timedelta(weeks=1)}


def format_date(epoch_ms):
    """yyyy-MM-ddTHH:mm:ss.SSSZ in UTC."""
    seconds, millis = divmod(int(epoch_ms), 1000)
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(seconds)) + f'.{millis:03d}Z'


def parse_date(text):
    """Epoch ms of a date as format_date writes it (yyyy-MM-ddTHH:mm:ss.SSSZ)."""
    moment = datetime.strptime(text, '%Y-%m-%dT%H:%M:%S.%fZ').replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def _add_months(moment, months):
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def _align(moment, unit):
    moment = moment.replace(microsecond=0)
    fields = {'m': dict(second=0), 'h': dict(minute=0, second=0), 'd': dict(hour=0, minute=0, second=0)}
    if unit in ('w', 'M', 'y'):
        moment = moment.replace(hour=0, minute=0, second=0)
        if unit == 'w':
            return moment - timedelta(days=moment.weekday())
        return moment.replace(day=1) if unit == 'M' else moment.replace(month=1, day=1)
    return moment.replace(**fields.get(unit, {}))


def _relative(match, now_ms):
    amount, unit, alignment = int(match.group(1)), match.group(2), match.group(3)
    moment = datetime.fromtimestamp(now_ms / 1000, timezone.utc)
    if unit in STEP:
        moment += STEP[unit] * amount
    else:
        moment = _add_months(moment, amount * (12 if unit == 'y' else 1))
    if alignment:
        moment = _align(moment, alignment)
    return int(moment.timestamp() * 1000)


def _iso(match):
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    moment = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                      int((fraction or '0').ljust(6, '0')[:6]), timezone.utc)
    if zone and zone != 'Z':
        sign = 1 if zone[0] == '+' else -1
        digits = zone[1:].replace(':', '')
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return int(moment.timestamp() * 1000)


def parse_expiration(value, now_ms):
    """Epoch milliseconds of an expirationDate value; ValueError with the reason when it is not one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if not isinstance(value, str):
        raise ValueError('must be a string or a timestamp in UTC milliseconds')
    text = value.strip()
    if text.isdigit():
        return int(text)
    relative = RELATIVE.match(text)
    if relative:
        return _relative(relative, now_ms)
    iso = ISO.match(text)
    if iso:
        try:
            return _iso(iso)
        except ValueError as error:
            raise ValueError(f'is not a valid date: {value}') from error
    raise ValueError(f'cannot be parsed: {value} (use now+30d, an ISO date or a timestamp in UTC milliseconds)')
