"""ald.figures: the typed loader of figures.yml."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from ald import figures


def test_figures_are_read_from_the_file() -> None:
    f = figures.figure("participation_forfaitaire")
    assert f.value == "2 €" and f.since == date(2024, 5, 15) and "FACTS.md" in f.source
    assert figures.figure("tel_assurance_maladie").checked == date(2026, 11, 1)
    values = figures.figure_values()
    assert values["taux_transport_non_exo"] == "55 %"
    assert all(isinstance(v, str) for v in values.values())


def test_unknown_figure() -> None:
    with pytest.raises(KeyError):
        figures.figure("nope")
    with pytest.raises(ValueError):
        figures.figure_days("participation_forfaitaire")
    with pytest.raises(ValueError):
        figures.figure_months("participation_forfaitaire")


def test_helpline_hours() -> None:
    h = figures.helpline_hours()
    assert h.timezone == "Europe/Paris"
    assert h.slots[0] == ((time(14), time(18)),)
    assert h.slots[1] == ((time(14), time(20)),)
    assert 5 not in h.slots and 6 not in h.slots


def test_another_file_changes_every_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One edit of figures.yml changes the rules that use it (here: the decision delay)."""
    from ald.delays import decision_delays

    text = (
        figures.DEFAULT_PATH.read_text(encoding="utf-8")
        .replace("days: 14", "days: 21")
        .replace("months: 1\n", "months: 2\n")
    )
    other = tmp_path / "figures.yml"
    other.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ALD_FIGURES", str(other))
    figures.clear_cache()
    try:
        r = decision_delays(date(2026, 1, 10), date(2026, 1, 12))
        assert (r.favourable_by, r.decision_by) == (date(2026, 1, 31), date(2026, 3, 10))
    finally:
        monkeypatch.delenv("ALD_FIGURES")
        figures.clear_cache()
    assert decision_delays(date(2026, 1, 10), date(2026, 1, 12)).favourable_by == date(2026, 1, 24)


def test_rules_module_is_pure_python() -> None:
    """ald must not import Rasa (it is tested and used on its own)."""
    import subprocess
    import sys

    code = (
        "import sys, ald; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
