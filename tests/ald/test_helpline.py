"""ald.helpline: opening hours of Santé Info Droits (figures.yml), Europe/Paris."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional
from zoneinfo import ZoneInfo

import pytest

from ald.helpline import format_opening_fr, helpline_status

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
        (paris(2026, 12, 31, 19, 0), True, paris(2026, 12, 31, 20), paris(2027, 1, 1, 14)),  # year boundary
    ],
)
def test_status(now: datetime, open_now: bool, closes_at: Optional[datetime], next_opening: datetime) -> None:
    s = helpline_status(now)
    assert (s.open_now, s.closes_at, s.next_opening) == (open_now, closes_at, next_opening)


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
