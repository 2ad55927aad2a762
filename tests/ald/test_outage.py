"""The apology sent when a part of the assistant is down (ald/outage.py, content/phrases.yml)."""

from __future__ import annotations

import pytest

from ald import outage
from ald.figures import figure


def test_the_default_apology_gives_the_helpline_number_and_asks_to_send_again() -> None:
    text = outage.apology(None)
    assert figure("sid_telephone").value in text
    assert figure("tel_assurance_maladie").value in text
    assert "Réessayez" in text and "{" not in text
    assert outage.apology("faq") == text  # intents without their own variant


@pytest.mark.parametrize(
    "intent,number",
    [("emergency", "tel_urgence"), ("suicidal_thoughts", "tel_suicide"), ("medical_advice", "tel_urgence")],
)
def test_emergencies_keep_their_numbers(intent: str, number: str) -> None:
    text = outage.apology(intent)
    assert figure(number).value in text and "{" not in text
    assert text != outage.apology(None)
