"""`make run` under supervisord (scripts/run.sh, tools/supervisor.py), for real: a part killed
with SIGKILL is started again within seconds and the restart is logged; Ctrl-C (SIGINT) stops
every part. The generous limits are about restarting at all, not about speed."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Callable, Iterator

import pytest

from ald import outage, settings
from tests.integration.test_default_profile import RunSh, listening_addresses, start_run_sh, wait_rest_ready
from tools.stack import rest_send, texts

RESTART_WITHIN = 20.0  # seconds, for the action server and the web page


@pytest.fixture(scope="module")
def logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("supervised")


@pytest.fixture(scope="module")
def run(logdir: Path) -> Iterator[RunSh]:
    s = start_run_sh(logdir, "run-sh", {})
    yield s
    s.proc.stop()


def ctl(run: RunSh, *args: str) -> str:
    conf = Path(run.env["RUN_DIR"]) / "supervisord.conf"
    supervisorctl = settings.path("VENV") / "bin" / "supervisorctl"
    done = subprocess.run(
        [str(supervisorctl), "-c", str(conf), *args], capture_output=True, text=True, timeout=30
    )
    return done.stdout.strip()


def pid(run: RunSh, name: str) -> int:
    """The program's pid (0 while it is not running)."""
    out = ctl(run, "pid", name)
    return int(out) if out.isdigit() else 0


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


def wait_until(check: Callable[[], bool], within: float) -> float:
    """Seconds until `check()` holds; fails after `within` seconds."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < within, f"not within {within} s"
        time.sleep(0.2)
    return time.monotonic() - start


def kill_and_wait_back(run: RunSh, name: str, url: str) -> None:
    old = pid(run, name)
    os.kill(old, signal.SIGKILL)
    wait_until(lambda: pid(run, name) not in (0, old) and answers(url), RESTART_WITHIN)
    log = run.proc.log_text()
    assert f"exited: {name} (terminated by SIGKILL; not expected)" in log
    assert f"spawned: '{name}' with pid {pid(run, name)}" in log


def test_a_killed_action_server_is_restarted_and_answers_again(run: RunSh) -> None:
    kill_and_wait_back(run, "actions", f"http://127.0.0.1:{run.actions_port}/health")
    reply = texts(rest_send(run.rasa_port, "supervised-faq", "Où envoyer mon protocole de soins ?"))
    assert reply and reply != outage.apology(None), reply


def test_a_killed_web_page_is_restarted(run: RunSh) -> None:
    kill_and_wait_back(run, "web", f"http://127.0.0.1:{run.env['WEB_PORT']}/healthz")


def test_a_killed_rasa_server_is_restarted_and_answers_again(run: RunSh) -> None:
    old = pid(run, "rasa")
    os.kill(old, signal.SIGKILL)
    wait_until(lambda: pid(run, "rasa") not in (0, old), RESTART_WITHIN)
    wait_rest_ready(run.rasa_port, run.proc)  # loading the model again takes a while
    assert "exited: rasa (terminated by SIGKILL; not expected)" in run.proc.log_text()


def test_ctrl_c_stops_every_part(run: RunSh) -> None:
    parts = {name: pid(run, name) for name in ("actions", "rasa", "web")}
    ports = (run.actions_port, run.rasa_port, int(run.env["WEB_PORT"]))
    run.proc.popen.send_signal(signal.SIGINT)  # run.sh exec's supervisord: it gets the signal
    run.proc.popen.wait(timeout=90)
    for name, p in parts.items():
        assert not os.path.exists(f"/proc/{p}"), f"{name} still runs"
    for port in ports:
        assert not listening_addresses(port), f"something still listens on {port}"
