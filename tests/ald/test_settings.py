"""ald/settings.py: every default in one place, each overridden by the environment variable of
the same name; `--shell` gives the shell the very same values."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from ald import settings

ROOT = settings.ROOT


def test_defaults_without_environment() -> None:
    values = settings.resolved({})
    assert values["RASA_PORT"] == "5005" and values["ACTIONS_PORT"] == "5055"
    assert values["MODEL"] == "models/ald.tar.gz" and values["RASA_BIN"] == ".venv/bin/rasa"
    assert values["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:5055/webhook"
    assert values["WEB_ORIGIN"] == "http://localhost:8080"
    assert values["RASA_PUBLIC_URL"] == "http://localhost:5005"
    assert values["ENDPOINTS"] == "endpoints.yml"
    assert values["DB_PASSWORD"] == ""


def test_the_environment_wins_and_empty_counts_as_unset() -> None:
    env = {"RASA_PORT": "6000", "DB_USER": "", "REDIS_KEY_PREFIX": "   "}
    assert settings.get("RASA_PORT", env) == "6000"
    assert settings.get_int("RASA_PORT", env) == 6000
    assert settings.get("DB_USER", env) == "rasa"
    assert settings.get("REDIS_KEY_PREFIX", env) == "ald"
    assert settings.from_environment("DB_USER", env) is None


def test_derived_defaults_follow_the_settings_they_come_from() -> None:
    env = {
        "WEB_PORT": "9000",
        "ACTIONS_PORT": "7000",
        "RASA_PORT": "6000",
        "RASA_PROFILE": "postgres",
        "VENV": "/opt/venv",
    }
    assert settings.get("WEB_ORIGIN", env) == "http://localhost:9000"
    assert settings.get("ACTION_ENDPOINT_URL", env) == "http://127.0.0.1:7000/webhook"
    assert settings.get("RASA_PUBLIC_URL", env) == "http://localhost:6000"
    assert settings.get("ENDPOINTS", env) == "endpoints.postgres.yml"
    assert settings.get("RASA_BIN", env) == "/opt/venv/bin/rasa"
    assert settings.get("ENDPOINTS", {"RASA_PROFILE": "mongo"}) == ""  # run.sh refuses it
    assert settings.get("WEB_ORIGIN", {**env, "WEB_ORIGIN": "https://x.org"}) == "https://x.org"
    assert set(settings.DERIVED) >= {"WEB_ORIGIN", "ACTION_ENDPOINT_URL", "RASA_PUBLIC_URL"}


def test_paths_are_under_the_root_unless_absolute() -> None:
    assert settings.path("MODEL", {}) == ROOT / "models" / "ald.tar.gz"
    assert settings.path("MODEL", {"MODEL": "/srv/m.tar.gz"}) == Path("/srv/m.tar.gz")
    assert settings.domain_files(env={"DOMAIN": "domain.yml"}) == [ROOT / "domain.yml"]
    assert ROOT / "domain" / "core.yml" in settings.domain_files(env={})


def test_domain_files_of_a_domain_folder(tmp_path: Path) -> None:
    (tmp_path / "domain" / "responses").mkdir(parents=True)
    for name in ("domain/core.yml", "domain/responses/faq.yaml", "domain/notes.txt"):
        (tmp_path / name).write_text("x: 1\n", encoding="utf-8")
    assert settings.domain_files(tmp_path, {"DOMAIN": "domain"}) == [
        tmp_path / "domain" / "core.yml",
        tmp_path / "domain" / "responses" / "faq.yaml",
    ]


def test_unknown_names_and_bad_numbers_are_errors() -> None:
    with pytest.raises(KeyError):
        settings.get("NO_SUCH_SETTING")
    with pytest.raises(KeyError):
        settings.secret("RASA_PORT")
    with pytest.raises(ValueError, match="RETENTION_DAYS"):
        settings.get_int("RETENTION_DAYS", {"RETENTION_DAYS": "ninety"})


def test_secrets_have_no_default_and_are_never_printed() -> None:
    assert settings.secret("RASA_JWT_SECRET", {}) == ""
    assert settings.secret("RASA_JWT_SECRET", {"RASA_JWT_SECRET": "s3cret"}) == "s3cret"
    lines = settings.shell_lines({"RASA_JWT_SECRET": "s3cret", "RASA_SOCKET_JWT_SECRET": "x"})
    assert not any("SECRET" in line for line in lines)


def test_shell_lines_give_bash_the_same_values() -> None:
    env = {
        "DB_PASSWORD": "it's $HOME `x` \"q\" \\ ;",
        "WEB_INIT_PAYLOAD": "/greet now",
        "SOCKET_SESSION_ID_PATTERN": r"^[0-9a-f]{32}$",
    }
    expected = {**settings.resolved(env), **settings.PROCESS_ENV}
    for name in ("MAX_MESSAGE_CHARS", "FAQ_MARGIN"):
        del expected[name]  # not exported: config.yml's value would lose to it
    script = (
        "\n".join(settings.shell_lines(env))
        + "\n"
        + "\n".join(f'printf "%s\\0" "${name}"' for name in expected)
    )
    out = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, check=True, env={"PATH": "/usr/bin:/bin"}
    ).stdout
    assert dict(zip(expected, out.split("\0")[:-1], strict=True)) == expected


def test_command_line_get_and_shell() -> None:
    def run(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "ald.settings", *args],
            cwd=ROOT,
            text=True,
            capture_output=True,
            check=True,
            env={"RASA_PORT": "6001"},
        ).stdout

    assert run("--get", "RASA_PORT", "RASA_PUBLIC_URL") == "6001\nhttp://localhost:6001\n"
    assert "export RASA_PORT=6001\n" in run("--shell")
    assert "RASA_PORT=6001" in run()


def test_standard_library_only() -> None:
    """The Makefile runs it with any python3, before the venv exists."""
    tree = ast.parse((ROOT / "ald" / "settings.py").read_text(encoding="utf-8"))
    modules = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    modules |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert modules - {"__future__"} <= set(sys.stdlib_module_names)


def test_no_default_path_written_outside_the_settings() -> None:
    """The venv's commands and the model are named in ald/settings.py only (docs may show
    them in commands)."""
    files = [
        ROOT / "Makefile",
        *ROOT.glob("scripts/*"),
        *ROOT.glob("tools/*.py"),
        *ROOT.glob("channels/*.py"),
        *ROOT.glob("components/*.py"),
        ROOT / "web" / "serve.py",
        *ROOT.glob("tests/**/*.py"),
    ]
    for f in files:
        if f.resolve() == Path(__file__).resolve():
            continue
        text = f.read_text(encoding="utf-8")
        for written in (".venv/bin", "models/ald.tar.gz"):
            assert written not in text, f"{f.relative_to(ROOT)} writes {written}"
