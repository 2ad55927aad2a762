"""action_faq: the FAQ answer picked (content/faq/, read at run time), then what it means for
what the user told."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from actions.faq import ActionFaq, ActionFaqDetails, details_button
from ald import faq_answers, figures


def picked(topic: str) -> Dict[str, Any]:
    return {
        "response_selector": {"faq": {"response": {"intent_response_key": f"faq/{topic}"}, "ranking": []}}
    }


async def test_the_answer_alone_when_nothing_is_known(run, tracker):
    ran = await run(
        ActionFaq(),
        tracker(text="qui remplit le protocole ?", intent="faq", parse_extra=picked("qui_redige")),
    )
    assert [m["utter_action"] for m in ran.answer] == ["utter_faq/qui_redige"]


async def test_the_answer_is_the_content_text_with_its_figures_and_buttons(run, tracker):
    """Sent as text and buttons (no domain response: the answers are not training data), the
    {fig_...} filled from content/figures.yml as the fig_* slots were."""
    written = faq_answers.answer("delai_reponse")
    assert written is not None and "{fig_delai_decision}" in written.text
    t = tracker(text="ça prend combien de temps ?", intent="faq", parse_extra=picked("delai_reponse"))
    message = (await run(ActionFaq(), t)).message
    assert message["response"] is None and message["utter_action"] == "utter_faq/delai_reponse"
    filled = re.sub(r"\{fig_(\w+)\}", lambda m: figures.figure(m.group(1)).value, written.text)
    assert message["text"] == filled and "{" not in filled
    more = [details_button("delai_reponse")] if written.details else []
    assert message["buttons"] == more + [{"title": b.title, "payload": b.payload} for b in written.buttons]


async def test_a_duration_question_after_a_disease(run, tracker):
    t = tracker(
        {"ald_key": "16"},
        text="et le 100 % dure combien de temps ?",
        intent="faq",
        parse_extra=picked("duree_exoneration"),
    )
    first, line = (await run(ActionFaq(), t)).answer
    assert first["utter_action"] == "utter_faq/duree_exoneration"
    assert "Parkinson" in line["text"] and "n° 16" in line["text"] and "10 ans" in line["text"]


async def test_a_renewal_question_with_the_end_of_validity_known(run, tracker, today):
    today("2026-12-02")
    t = tracker(
        {"valid_until": "2027-06-30"},
        text="comment se passe le renouvellement ?",
        intent="faq",
        parse_extra=picked("renouvellement"),
    )
    _, line = (await run(ActionFaq(), t)).answer
    assert "30 juin 2027" in line["text"] and "30 mars 2027" in line["text"]


async def test_no_topic_picked_is_never_silent(run, tracker):
    ran = await run(ActionFaq(), tracker(text="??", intent="faq"))
    assert ran.message["response"] == "utter_fallback_generic"


async def test_a_very_short_time_question_after_a_disease_answer_is_about_it(run, tracker):
    t = tracker(
        {"ald_key": "8", "last_topic": "disease"},
        text="pr cb de temps",
        intent="faq",
        parse_extra=picked("delai_reponse"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["response"] == "utter_disease_on_list" and ran.message["duration"].startswith("10 ans")


async def test_a_short_new_question_after_a_disease_answer_gets_its_faq_answer(run, tracker):
    t = tracker(
        {"ald_key": "8", "last_topic": "disease"},
        text="comment faire la demande ?",
        intent="faq",
        parse_extra=picked("qui_redige"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["utter_action"] == "utter_faq/qui_redige"


async def test_what_if_after_a_coverage_answer_recomputes_it(run, tracker):
    slots = {
        "last_topic": "coverage_form",
        "care_kind": "consultation_specialiste",
        "ald_status": "exonerante",
        "linked_to_ald": True,
        "in_protocol": False,
    }
    events = [{"event": "user", "text": "x"}, {"event": "slot", "name": "in_protocol", "value": False}]
    t = tracker(
        slots,
        text="et si la consultation n'etait pas dans le protocole ?",
        intent="faq",
        parse_extra=picked("contenu_protocole"),
        events=events,
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["response"].startswith("utter_coverage_")
    assert ran.message["response"] != "utter_coverage_100"


async def test_a_delay_question_after_a_sending_date_says_the_dates_for_the_user(run, tracker, today):
    today("2026-12-02")
    t = tracker(
        {"sent_date": "2026-11-05"},
        text="et le delai du medecin conseil est deja passe ?",
        intent="faq",
        parse_extra=picked("delai_reponse"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.messages[0]["utter_action"] == "utter_faq/delai_reponse"
    assert "19 novembre 2026" in ran.messages[1]["text"] and "5 décembre 2026" in ran.messages[1]["text"]


@pytest.fixture
def answers_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of content/faq/ that the answers are read from (ALD_FAQ_ANSWERS)."""
    folder = tmp_path / "faq"
    shutil.copytree(faq_answers.DEFAULT_DIR, folder)
    monkeypatch.setenv("ALD_FAQ_ANSWERS", str(folder))
    return folder


def edit_answer(folder: Path, topic: str, text: str) -> None:
    """Replaces the text of `topic`'s answer in its file, as an editor would."""
    for path in sorted(folder.glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if topic in doc["answers"]:
            doc["answers"][topic]["text"] = text
            path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
            return
    raise KeyError(topic)


async def test_an_edited_answer_is_served_at_the_next_message(run, tracker, answers_copy):
    """No training, no restart: the running action server reads the edited file again."""
    t = tracker(text="qui remplit le protocole ?", intent="faq", parse_extra=picked("qui_redige"))
    before = (await run(ActionFaq(), t)).message
    assert before["text"].startswith("C'est votre médecin traitant")
    edit_answer(answers_copy, "qui_redige", "Le médecin traitant, en {fig_delai_decision}. Source : ameli.fr")
    after = (await run(ActionFaq(), t)).message
    assert (
        after["text"]
        == f"Le médecin traitant, en {figures.figure('delai_decision').value}. Source : ameli.fr"
    )
    assert after["buttons"] == before["buttons"] and after["utter_action"] == "utter_faq/qui_redige"


async def test_a_broken_edit_keeps_the_last_good_answers(run, tracker, answers_copy):
    t = tracker(text="qui remplit le protocole ?", intent="faq", parse_extra=picked("qui_redige"))
    before = (await run(ActionFaq(), t)).message
    path = next(p for p in answers_copy.glob("*.yml") if "qui_redige:" in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8") + "\n  oops: [\n", encoding="utf-8")
    assert (await run(ActionFaq(), t)).message == before


async def test_a_topic_without_answer_gets_the_fallback(run, tracker, answers_copy):
    path = next(p for p in answers_copy.glob("*.yml") if "qui_redige:" in p.read_text(encoding="utf-8"))
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    del doc["answers"]["qui_redige"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    t = tracker(
        {"valid_until": "2027-06-30"}, text="qui remplit ?", intent="faq", parse_extra=picked("qui_redige")
    )
    assert (await run(ActionFaq(), t)).message["response"] == "utter_fallback_generic"


async def test_rasa_records_the_answer_name_in_the_bot_event(run, tracker):
    """What Rasa makes of the message the action server returns: the text and buttons, and
    `utter_action` in the bot event's metadata, as for a domain response (the fallback counts
    on it: a real answer ends a run of misunderstood messages)."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.trackers import DialogueStateTracker

    sent = (
        await run(ActionFaq(), tracker(text="qui remplit ?", intent="faq", parse_extra=picked("qui_redige")))
    ).message
    (event,) = await RemoteAction._utter_responses(
        [dict(sent)],
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator({}),
        DialogueStateTracker("t", []),
    )
    assert event.text == sent["text"] and event.data["buttons"] == sent["buttons"]
    assert event.as_dict()["metadata"] == {"utter_action": "utter_faq/qui_redige"}


async def test_a_short_faq_question_that_is_no_duration_after_a_disease_answer(run, tracker):
    t = tracker(
        {"ald_key": "8", "last_topic": "disease"},
        text="combien coute une cure ?",
        intent="faq",
        parse_extra=picked("cure_thermale"),
    )
    ran = await run(ActionFaq(), t)
    assert ran.message["utter_action"] == "utter_faq/cure_thermale"
    assert {"event": "slot", "timestamp": None, "name": "last_topic", "value": None} in ran.events


@pytest.mark.parametrize(
    "sent, expected",
    [
        ("2026-11-25", "réputé favorable vers le 9 décembre"),
        ("2026-09-01", "était attendue vers le 1 octobre"),
    ],
)
async def test_the_delay_line_follows_where_the_user_is(run, tracker, today, sent, expected):
    today("2026-12-02")
    t = tracker({"sent_date": sent}, text="delai ?", intent="faq", parse_extra=picked("delai_reponse"))
    line = (await run(ActionFaq(), t)).messages[1]["text"]
    assert expected in line.replace("1er octobre", "1 octobre")


async def test_a_sending_date_that_is_no_date_gives_no_line(run, tracker):
    t = tracker({"sent_date": "le 3"}, text="delai ?", intent="faq", parse_extra=picked("delai_reponse"))
    assert len((await run(ActionFaq(), t)).answer) == 1


def _with_details() -> str:
    return next(t for t, a in faq_answers.answers().items() if a.details)


async def test_an_answer_with_details_offers_en_savoir_plus_first(run, tracker):
    topic = _with_details()
    t = tracker(text="une question", intent="faq", parse_extra=picked(topic))
    message = (await run(ActionFaq(), t)).message
    assert message["buttons"][0] == {
        "title": "En savoir plus",
        "payload": '/faq_details{"faq_topic":"' + topic + '"}',
    }


async def test_en_savoir_plus_sends_the_details_with_the_source(run, tracker):
    topic = _with_details()
    written = faq_answers.answer(topic)
    assert written is not None and written.details
    t = tracker(text="/faq_details", intent="faq_details", entities=[{"entity": "faq_topic", "value": topic}])
    message = (await run(ActionFaqDetails(), t)).message
    assert message["text"].startswith(figures.fill_figures(written.details))
    assert "Source :" in message["text"] and "{" not in message["text"]
    assert message["utter_action"] == f"utter_faq_details/{topic}"


def bot(utter_action: str) -> dict:
    return {"event": "bot", "text": "...", "metadata": {"utter_action": utter_action}}


async def test_en_savoir_plus_typed_is_about_the_last_answer_even_after_its_rating(run, tracker):
    topic = _with_details()
    answered = [bot(f"utter_faq/{topic}"), bot("utter_feedback_offer")]
    rated = [*answered, {"event": "user", "text": "oui"}, bot("utter_feedback_thanks")]
    for events in (answered, rated):
        t = tracker(text="plus de détails svp", intent="faq_details", events=events)
        message = (await run(ActionFaqDetails(), t)).message
        assert message["utter_action"] == f"utter_faq_details/{topic}"


async def test_en_savoir_plus_without_details_says_so(run, tracker):
    # The last answer was a form's, not an FAQ answer (an older FAQ answer does not count).
    events = [bot(f"utter_faq/{_with_details()}"), bot("utter_coverage_covered")]
    t = tracker(text="en savoir plus", intent="faq_details", events=events)
    assert (await run(ActionFaqDetails(), t)).message["response"] == "utter_no_details"
    t = tracker(text="en savoir plus", intent="faq_details")
    assert (await run(ActionFaqDetails(), t)).message["response"] == "utter_no_details"
