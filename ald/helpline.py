"""Is the Santé Info Droits helpline open now, and when does it open next?

Hours come from figures.yml (`helpline_hours`, Europe/Paris; end of a slot exclusive).
Source: FACTS.md, 'Contacts' (document 000: Monday, Wednesday, Friday 14h–18h; Tuesday,
Thursday 14h–20h; the hours come from that document alone, hence configuration).

Public holidays: the published hours say nothing of them, so on a French public holiday
(metropolitan France, from the `holidays` package: fixed and Easter-based days) the line is
never said to be open (it may be closed), and the next opening is on a working day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Mapping, Optional
from zoneinfo import ZoneInfo

import holidays

from ald.dates import format_day_month_fr
from ald.figures import helpline_hours

PARIS = ZoneInfo(helpline_hours().timezone)


@dataclass(frozen=True)
class HelplineStatus:
    """`open_now`; `closes_at`: end of the current slot (None when closed); `next_opening`:
    the start of the next slot after `now` (when open: the one after the current slot), never
    on a public holiday; `holiday`: the French name of today's public holiday ("Noël"), None on
    other days (then `open_now` is False whatever the hours say). Datetimes are in the
    helpline's time zone."""

    open_now: bool
    closes_at: Optional[datetime]
    next_opening: datetime
    holiday: Optional[str] = None


@cache
def _holidays(year: int) -> Mapping[date, str]:
    return dict(holidays.country_holidays("FR", years=year, language="fr"))


def public_holiday(day: date) -> Optional[str]:
    """The French name of the public holiday on `day` ("Lundi de Pâques"), None on other days.
    Metropolitan France as a whole: not Alsace-Moselle's Good Friday and 26 December, nor the
    overseas departments' days."""
    return _holidays(day.year).get(day)


def _local(now: datetime) -> datetime:
    tz = ZoneInfo(helpline_hours().timezone)
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)


def helpline_status(now: datetime) -> HelplineStatus:
    """See HelplineStatus. `now`: any time-zone-aware datetime; a naive one is Paris time.
    Source: FACTS.md, 'Contacts' (000); public holidays: `public_holiday`."""
    hours = helpline_hours()
    tz = ZoneInfo(hours.timezone)
    local = _local(now)
    holiday = public_holiday(local.date())
    closes_at: Optional[datetime] = None
    if holiday is None:
        for start, end in hours.slots.get(local.weekday(), ()):
            if start <= local.time().replace(tzinfo=None) < end:
                closes_at = datetime.combine(local.date(), end, tzinfo=tz)
    next_opening: Optional[datetime] = None
    for offset in range(0, 32):  # a week, plus room for the holidays on the way
        day = local.date() + timedelta(days=offset)
        if public_holiday(day) is not None:
            continue
        for start, _end in hours.slots.get(day.weekday(), ()):
            candidate = datetime.combine(day, start, tzinfo=tz)
            if candidate > local:
                next_opening = candidate
                break
        if next_opening is not None:
            break
    if next_opening is None:
        raise ValueError("helpline_hours has no opening slot")
    return HelplineStatus(
        open_now=closes_at is not None, closes_at=closes_at, next_opening=next_opening, holiday=holiday
    )


def _hour_fr(t: time) -> str:
    return f"{t.hour} h" if t.minute == 0 else f"{t.hour} h {t.minute:02d}"


def format_opening_fr(dt: datetime, today: date) -> str:
    """ "aujourd'hui à 14 h", "demain à 14 h", "lundi 30 novembre à 14 h" (`today`: the Paris
    date of the question)."""
    local = _local(dt)
    hour = _hour_fr(local.time())
    if local.date() == today:
        return f"aujourd'hui à {hour}"
    if local.date() == today + timedelta(days=1):
        return f"demain à {hour}"
    return f"{format_day_month_fr(local.date(), with_weekday=True)} à {hour}"
