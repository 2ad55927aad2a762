"""ald.faq_answers and ald.content's reader: answers read at each look-up, a file read again
when it changed, a broken edit never served."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ald import content, faq_answers

ANSWERS = """\
answers:
  definition:
    text: "Le protocole de soins est un document. Source : ameli.fr"
    buttons:
    - title: "Qui le remplit ?"
      payload: "Qui remplit le protocole ?"
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ALD_FAQ_ANSWERS", str(tmp_path))
    (tmp_path / "definition.yml").write_text(ANSWERS, encoding="utf-8")
    return tmp_path


def test_an_answer_with_its_buttons(folder: Path) -> None:
    found = faq_answers.answer("definition")
    assert found is not None and found.text.startswith("Le protocole de soins")
    assert found.buttons == (faq_answers.Button("Qui le remplit ?", "Qui remplit le protocole ?"),)
    assert found.file == folder / "definition.yml"
    assert faq_answers.answer("nope") is None


def test_an_edited_file_is_read_again(folder: Path) -> None:
    path = folder / "definition.yml"
    assert content.load_yaml(path) is content.load_yaml(path)  # unchanged: parsed once
    path.write_text(ANSWERS.replace("un document", "un formulaire"), encoding="utf-8")
    found = faq_answers.answer("definition")
    assert found is not None and "un formulaire" in found.text
    (folder / "autre.yml").write_text('answers:\n  autre:\n    text: "Autre. Source : x"\n', encoding="utf-8")
    assert set(faq_answers.answers()) == {"definition", "autre"}  # a new file too


def test_a_broken_edit_keeps_the_previous_version(folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = folder / "definition.yml"
    before = faq_answers.answer("definition")
    path.write_text(ANSWERS + "  oops: [\n", encoding="utf-8")
    assert faq_answers.answer("definition") == before
    assert "cannot be read" in caplog.text
    path.write_text(ANSWERS.replace("un document", "un papier"), encoding="utf-8")
    fixed = faq_answers.answer("definition")
    assert fixed is not None and "un papier" in fixed.text


def test_a_file_broken_from_the_start_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a: [\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError):
        content.load_yaml(path)


@pytest.mark.parametrize(
    "extra, problem",
    [
        ('answers:\n  definition:\n    text: "Deux fois."\n', "already answered"),
        ('answers:\n  vide:\n    buttons: []\n', "has no text"),
        ('answers:\n  x:\n    text: "T"\n    image: "i.png"\n', "unknown keys"),
        ('answers:\n  x:\n    text: "T"\n    buttons:\n    - title: "t"\n', "a title and a payload"),
        ("topics: {}\n", "no 'answers' mapping"),
    ],
)
def test_problems_are_reported_and_left_out(folder: Path, extra: str, problem: str) -> None:
    (folder / "z.yml").write_text(extra, encoding="utf-8")
    found, problems = faq_answers.read_answers()
    assert found["definition"].text.startswith("Le protocole")
    assert len(problems) == 1 and problem in problems[0]
    assert set(found) == {"definition"}


def test_a_bad_file_beside_the_others_does_not_stop_the_answers(tmp_path, monkeypatch) -> None:
    import shutil

    from ald import faq_answers

    folder = tmp_path / "faq"
    shutil.copytree(faq_answers.DEFAULT_DIR, folder)
    monkeypatch.setenv("ALD_FAQ_ANSWERS", str(folder))
    (folder / "zz_new.yml").write_text("answers: [\n", encoding="utf-8")  # new, not valid yet
    (folder / "list.yml").write_text("- a\n- b\n", encoding="utf-8")  # not a mapping
    (folder / ".#ald.yml").symlink_to(folder / "missing.yml")  # an editor's lock file
    found, problems = faq_answers.read_answers()
    assert "qui_redige" in found and len(problems) == 2
