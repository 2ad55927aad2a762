"""The supervisord configuration of `make run` (tools/supervisor.py), read back by supervisord's
own parser: what it would start, restart and stop. (tests/integration/test_supervised.py kills
the parts of a real `make run`.)"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Dict

import pytest
from supervisor.datatypes import RestartUnconditionally
from supervisor.options import ServerOptions

from ald import settings
from tools import supervisor


def parsed(env: Dict[str, str], tmp_path: Path) -> Dict[str, object]:
    """name → supervisord's ProcessConfig of each program of the written file."""
    conf = supervisor.write(env)
    assert conf.parent == tmp_path / "run"
    options = ServerOptions()
    options.realize(args=["-c", str(conf)])
    return {g.name: g.process_configs[0] for g in options.process_group_configs}


def base_env(tmp_path: Path, **extra: str) -> Dict[str, str]:
    return {"RUN_DIR": str(tmp_path / "run"), **extra}


def test_the_three_parts_are_restarted_and_stopped_as_a_group(tmp_path: Path) -> None:
    env = base_env(tmp_path, ACTIONS_PORT="6111", RASA_PORT="6222", WEB_PORT="6333", STOP_TIMEOUT="7")
    programs = parsed(env, tmp_path)
    assert list(programs) == ["actions", "rasa", "web"]
    for p in programs.values():
        assert p.autorestart is RestartUnconditionally  # not only after an unexpected exit
        assert p.stopasgroup and p.killasgroup
        assert p.stopwaitsecs == 7
        assert p.directory == str(settings.ROOT)
    actions = shlex.split(programs["actions"].command)
    assert actions[1:] == ["run", "actions", "--actions", "actions", "--port", "6111"]
    assert programs["actions"].environment == {"SANIC_HOST": "127.0.0.1"}
    rasa = shlex.split(programs["rasa"].command)
    assert rasa[rasa.index("--port") + 1] == "6222"
    assert rasa[rasa.index("--endpoints") + 1] == "endpoints.yml"
    assert rasa[rasa.index("--cors") + 1] == "http://localhost:6333"
    assert "--enable-api" not in rasa
    web = shlex.split(programs["web"].command)
    assert web[-4:] == ["--host", "127.0.0.1", "--port", "6333"]


def test_the_profile_chooses_the_endpoints(tmp_path: Path) -> None:
    rasa = shlex.split(parsed(base_env(tmp_path, RASA_PROFILE="postgres"), tmp_path)["rasa"].command)
    assert rasa[rasa.index("--endpoints") + 1] == "endpoints.postgres.yml"


def test_the_api_secret_is_read_from_the_environment_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "-s3cr%t_value"  # starts with "-", holds a "%"
    monkeypatch.setenv("RASA_JWT_SECRET", secret)
    env = base_env(tmp_path, RASA_JWT_SECRET=secret)
    rasa = shlex.split(parsed(env, tmp_path)["rasa"].command)
    assert f"--jwt-secret={secret}" in rasa and "--enable-api" in rasa
    assert secret not in (tmp_path / "run" / supervisor.CONF_NAME).read_text()


def test_paths_with_spaces_and_percent_signs_survive(tmp_path: Path) -> None:
    model = tmp_path / "mes modèles 100%" / "ald.tar.gz"
    rasa = shlex.split(parsed(base_env(tmp_path, MODEL=str(model)), tmp_path)["rasa"].command)
    assert rasa[rasa.index("--model") + 1] == str(model)


def test_a_service_manager_runs_each_program_with_the_same_command(tmp_path: Path) -> None:
    """deploy/*.service: `python -m tools.supervisor --exec web` becomes the web page itself."""
    from tools.stack import base_env, free_port, spawn, wait_http

    port = free_port()
    env = base_env({"WEB_PORT": str(port)})
    proc = spawn(
        "exec-web",
        [str(settings.path("PYTHON_BIN")), "-m", "tools.supervisor", "--exec", "web"],
        env,
        tmp_path,
    )
    try:
        wait_http(f"http://127.0.0.1:{port}/healthz", timeout=30, proc=proc.popen)
        cmdline = Path(f"/proc/{proc.popen.pid}/cmdline").read_bytes().split(b"\0")
        assert b"web.serve" in cmdline and b"tools.supervisor" not in cmdline
    finally:
        proc.stop()
