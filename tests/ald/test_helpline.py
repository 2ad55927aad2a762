"""ald.helpline: opening hours of Santé Info Droits (figures.yml), Europe/Paris."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional
from zoneinfo import ZoneInfo

import pytest

from ald.helpline import format_opening_fr, helpline_status, public_holiday

PARIS = ZoneInfo("Europe/Paris")


def paris(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=PARIS)


# 2026-11-23 is a Monday.
@pytest.mark.parametrize(
    "now, open_now, closes_at, next_opening",
    [
        (paris(2026, 11, 23, 13, 59), False, None, paris(2026, 11, 23, 14)),
        (paris(2026, 11, 23, 14, 0), True, paris(2026, 11, 23, 18), paris(2026, 11, 24, 14)),
        (paris(2026, 11, 23, 17, 59), True, paris(2026, 11, 23, 18), paris(2026, 11, 24, 14)),
        (paris(2026, 11, 23, 18, 0), False, None, paris(2026, 11, 24, 14)),
        (paris(2026, 11, 24, 17, 59), True, paris(2026, 11, 24, 20), paris(2026, 11, 25, 14)),  # Tuesday
        (paris(2026, 11, 24, 18, 0), True, paris(2026, 11, 24, 20), paris(2026, 11, 25, 14)),
        (paris(2026, 11, 24, 19, 59), True, paris(2026, 11, 24, 20), paris(2026, 11, 25, 14)),
        (paris(2026, 11, 24, 20, 0), False, None, paris(2026, 11, 25, 14)),
        (paris(2026, 11, 25, 18, 0), False, None, paris(2026, 11, 26, 14)),  # Wednesday
        (paris(2026, 11, 25, 19, 0), False, None, paris(2026, 11, 26, 14)),
        (paris(2026, 11, 26, 19, 59), True, paris(2026, 11, 26, 20), paris(2026, 11, 27, 14)),  # Thursday
        (paris(2026, 11, 27, 17, 59), True, paris(2026, 11, 27, 18), paris(2026, 11, 30, 14)),  # Friday
        (paris(2026, 11, 27, 18, 0), False, None, paris(2026, 11, 30, 14)),
        (paris(2026, 11, 27, 19, 0), False, None, paris(2026, 11, 30, 14)),
        (paris(2026, 11, 28, 15, 0), False, None, paris(2026, 11, 30, 14)),  # Saturday
        (paris(2026, 11, 29, 15, 0), False, None, paris(2026, 11, 30, 14)),  # Sunday
        (paris(2026, 11, 23, 0, 0), False, None, paris(2026, 11, 23, 14)),
        (paris(2026, 3, 29, 15, 0), False, None, paris(2026, 3, 30, 14)),  # Sunday of the spring DST change
        (paris(2026, 3, 30, 14, 0), True, paris(2026, 3, 30, 18), paris(2026, 3, 31, 14)),
        (paris(2026, 10, 25, 12, 0), False, None, paris(2026, 10, 26, 14)),  # Sunday of the autumn DST change
        (paris(2026, 10, 26, 14, 30), True, paris(2026, 10, 26, 18), paris(2026, 10, 27, 14)),
        (paris(2026, 12, 31, 19, 0), True, paris(2026, 12, 31, 20), paris(2027, 1, 4, 14)),  # 1 Jan: holiday
    ],
)
def test_status(now: datetime, open_now: bool, closes_at: Optional[datetime], next_opening: datetime) -> None:
    s = helpline_status(now)
    assert (s.open_now, s.closes_at, s.next_opening, s.holiday) == (open_now, closes_at, next_opening, None)


# French public holidays (metropolitan France), with the first working-day opening after them.
HOLIDAYS = [
    (date(2027, 1, 1), "Jour de l'an", paris(2027, 1, 4, 14)),  # Friday
    (date(2026, 4, 6), "Lundi de Pâques", paris(2026, 4, 7, 14)),
    (date(2027, 3, 29), "Lundi de Pâques", paris(2027, 3, 30, 14)),
    (date(2026, 5, 1), "Fête du Travail", paris(2026, 5, 4, 14)),  # Friday
    (date(2027, 5, 1), "Fête du Travail", paris(2027, 5, 3, 14)),  # Saturday
    (date(2026, 5, 8), "Fête de la Victoire", paris(2026, 5, 11, 14)),  # Friday
    (date(2026, 5, 14), "Ascension", paris(2026, 5, 15, 14)),  # Thursday
    (date(2027, 5, 6), "Ascension", paris(2027, 5, 7, 14)),
    (date(2026, 5, 25), "Lundi de Pentecôte", paris(2026, 5, 26, 14)),
    (date(2027, 5, 17), "Lundi de Pentecôte", paris(2027, 5, 18, 14)),
    (date(2026, 7, 14), "Fête nationale", paris(2026, 7, 15, 14)),  # Tuesday
    (date(2027, 7, 14), "Fête nationale", paris(2027, 7, 15, 14)),  # Wednesday
    (date(2026, 8, 15), "Assomption", paris(2026, 8, 17, 14)),  # Saturday
    (date(2027, 8, 15), "Assomption", paris(2027, 8, 16, 14)),  # Sunday
    (date(2026, 11, 1), "Toussaint", paris(2026, 11, 2, 14)),  # Sunday
    (date(2027, 11, 1), "Toussaint", paris(2027, 11, 2, 14)),  # Monday
    (date(2026, 11, 11), "Armistice", paris(2026, 11, 12, 14)),  # Wednesday
    (date(2027, 11, 11), "Armistice", paris(2027, 11, 12, 14)),  # Thursday
    (date(2026, 12, 25), "Noël", paris(2026, 12, 28, 14)),  # Friday
    (date(2027, 12, 25), "Noël", paris(2027, 12, 27, 14)),  # Saturday
]


@pytest.mark.parametrize("day, name, next_opening", HOLIDAYS)
@pytest.mark.parametrize("hour", [0, 10, 14, 15, 19, 23])
def test_never_open_on_a_public_holiday(day: date, name: str, next_opening: datetime, hour: int) -> None:
    s = helpline_status(paris(day.year, day.month, day.day, hour))
    assert (s.open_now, s.closes_at, s.holiday, s.next_opening) == (False, None, name, next_opening)


@pytest.mark.parametrize(
    "day, name",
    [(d, n) for d, n, _ in HOLIDAYS]
    + [
        (date(2027, 3, 26), None),  # Good Friday: a holiday in Alsace-Moselle only
        (date(2026, 12, 26), None),  # St Stephen's Day: Alsace-Moselle only
        (date(2026, 12, 24), None),
        (date(2026, 12, 31), None),
        (date(2027, 3, 28), None),  # Easter Sunday: a Sunday, not a public holiday of its own here
        (date(2026, 11, 23), None),
    ],
)
def test_public_holiday(day: date, name: Optional[str]) -> None:
    assert public_holiday(day) == name


# Working days around holidays: open as usual, and the next opening skips the holiday.
@pytest.mark.parametrize(
    "now, open_now, closes_at, next_opening",
    [
        (paris(2026, 12, 24, 15), True, paris(2026, 12, 24, 20), paris(2026, 12, 28, 14)),  # Thu; Fri 25
        (paris(2026, 12, 24, 21), False, None, paris(2026, 12, 28, 14)),
        (paris(2026, 12, 28, 15), True, paris(2026, 12, 28, 18), paris(2026, 12, 29, 14)),  # after Christmas
        (paris(2027, 3, 26, 15), True, paris(2027, 3, 26, 18), paris(2027, 3, 30, 14)),  # Good Fri; Mon 29
        (paris(2027, 3, 30, 15), True, paris(2027, 3, 30, 20), paris(2027, 3, 31, 14)),  # after Easter Mon
        (paris(2026, 5, 13, 15), True, paris(2026, 5, 13, 18), paris(2026, 5, 15, 14)),  # Wed; Ascension
        (paris(2026, 5, 13, 10), False, None, paris(2026, 5, 13, 14)),
        (paris(2026, 5, 7, 20, 30), False, None, paris(2026, 5, 11, 14)),  # Thu 7 evening; Fri 8 May
        (paris(2026, 7, 13, 17), True, paris(2026, 7, 13, 18), paris(2026, 7, 15, 14)),  # Mon; Tue 14 July
        (paris(2026, 11, 10, 19), True, paris(2026, 11, 10, 20), paris(2026, 11, 12, 14)),  # Tue; Wed 11 Nov
        (paris(2027, 5, 14, 18), False, None, paris(2027, 5, 18, 14)),  # Fri; Whit Monday 17
    ],
)
def test_next_opening_skips_a_holiday_on_an_opening_day(
    now: datetime, open_now: bool, closes_at: Optional[datetime], next_opening: datetime
) -> None:
    s = helpline_status(now)
    assert (s.open_now, s.closes_at, s.next_opening, s.holiday) == (open_now, closes_at, next_opening, None)


def test_the_holiday_is_the_paris_date() -> None:
    # 23:30 UTC on 24 December is 00:30 on Christmas Day in Paris, and the reverse.
    assert helpline_status(datetime(2026, 12, 24, 23, 30, tzinfo=timezone.utc)).holiday == "Noël"
    s = helpline_status(datetime(2026, 12, 25, 23, 30, tzinfo=timezone.utc))  # Saturday 26, 00:30
    assert (s.holiday, s.next_opening) == (None, paris(2026, 12, 28, 14))


@pytest.mark.parametrize(
    "now, open_now",
    [
        (datetime(2026, 11, 23, 13, 0, tzinfo=timezone.utc), True),  # 14:00 in Paris (winter, UTC+1)
        (datetime(2026, 11, 23, 12, 59, tzinfo=timezone.utc), False),
        (datetime(2026, 7, 6, 12, 0, tzinfo=timezone.utc), True),  # 14:00 in Paris (summer, UTC+2)
        (datetime(2026, 7, 6, 11, 59, tzinfo=timezone.utc), False),
        (datetime(2026, 7, 6, 16, 0, tzinfo=timezone.utc), False),  # 18:00 in Paris
        (datetime(2026, 11, 23, 14, 0), True),  # naive = Paris
        (datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("America/New_York")), True),  # 14:00 Paris
    ],
)
def test_status_any_time_zone(now: datetime, open_now: bool) -> None:
    assert helpline_status(now).open_now is open_now


def test_next_opening_is_in_paris_time_after_dst() -> None:
    s = helpline_status(paris(2026, 3, 27, 19, 0))  # Friday before the spring change
    assert s.next_opening == paris(2026, 3, 30, 14)
    assert s.next_opening.utcoffset().total_seconds() == 7200  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "dt, today, text",
    [
        (paris(2026, 11, 23, 14), date(2026, 11, 23), "aujourd'hui à 14 h"),
        (paris(2026, 11, 24, 14), date(2026, 11, 23), "demain à 14 h"),
        (paris(2026, 11, 30, 14), date(2026, 11, 27), "lundi 30 novembre à 14 h"),
        (paris(2026, 12, 1, 14), date(2026, 11, 28), "mardi 1er décembre à 14 h"),
        (paris(2026, 11, 30, 14, 30), date(2026, 11, 27), "lundi 30 novembre à 14 h 30"),
    ],
)
def test_format_opening_fr(dt: datetime, today: date, text: str) -> None:
    assert format_opening_fr(dt, today) == text
