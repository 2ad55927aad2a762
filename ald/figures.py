"""Typed loader for figures.yml, the one place for figures that change over time.

Rules never retype a figure: they read it here (`figure("delai_decision").months`).
The file is read once (cached); ALD_FIGURES=/path/to/figures.yml points to another file
(tests). Source of every value: FACTS.md, as written in each entry's `source`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

from ald import content, settings
from ald.content import content_file, load_yaml

DEFAULT_PATH = content_file("figures.yml")


@dataclass(frozen=True)
class Figure:
    """One entry of figures.yml: the value as written for answers ("2 €", "un mois"), and the
    machine values some entries carry (`days`, `months`) for computations."""

    key: str
    value: str
    source: str
    since: Optional[date] = None
    checked: Optional[date] = None
    days: Optional[int] = None
    months: Optional[int] = None


@dataclass(frozen=True)
class HelplineHours:
    """Opening slots of the Santé Info Droits line: weekday (0 = Monday) → ((start, end), ...),
    end exclusive, in `timezone`. Source: FACTS.md, 'Contacts' (document 000)."""

    timezone: str
    slots: Mapping[int, Tuple[Tuple[time, time], ...]]


def _path() -> Path:
    return Path(settings.from_environment("ALD_FIGURES") or DEFAULT_PATH)


def _date(value: Any) -> Optional[date]:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


@cache
def _load() -> Dict[str, Any]:
    data = load_yaml(_path())
    if not isinstance(data.get("figures"), dict):
        raise ValueError(f"{_path()}: no 'figures' mapping")
    return data


@cache
def figure(key: str) -> Figure:
    """The figure `key` of figures.yml (KeyError if there is none)."""
    raw = _load()["figures"][key]
    return Figure(
        key=key,
        value=str(raw["value"]),
        source=str(raw.get("source", "")),
        since=_date(raw.get("since")),
        checked=_date(raw.get("checked")),
        days=int(raw["days"]) if raw.get("days") is not None else None,
        months=int(raw["months"]) if raw.get("months") is not None else None,
    )


def figure_days(key: str) -> int:
    """The `days` of a figure (ValueError if it has none)."""
    days = figure(key).days
    if days is None:
        raise ValueError(f"figure {key!r} has no 'days'")
    return days


def figure_months(key: str) -> int:
    """The `months` of a figure (ValueError if it has none)."""
    months = figure(key).months
    if months is None:
        raise ValueError(f"figure {key!r} has no 'months'")
    return months


def figure_values() -> Dict[str, str]:
    """key → value as written, for every figure (fills the fig_<key> slots of the answers)."""
    return {key: figure(key).value for key in _load()["figures"]}


def since_text(key: str) -> str:
    """The date a figure applies from, for answers: "2018" for a 1 January (a yearly figure),
    "15 mai 2024" otherwise (ValueError when the figure has no `since`)."""
    from ald.dates import format_date_fr  # (ald.dates is heavier; only answers need it)

    since = figure(key).since
    if since is None:
        raise ValueError(f"figure {key!r} has no 'since'")
    return str(since.year) if (since.month, since.day) == (1, 1) else format_date_fr(since)


def fill_figures(text: str) -> str:
    """`text` with its {fig_<key>} placeholders replaced by the figures' values, and its
    {fig_<key>_since} placeholders by the date the figure applies from (since_text): a figure
    that may be out of date is said with its date."""
    for key, value in figure_values().items():
        text = text.replace("{fig_" + key + "}", value)
        if "{fig_" + key + "_since}" in text:
            text = text.replace("{fig_" + key + "_since}", since_text(key))
    return text


def _time(text: str) -> time:
    hours, minutes = str(text).split(":")
    return time(int(hours), int(minutes))


@cache
def helpline_hours() -> HelplineHours:
    """The helpline opening hours of figures.yml (`helpline_hours`)."""
    raw = _load()["helpline_hours"]
    slots: Dict[int, Tuple[Tuple[time, time], ...]] = {}
    for weekday, ranges in (raw.get("slots") or {}).items():
        day = int(weekday)
        if not 0 <= day <= 6:
            raise ValueError(f"helpline_hours: weekday {weekday!r} not in 0..6")
        parsed = tuple((_time(a), _time(b)) for a, b in ranges)
        for start, end in parsed:
            if not start < end:
                raise ValueError(f"helpline_hours: slot {start}-{end} ends before it starts")
        slots[day] = tuple(sorted(parsed))
    return HelplineHours(timezone=str(raw.get("timezone", "Europe/Paris")), slots=slots)


def clear_cache() -> None:
    """Forget the loaded file (tests that point ALD_FIGURES elsewhere)."""
    content.clear_cache()
    _load.cache_clear()
    figure.cache_clear()
    helpline_hours.cache_clear()
