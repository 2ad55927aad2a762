"""The supervisord configuration of `make run`, generated from the settings (ald/settings.py).

`make run` (scripts/run.sh) starts supervisord (the `supervisor` package of requirements.in) in
the foreground with this file: it starts the action server, the Rasa server and the web page,
restarts any of them that dies (a few seconds for the action server and the page; the Rasa
server then loads its model again), logs every exit and restart, and stops them all on Ctrl-C.
Why supervisord rather than a shell loop or honcho: it restarts (honcho stops everything when
one part ends), it kills a whole process group (Rasa's children too), it is pure Python with no
dependency, and `supervisorctl` lets an operator see and restart a part by hand:

    $VENV/bin/supervisorctl -c $RUN_DIR/supervisord.conf status   # or: restart actions

    python -m tools.supervisor            # writes $RUN_DIR/supervisord.conf, prints its path
    python -m tools.supervisor --print    # prints it

The file goes to RUN_DIR (var/run/, not committed): it holds paths and ports of this machine.
Secrets never go into it: RASA_JWT_SECRET is referenced as %(ENV_RASA_JWT_SECRET)s, which
supervisord reads from its environment, and the socket.io secret reaches Rasa through the
environment the programs inherit (scripts/run.sh exports the settings first).
For a server, deploy/ has systemd units that do the same job (docs/deployment.md)."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Dict, List, Mapping, Optional

from ald import settings

#: The programs in the order they start (supervisord starts lower priorities first).
PROGRAMS = ("actions", "rasa", "web")

CONF_NAME = "supervisord.conf"


#: Stands for RASA_JWT_SECRET in a command line until it is written out (see `commands`).
_SECRET = "\0jwt-secret\0"


def _quote(args: List[str]) -> str:
    """A command line for supervisord: shell-quoted (it splits with shlex), with `%` doubled
    (supervisord expands %(name)s in it)."""
    return " ".join(shlex.quote(a) for a in args).replace("%", "%%")


def argv(name: str, env: Optional[Mapping[str, str]] = None) -> List[str]:
    """The command of program `name` (one of PROGRAMS), as scripts/run.sh used to start it;
    RASA_JWT_SECRET appears as `_SECRET`."""
    s = lambda setting: settings.get(setting, env)  # noqa: E731
    rasa_bin = str(settings.path("RASA_BIN", env))
    if name == "actions":
        return [rasa_bin, "run", "actions", "--actions", "actions", "--port", s("ACTIONS_PORT")]
    if name == "rasa":
        args = [rasa_bin, "run", "--model", str(settings.path("MODEL", env)), "--endpoints", s("ENDPOINTS")]
        args += ["--credentials", s("CREDENTIALS"), "--interface", s("RASA_HOST"), "--port", s("RASA_PORT")]
        args += ["--cors", s("WEB_ORIGIN")]
        # The HTTP API is only ever enabled with a secret (JWT in the Authorization header);
        # `=`: a secret starting with "-" must not read as an option.
        if settings.secret("RASA_JWT_SECRET", env):
            args += ["--enable-api", f"--jwt-secret={_SECRET}", "--jwt-method", "HS256"]
        return args
    if name == "web":
        python = str(settings.path("PYTHON_BIN", env))
        return [python, "-m", "web.serve", "--host", s("WEB_HOST"), "--port", s("WEB_PORT")]
    raise KeyError(f"no program {name!r} (one of {', '.join(PROGRAMS)})")


def program_environment(name: str, env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """What a program needs in its environment besides the settings."""
    # The action server reads its address from SANIC_HOST (rasa run actions has no flag).
    return {"SANIC_HOST": settings.get("ACTIONS_HOST", env)} if name == "actions" else {}


def programs() -> List[str]:
    """The programs of this checkout (the web page only where web/serve.py exists)."""
    return [p for p in PROGRAMS if p != "web" or (settings.ROOT / "web" / "serve.py").exists()]


def commands(env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """The supervisord command line of each program. The secret is not written: supervisord
    reads %(ENV_RASA_JWT_SECRET)s from its environment."""
    secret = shlex.quote(f"--jwt-secret={_SECRET}").replace("%", "%%")
    return {
        name: _quote(argv(name, env)).replace(secret, "'--jwt-secret=%(ENV_RASA_JWT_SECRET)s'")
        for name in programs()
    }


def exec_program(name: str) -> None:
    """Replaces this process with program `name` (for a service manager: deploy/*.service)."""
    env = {**os.environ, **program_environment(name)}
    args = [a.replace(_SECRET, settings.secret("RASA_JWT_SECRET")) for a in argv(name)]
    os.chdir(settings.ROOT)
    os.execve(args[0], args, env)


def render(env: Optional[Mapping[str, str]] = None) -> str:
    """The supervisord configuration for the current settings."""
    run_dir = settings.path("RUN_DIR", env)
    root = str(settings.ROOT).replace("%", "%%")
    rd = str(run_dir).replace("%", "%%")
    lines = [
        "; Generated by tools/supervisor.py from ald/settings.py at each `make run`: do not edit.",
        "[supervisord]",
        "nodaemon=true",  # in the foreground: Ctrl-C (SIGINT) stops it and every program
        f"logfile={rd}/supervisord.log",  # with nodaemon, the same lines go to the terminal
        "logfile_maxbytes=5MB",
        "logfile_backups=2",
        f"pidfile={rd}/supervisord.pid",
        f"childlogdir={rd}",
        f"directory={root}",
        "loglevel=info",
        "",
        "[unix_http_server]",
        f"file={rd}/supervisor.sock",
        "chmod=0700",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{rd}/supervisor.sock",
    ]
    for priority, (name, command) in enumerate(commands(env).items(), start=1):
        lines += [
            "",
            f"[program:{name}]",
            f"command={command}",
            f"directory={root}",
            f"priority={priority * 10}",
            "autostart=true",
            "autorestart=true",
            f"startsecs={settings.get_int('START_SECONDS', env)}",
            f"startretries={settings.get_int('START_RETRIES', env)}",
            # Rasa and the action server have children (Sanic workers): stop the whole group.
            "stopasgroup=true",
            "killasgroup=true",
            "stopsignal=TERM",
            f"stopwaitsecs={settings.get_int('STOP_TIMEOUT', env)}",
            # The programs' output goes to the terminal, as before (Rasa's log holds no text of
            # the messages at the default level).
            "redirect_stderr=true",
            "stdout_logfile=/dev/stdout",
            "stdout_logfile_maxbytes=0",
        ]
        for variable, value in program_environment(name, env).items():
            value = value.replace("%", "%%").replace('"', "")
            lines.append(f'environment={variable}="{value}"')
    return "\n".join(lines) + "\n"


def write(env: Optional[Mapping[str, str]] = None) -> Path:
    """Writes the configuration to RUN_DIR/supervisord.conf; returns its path."""
    run_dir = settings.path("RUN_DIR", env)
    run_dir.mkdir(parents=True, exist_ok=True)
    conf = run_dir / CONF_NAME
    conf.write_text(render(env), encoding="utf-8")
    return conf


def main(args_list: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.supervisor", description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--print", action="store_true", help="print the configuration instead")
    group.add_argument("--exec", choices=PROGRAMS, help="run this program in the foreground instead")
    args = parser.parse_args(args_list)
    if not settings.get("ENDPOINTS"):
        profiles = " or ".join(settings.PROFILES)
        print(f"RASA_PROFILE must be {profiles}, not {settings.get('RASA_PROFILE')!r}", file=sys.stderr)
        return 2
    if args.exec:
        exec_program(args.exec)
    elif args.print:
        print(render(), end="")
    else:
        print(write())
    return 0


if __name__ == "__main__":
    sys.exit(main())
