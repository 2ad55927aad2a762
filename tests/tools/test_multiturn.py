"""tools/multiturn.py: the loader and its schema errors, the checks (folding, any/all/none,
dates, reply kinds), the runner against a small fake REST server, and the two conversation
sets themselves (sizes, ids, no shared text, checks that today's wrong answers fail)."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
import yaml
from aiohttp import web

from ald.dates import format_date_fr
from ald.text import fold
from tools import multiturn as mt

ROOT = Path(__file__).resolve().parents[2]


def conv(*turns: dict, cid: str = "c1") -> dict:
    return {"id": cid, "turns": list(turns)}


def parse(*conversations: dict) -> mt.ConversationSet:
    return mt.parse_conversations({"today": "2026-12-02", "conversations": list(conversations)}, "test")


def turn(**checks: object) -> mt.Turn:
    data = {"text": "bonjour"}
    data.update(checks)
    return mt.parse_turn("test", data)


# --------------------------------------------------------------------------- loader


def test_loader_reads_a_set():
    s = parse(
        conv(
            {"text": "maladie de parkinson ?", "all": ["parkinson"], "kind": "answer"},
            {"text": "merci"},
            cid="parkinson",
        )
    )
    assert s.today == date(2026, 12, 2)
    c = s.conversations[0]
    assert (c.id, c.set, len(c.turns)) == ("parkinson", "test", 2)
    assert c.turns[0].checked and not c.turns[1].checked
    assert c.turns[0].kind == "answer"


def test_loader_reads_a_file(tmp_path):
    path = tmp_path / "mini.yml"
    path.write_text(
        "today: 2026-12-02\nconversations:\n- id: a\n  turns:\n  - text: un\n"
        "    dates: [2026-11-02]\n  - text: deux\n",
        encoding="utf-8",
    )
    s = mt.load(path)
    assert s.name == "mini"
    assert s.conversations[0].turns[0].dates == (date(2026, 11, 2),)


@pytest.mark.parametrize(
    "bad, message",
    [
        (conv({"text": "a", "anyy": ["x"]}, {"text": "b"}), "conversation 'c1' turn 1: unknown key 'anyy'"),
        ({"id": "c1", "turns": [{"text": "a"}, {"text": "b"}], "note": "x"}, "unknown key 'note'"),
        (conv({"any": ["x"]}, {"text": "b"}), "turn 1: turn without text"),
        (conv({"text": "a"}, {"text": "  "}), "turn 2: turn without text"),
        (conv({"text": "a", "any": ["(unclosed"]}, {"text": "b"}), "bad regex in 'any': '(unclosed'"),
        (conv({"text": "a", "none": "ne fait pas partie"}, {"text": "b"}), "'none' must be a non-empty list"),
        (conv({"text": "a", "kind": "answered"}, {"text": "b"}), "unknown kind 'answered'"),
        (conv({"text": "a", "dates": ["2026-02-31"]}, {"text": "b"}), "not a date"),
        (conv({"text": "only one"}), "2 to 5 turns expected, found 1"),
        (conv(*({"text": str(i)} for i in range(6))), "2 to 5 turns expected, found 6"),
        ({"id": "Not An Id", "turns": [{"text": "a"}, {"text": "b"}]}, "'id' must be lower-case"),
    ],
)
def test_loader_errors_are_clear(bad, message):
    with pytest.raises(mt.SchemaError, match=re.escape(message)):
        parse(bad)


def test_loader_rejects_duplicate_ids_and_unknown_file_keys():
    c = conv({"text": "a"}, {"text": "b"}, cid="same")
    with pytest.raises(mt.SchemaError, match="'same': duplicate id"):
        parse(c, c)
    with pytest.raises(mt.SchemaError, match="unknown key 'convs'"):
        mt.parse_conversations({"today": "2026-12-02", "convs": []}, "test")
    with pytest.raises(mt.SchemaError, match="'today' must be a date"):
        mt.parse_conversations({"today": "demain", "conversations": [c]}, "test")


def test_loader_reports_yaml_errors_with_the_file_name(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("today: 2026-12-02\nconversations:\n- id: a\n  about: x: y\n", encoding="utf-8")
    with pytest.raises(mt.SchemaError, match="broken.yml"):
        mt.load(path)


# --------------------------------------------------------------------------- checks


def test_checks_fold_case_and_accents_on_both_sides():
    t = turn(all=["réponse", "NEPHROPATHIE"])
    assert t.failures(["Votre REPONSE : la néphropathie chronique grave"]) == []
    assert t.failures(["Votre réponse"]) == ["all: 'NEPHROPATHIE' did not match"]


def test_fold_pattern_keeps_escapes():
    assert mt.fold_pattern(r"\D É\S\b") == r"\D e\S\b"
    assert turn(all=[r"n° ?16\b"]).failures(["ALD N° 16."]) == []
    assert turn(all=[r"n° ?16\b"]).failures(["n° 160"]) != []


def test_any_all_none():
    t = turn(any=["oui", "bien sûr"], all=["parkinson", "16"], none=["ne fait pas partie"])
    assert t.failures(["Oui : la maladie de Parkinson (n° 16)."]) == []
    failures = t.failures(["Parkinson ne fait pas partie de la liste."])
    assert failures == [
        "any: none of 'oui', 'bien sûr' matched",
        "all: '16' did not match",
        "none: 'ne fait pas partie' matched 'ne fait pas partie'",
    ]


def test_messages_are_joined():
    t = turn(all=["premier", "second"])
    assert t.failures(["Le premier message.", "Le second."]) == []


@pytest.mark.parametrize(
    "reply, ok",
    [
        ("au plus tard le 2 novembre 2026", True),
        ("au plus tard le lundi 2 novembre", True),
        ("au plus tard le 02/11/2026", True),
        ("au plus tard le 2/11", True),
        ("date : 2026-11-02", True),
        ("au plus tard le 12 novembre 2026", False),
        ("au plus tard le 2 novembre 2025", False),
        ("au plus tard le 02/11/2025", False),
        ("au plus tard le 22/11/2026", False),
        ("au plus tard le 2 octobre 2026", False),
    ],
)
def test_dates_in_french_forms(reply, ok):
    assert (turn(dates=["2026-11-02"]).failures([reply]) == []) is ok


def test_first_of_the_month_and_babel_format():
    t = turn(dates=["2027-01-01"])
    assert t.failures([f"vers le {format_date_fr(date(2027, 1, 1))}"]) == []
    assert t.failures(["vers le 1 janvier 2027"]) == []
    assert t.failures(["vers le 11 janvier 2027"]) == ["dates: 2027-01-01 is not named"]


@pytest.mark.parametrize(
    "messages, kind",
    [
        (["Je n'ai pas bien compris votre question. Pouvez-vous la dire autrement ?"], "fallback"),
        (["Désolé, je ne comprends toujours pas. Santé Info Droits au 01 53 62 40 30."], "fallback"),
        (["Ce soin est-il lié à votre maladie en ALD ? (oui / non)"], "question"),
        (["En règle générale, un mois.", "À quelle date votre protocole a-t-il été envoyé ?"], "question"),
        (["Oui : la maladie de Parkinson fait partie de la liste des ALD (n° 16)."], "answer"),
        (["Quelle date ?", "Envoyé le 2 octobre : réponse vers le 2 novembre."], "answer"),
    ],
)
def test_reply_kinds(messages, kind):
    assert mt.reply_kind(messages) == kind


def test_kind_checks():
    assert turn(kind="understood").failures(["D'accord, j'arrête là."]) == []
    assert turn(kind="understood").failures(["Je n'ai pas compris."]) == [
        "kind: expected understood, got fallback"
    ]
    assert turn(kind="question").failures(["Envoyé le 2 octobre."]) == ["kind: expected question, got answer"]
    assert turn(kind="answer").failures(["Quelle est votre situation ?"]) == [
        "kind: expected answer, got question"
    ]


def test_a_turn_without_checks_always_passes():
    t = turn()
    assert not t.checked and t.failures(["Je n'ai pas bien compris."]) == []


# --------------------------------------------------------------------------- runner


@contextmanager
def fake_rasa(
    script: Dict[str, List[str]], broken: Set[str] = frozenset()
) -> Iterator[Tuple[str, List[Tuple[str, str]]]]:
    """A REST webhook on a free port, in its own thread: answers each message with the texts
    of `script` (a fallback for unknown messages), HTTP 500 for the messages in `broken`.
    Yields the base URL and the (sender, message) pairs received, in order."""
    received: List[Tuple[str, str]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append((body["sender"], body["message"]))
        if body["message"] in broken:
            return web.Response(status=500, text="boom")
        await asyncio.sleep(0.01)  # lets the conversations interleave
        texts = script.get(body["message"], ["Je n'ai pas bien compris votre question."])
        return web.json_response(
            [{"recipient_id": body["sender"], "text": t} for t in texts]
            + [{"recipient_id": body["sender"], "image": "x.png"}]
        )

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = runner.addresses[0][1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", received
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.run_until_complete(runner.cleanup())
        loop.close()


SCRIPT = {
    "maladie de parkinson : ald ou pas ?": ["Oui : la maladie de Parkinson est une ALD (n° 16)."],
    "et ça dure combien ?": ["La première durée est de 10 ans."],
    "ma femme a un lupus": ["D'accord.", "Que voulez-vous savoir ?"],
    "c'est une ALD ?": ["Cette maladie ne fait pas partie de la liste des ALD."],
}

SMALL = parse(
    conv(
        {"text": "maladie de parkinson : ald ou pas ?", "all": ["parkinson", r"n° ?16\b"]},
        {"text": "et ça dure combien ?", "any": ["10 ans"]},
        cid="right",
    ),
    conv(
        {"text": "ma femme a un lupus", "kind": "understood"},
        {"text": "c'est une ALD ?", "all": ["lupus", r"n° ?21\b"], "none": ["ne fait pas partie"]},
        {"text": "merci"},
        cid="wrong",
    ),
)


def test_runner_scores_a_right_and_a_wrong_conversation():
    with fake_rasa(SCRIPT) as (url, received):
        report = mt.run(url, SMALL.conversations, concurrency=2)
    by_id = {r.id: r for r in report.results}
    assert by_id["right"].passed and not by_id["wrong"].passed
    assert [t.passed for t in by_id["wrong"].turns] == [True, False, True]
    assert by_id["wrong"].turns[0].reply == "D'accord.\nQue voulez-vous savoir ?"
    assert report.score() == mt.Score(conversations_right=1, conversations=2, turns_right=3, turns=4)
    assert report.score("test") == report.score()
    # One fresh sender per conversation, its turns sent in order.
    senders: Dict[str, List[str]] = {}
    for sender, message in received:
        senders.setdefault(sender, []).append(message)
    assert sorted(senders.values()) == sorted([t.text for t in c.turns] for c in SMALL.conversations)


def test_runner_report_text_and_json():
    with fake_rasa(SCRIPT) as (url, _):
        report = mt.run(url + "/webhooks/rest/webhook/", SMALL.conversations)
    text = report.format()
    assert "test/wrong turn 2" in text
    assert "user: c'est une ALD ?" in text
    assert "bot:  Cette maladie ne fait pas partie de la liste des ALD." in text
    assert "none: 'ne fait pas partie' matched" in text
    assert "test/right" not in text
    assert "conversations 1/2 (50 %), turns 3/4 (75 %)" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["scores"]["test"]["conversations_right"] == 1
    assert [c["passed"] for c in data["conversations"]] == [True, False]


def test_runner_counts_a_turn_without_reply_and_stops_that_conversation():
    with fake_rasa(SCRIPT, broken={"ma femme a un lupus"}) as (url, received):
        report = mt.run(url, SMALL.conversations)
    wrong = next(r for r in report.results if r.id == "wrong")
    assert wrong.turns[0].failures[0].startswith("no reply: RuntimeError: HTTP 500")
    assert wrong.turns[1].failures == ["not sent: turn 1 got no reply"]
    assert "c'est une ALD ?" not in [m for _, m in received]


def test_runner_with_no_server_is_a_score_of_zero():
    with fake_rasa({}) as (url, _):
        pass  # the port is free again
    report = mt.run(url, SMALL.conversations, timeout=5)
    assert report.score().conversations_right == 0
    assert all(r.turns[0].failures[0].startswith("no reply") for r in report.results)


def test_main_writes_json_and_exits_0_unless_strict(tmp_path, monkeypatch, capsys):
    path = tmp_path / "mini.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "today": "2026-12-02",
                "conversations": [
                    {"id": "right", "turns": [{"text": t.text} for t in SMALL.conversations[0].turns]},
                    {
                        "id": "wrong",
                        "turns": [
                            {"text": "ma femme a un lupus"},
                            {"text": "c'est une ALD ?", "none": ["ne fait pas partie"]},
                        ],
                    },
                ],
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    monkeypatch.setitem(mt.SET_FILES, "dev", path)
    out = tmp_path / "out" / "report.json"
    with fake_rasa(SCRIPT) as (url, _):
        assert mt.main(["--url", url, "--json", str(out)]) == 0
        assert mt.main(["--url", url, "--strict"]) == 1
    printed = capsys.readouterr().out
    assert "ALD_TODAY=2026-12-02" in printed and "dev/wrong turn 2" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["today"] == "2026-12-02" and data["total"]["conversations"] == 2


# --------------------------------------------------------------------------- the two sets


@pytest.fixture(scope="module")
def sets() -> Dict[str, mt.ConversationSet]:
    return {s.name: s for s in mt.load_sets(("dev", "heldout"))}


def test_sets_load_with_enough_conversations(sets):
    assert len(sets["dev"].conversations) >= 45
    assert len(sets["heldout"].conversations) >= 20
    assert sets["dev"].today == sets["heldout"].today == date(2026, 12, 2)
    for s in sets.values():
        for c in s.conversations:
            assert 2 <= len(c.turns) <= 5, c.id
            assert any(t.checked for t in c.turns), c.id


def test_sets_have_unique_ids_and_share_no_user_text(sets):
    ids = [c.id for s in sets.values() for c in s.conversations]
    assert len(ids) == len(set(ids))
    texts = {name: {fold(t.text) for c in s.conversations for t in c.turns} for name, s in sets.items()}
    assert texts["dev"] & texts["heldout"] == set()


def _training_texts() -> Set[str]:
    """The NLU examples and button payloads of data/ (what the model is trained on), folded."""
    texts: Set[str] = set()
    for path in (ROOT / "data").rglob("*.yml"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.add(fold(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line[2:])))
            elif line.startswith("payload:"):
                texts.add(fold(line.split(":", 1)[1].strip().strip("\"'")))
    return texts


def test_heldout_sentences_are_not_training_examples(sets):
    training = _training_texts()
    leaked = [
        t.text
        for c in sets["heldout"].conversations
        for t in c.turns
        if len(t.text.split()) >= 4 and fold(t.text) in training
    ]
    assert leaked == []


FALLBACKS = [
    "Je n'ai pas bien compris votre question. Pouvez-vous la dire autrement, en quelques mots ?",
    "Désolé, je ne comprends toujours pas. Une personne pourra mieux vous aider : Santé Info Droits "
    "(France Assos Santé) au 01 53 62 40 30, lundi, mercredi, vendredi 14h-18h, ou l'Assurance Maladie "
    "au 36 46.",
]


def test_every_checked_turn_fails_on_a_fallback(sets):
    passing = [
        f"{s.name}/{c.id} turn {i}"
        for s in sets.values()
        for c in s.conversations
        for i, t in enumerate(c.turns, 1)
        if t.checked and t.kind != "fallback" and any(t.failures([f]) == [] for f in FALLBACKS)
    ]
    assert passing == []


NOT_ON_LIST = (
    "Cette maladie ne fait pas partie de la liste des ALD. Une prise en charge reste possible : "
    "en ALD hors liste (maladie grave, traitement long et coûteux), en polypathologie "
    "invalidante, ou en ALD non exonérante (remboursement habituel, mais droits aux "
    "indemnités journalières). "
    "Parlez-en à votre médecin traitant. Source : ameli.fr"
)


def on_list(label: str, number: int, duration: str) -> str:
    return (
        f"Oui : {label} fait partie de la liste des ALD (n° {number}), si les critères médicaux sont "
        f"remplis. La première prise en charge à 100 % dure en général {duration}. C'est votre médecin "
        "traitant qui fait la demande avec le protocole de soins. Source : Code de la sécurité sociale"
    )


def d(y: int, m: int, day: int) -> str:
    return format_date_fr(date(y, m, day))


# (conversation, turn, reply, passes): today's wrong answers to the examples of the issue
# fail, and answers with the right content pass (so no check is impossible to meet).
EXAMPLES: List[Tuple[str, int, str, bool]] = [
    ("ex-parkinson-ald-ou-pas", 1, NOT_ON_LIST, False),
    ("ex-parkinson-ald-ou-pas", 1, on_list("la maladie de Parkinson", 16, "10 ans"), True),
    (
        "ex-neuropathie-fille",
        1,
        on_list("les maladies graves des reins (néphropathie chronique grave)", 19, "10 ans"),
        False,
    ),
    ("ex-neuropathie-fille", 1, NOT_ON_LIST, False),
    (
        "ex-neuropathie-fille",
        1,
        "Je ne reconnais pas exactement ce nom. De quelle neuropathie s'agit-il ? "
        "Ses formes graves peuvent relever des affections neurologiques (n° 9) : "
        "voyez avec son médecin.",
        True,
    ),
    ("ex-lupus-femme", 2, "Pour quelle maladie ?", False),
    (
        "ex-lupus-femme",
        2,
        on_list("les vascularites, le lupus et la sclérodermie systémiques", 21, "10 ans"),
        True,
    ),
    ("ex-endocrino-exoneree", 1, "Quelle est votre situation ?", False),
    ("ex-endocrino-exoneree", 1, "Ce soin est-il lié à votre maladie en ALD ? (oui / non)", False),
    (
        "ex-endocrino-exoneree",
        1,
        "La consultation chez le spécialiste : prise en charge à 100 % du tarif de "
        "base de la Sécurité sociale. Sauf si le médecin conseil a coché la case "
        "de ce soin : il serait alors remboursé au taux habituel.",
        True,
    ),
    (
        "ex-endocrino-exoneree",
        2,
        "La consultation chez le spécialiste : prise en charge à 100 % du tarif de "
        "base. Sauf si le médecin conseil a coché la case de ce soin : il serait "
        "alors remboursé au taux habituel.",
        False,
    ),
    (
        "ex-endocrino-exoneree",
        2,
        "La consultation chez le spécialiste : remboursement au taux habituel, pas "
        "à 100 %. Ce soin n'est pas prévu dans votre protocole.",
        True,
    ),
    (
        "ex-polyarthrite-eligibilite",
        3,
        "Votre situation ressemble à une ALD de la liste (« ALD 30 »).",
        False,
    ),
    ("ex-polyarthrite-eligibilite", 3, "Répondez simplement par oui ou par non, s'il vous plaît.", False),
    (
        "ex-polyarthrite-eligibilite",
        3,
        "Votre situation ressemble à une ALD de la liste : la polyarthrite "
        "rhumatoïde évolutive (n° 22). Voyez votre médecin traitant.",
        True,
    ),
    (
        "ex-decision-correction",
        1,
        f"Envoyé le {d(2026, 10, 12)} : la réponse aurait dû arriver vers le " f"{d(2026, 11, 12)}.",
        True,
    ),
    (
        "ex-decision-correction",
        2,
        f"Envoyé le {d(2026, 10, 12)} : la réponse aurait dû arriver vers le " f"{d(2026, 11, 12)}.",
        False,
    ),
    (
        "ex-decision-correction",
        2,
        f"Envoyé le {d(2026, 10, 2)} : la réponse aurait dû arriver vers le " f"{d(2026, 11, 2)}.",
        True,
    ),
    (
        "ex-renouvellement-30-juin",
        2,
        "Le renouvellement n'est pas automatique : demandez-le à votre médecin "
        "traitant au plus tard trois mois avant la fin. Pour calculer votre "
        "date : jusqu'à quand votre protocole est-il valable ?",
        False,
    ),
    (
        "ex-renouvellement-30-juin",
        2,
        f"Demandez le renouvellement à votre médecin traitant au plus tard le " f"{d(2027, 3, 30)}.",
        True,
    ),
    (
        "ex-alzheimer-maman",
        1,
        "Le renouvellement n'est pas automatique : demandez-le à votre médecin "
        "traitant au plus tard trois mois avant la fin.",
        False,
    ),
    (
        "ex-alzheimer-maman",
        1,
        "Pour la maladie d'Alzheimer (n° 15), le renouvellement se demande au "
        "médecin traitant, au plus tard trois mois avant la fin.",
        True,
    ),
    ("nom-inconnu-kikuchi", 1, NOT_ON_LIST, False),
    (
        "nom-inconnu-kikuchi",
        1,
        "Je ne reconnais pas cette maladie. Votre médecin traitant peut vous dire " "si elle en fait partie.",
        True,
    ),
]


@pytest.mark.parametrize("cid, index, reply, passes", EXAMPLES)
def test_examples_of_the_issue(sets, cid, index, reply, passes):
    conversation = next(c for c in sets["dev"].conversations if c.id == cid)
    failures = conversation.turns[index - 1].failures([reply])
    assert (failures == []) is passes, failures


def test_webhook_url():
    assert mt.webhook_url("http://h:5005") == "http://h:5005/webhooks/rest/webhook"
    assert mt.webhook_url("http://h:5005/webhooks/rest/webhook/") == "http://h:5005/webhooks/rest/webhook"
