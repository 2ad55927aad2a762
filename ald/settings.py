"""Every default of the assistant in one place: paths, hosts and ports, profile, database and
Redis, retention, message limit, socket.io tokens. Each setting can be overridden by the
environment variable of the same name (an empty value counts as unset, as in the shell's
`${NAME:-default}`); this module is the only place that reads them.

    from ald import settings
    settings.get("RASA_PORT")         # "5005", or $RASA_PORT
    settings.get_int("RASA_PORT")     # 5005
    settings.path("MODEL")            # absolute Path (relative values are under the root)

Shell scripts and the Makefile read them with `python3 -m ald.settings --shell` (lines
`export NAME=value`, quoted for the shell) or `--get NAME...` (values, one a line);
`python3 -m ald.settings` lists them. Standard library only, no Rasa import: the Makefile
runs it with any python3, before the virtual environment exists.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import Callable, Dict, List, Mapping, NamedTuple, Optional, Union

ROOT = Path(__file__).resolve().parent.parent

Lookup = Callable[[str], str]
#: A default is a text, or a function of the other settings (e.g. a URL built from a port).
Default = Union[str, Callable[[Lookup], str]]


class Setting(NamedTuple):
    name: str
    default: Default
    help: str
    #: Printed by --shell. False when exporting the default would change what it means to the
    #: program that reads it (the environment still passes a value set there to every child).
    exported: bool = True


#: The files of each profile (RASA_PROFILE): where Rasa keeps the conversations.
PROFILES: Dict[str, str] = {
    "sqlite": "endpoints.yml",  # one machine: a SQLite file (SQLITE_DB)
    "postgres": "endpoints.postgres.yml",  # several servers: PostgreSQL (DB_*) + Redis (REDIS_*)
}

SETTINGS: List[Setting] = [
    # Paths, relative to the project's root (an absolute path is kept as it is).
    Setting("VENV", ".venv", "the virtual environment (make install)"),
    Setting("RASA_BIN", lambda s: f"{s('VENV')}/bin/rasa", "the rasa command of the venv"),
    Setting("PYTHON_BIN", lambda s: f"{s('VENV')}/bin/python", "the python of the venv"),
    Setting("MODEL", "models/ald.tar.gz", "the trained model (make train)"),
    Setting("DOMAIN", "domain", "the domain: a folder of files (or one file)"),
    Setting("CONFIG", "config.yml", "the NLU pipeline and policies"),
    Setting("DATA", "data", "the training data"),
    Setting("CREDENTIALS", "credentials.yml", "the input channels"),
    Setting("RESULTS_DIR", "results", "reports of tests, evaluation, benchmarks (not committed)"),
    # Profile.
    Setting("RASA_PROFILE", "sqlite", "where conversations are kept: " + " or ".join(PROFILES)),
    Setting(
        "ENDPOINTS", lambda s: PROFILES.get(s("RASA_PROFILE"), ""), "the endpoints file (from RASA_PROFILE)"
    ),
    Setting("SQLITE_DB", "var/rasa.db", "the SQLite tracker store (sqlite profile)"),
    # Servers.
    Setting("RASA_HOST", "127.0.0.1", "address the Rasa server listens on"),
    Setting("RASA_PORT", "5005", "port of the Rasa server (REST and socket.io)"),
    Setting("ACTIONS_HOST", "127.0.0.1", "address the action server listens on"),
    Setting("ACTIONS_PORT", "5055", "port of the action server"),
    Setting(
        "ACTION_ENDPOINT_URL",
        lambda s: f"http://127.0.0.1:{s('ACTIONS_PORT')}/webhook",
        "where the Rasa server reaches the action server",
    ),
    Setting("WEB_HOST", "127.0.0.1", "address the web page (web/serve.py) listens on"),
    Setting("WEB_PORT", "8080", "port of the web page"),
    Setting(
        "WEB_ORIGIN",
        lambda s: f"http://localhost:{s('WEB_PORT')}",
        "origin(s) of the page allowed by CORS and socket.io (comma-separated)",
    ),
    Setting(
        "RASA_PUBLIC_URL",
        lambda s: f"http://localhost:{s('RASA_PORT')}",
        "the Rasa server as the browser reaches it",
    ),
    # The process supervisor of `make run` (supervisord, tools/supervisor.py): it restarts a
    # part that dies and logs it.
    Setting("RUN_DIR", "var/run", "supervisord's generated config, control socket and log (make run)"),
    Setting("START_RETRIES", "5", "supervisord gives up on a part that dies this often before it is up"),
    Setting("START_SECONDS", "3", "a part alive this long counts as started (then it is always restarted)"),
    Setting("STOP_TIMEOUT", "15", "seconds a part has to stop (Ctrl-C, restart) before it is killed"),
    # PostgreSQL tracker store and Redis lock store (postgres profile, integration tests).
    Setting("DB_HOST", "127.0.0.1", "PostgreSQL host"),
    Setting("DB_PORT", "5432", "PostgreSQL port"),
    Setting("DB_NAME", "rasa", "PostgreSQL database"),
    Setting("DB_USER", "rasa", "PostgreSQL role"),
    Setting("DB_PASSWORD", "", "PostgreSQL password (none by default)"),
    Setting("DB_CONNECT_TIMEOUT", "5", "seconds before an unreachable PostgreSQL counts as down"),
    Setting("REDIS_HOST", "127.0.0.1", "Redis host"),
    Setting("REDIS_PORT", "6379", "Redis port"),
    Setting("REDIS_DB", "1", "Redis database number"),
    Setting("REDIS_PASSWORD", "", "Redis password (none by default)"),
    Setting("REDIS_KEY_PREFIX", "ald", "prefix of the lock keys in Redis"),
    # Privacy and limits.
    Setting("RETENTION_DAYS", "90", "make purge deletes conversations idle for longer (days)"),
    Setting("REVIEW_DAYS", "7", "make review reads the conversations of the last N days"),
    # Not exported: components/guard.py gives config.yml's max_chars precedence over this
    # default, and the environment's value precedence over both.
    Setting("MAX_MESSAGE_CHARS", "2000", "longer messages are cut and answered 'too long'", exported=False),
    # Not exported, for the same reason: components/guard.py (ConfidenceGate) reads it.
    Setting(
        "FAQ_MARGIN",
        "0.0",
        "a FAQ answer whose confidence is less than this above the next answer's falls back (0: off)",
        exported=False,
    ),
    # socket.io tokens issued by web/serve.py and checked by channels/socketio_secure.py.
    Setting("SOCKET_TOKEN_AUDIENCE", "ald-socketio", "audience (aud) of the socket.io tokens"),
    Setting(
        "SOCKET_SESSION_ID_PATTERN",
        r"^[0-9a-f]{32}$",
        "what a conversation id in a token must look like (uuid4().hex)",
    ),
    Setting("WEB_TOKEN_TTL", "3600", "lifetime of a socket.io token (seconds)"),
    Setting("WEB_SESSION_MAX_AGE", str(12 * 3600), "a web conversation is renewed up to (seconds)"),
    Setting("WEB_INIT_PAYLOAD", "/greet", "the message the widget sends when it opens"),
    # Tooling.
    Setting("CHROMIUM", "/usr/bin/chromium", "the browser of the browser tests"),
    Setting("CV_EPOCHS", "", "epochs of the cross-validation in make evaluate (empty: config's)"),
    # Pins for demos and tests (empty: the real clock, the real figures).
    Setting("ALD_TODAY", "", "today's date, YYYY-MM-DD (empty: the Europe/Paris date)", exported=False),
    Setting("ALD_NOW", "", "the current time, ISO (empty: the clock)", exported=False),
    Setting("ALD_FIGURES", "", "another figures file (empty: content/figures.yml)", exported=False),
    Setting("ALD_FAQ_ANSWERS", "", "another folder of FAQ answers (empty: content/faq/)", exported=False),
]

#: Secrets: read from the environment only, never defaulted, never printed.
SECRETS = ("RASA_SOCKET_JWT_SECRET", "RASA_JWT_SECRET")

#: Set for every Rasa and Python process the project starts (not settings: always these).
PROCESS_ENV: Dict[str, str] = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONHASHSEED": "0",  # reproducible trainings
    # Rasa prints "Rasa server is up and running" on stdout: unbuffered, a log file has it at once.
    "PYTHONUNBUFFERED": "1",
}

_BY_NAME: Dict[str, Setting] = {s.name: s for s in SETTINGS}
#: Settings whose default is computed from other settings.
DERIVED = tuple(s.name for s in SETTINGS if callable(s.default))


def _environment(env: Optional[Mapping[str, str]]) -> Mapping[str, str]:
    return os.environ if env is None else env


def from_environment(name: str, env: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The value the environment gives `name`, or None when it is unset or empty."""
    if name not in _BY_NAME and name not in SECRETS:
        raise KeyError(f"unknown setting {name!r} (see ald/settings.py)")
    value = _environment(env).get(name, "")
    return value if value.strip() else None


def default(name: str, env: Optional[Mapping[str, str]] = None) -> str:
    """The default of `name` (a derived one computed from the current settings)."""
    if name not in _BY_NAME:
        raise KeyError(f"unknown setting {name!r} (see ald/settings.py)")
    value = _BY_NAME[name].default
    return value(lambda other: get(other, env)) if callable(value) else value


def get(name: str, env: Optional[Mapping[str, str]] = None) -> str:
    """The value of setting `name`: the environment's (`env`, default os.environ), else its
    default."""
    found = from_environment(name, env)
    return found if found is not None else default(name, env)


def get_int(name: str, env: Optional[Mapping[str, str]] = None) -> int:
    raw = get(name, env).strip()
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None


def path(name: str, env: Optional[Mapping[str, str]] = None) -> Path:
    """The setting `name` as an absolute path (a relative one is relative to the root)."""
    return ROOT / get(name, env)  # an absolute value replaces ROOT


def domain_files(root: Optional[Path] = None, env: Optional[Mapping[str, str]] = None) -> List[Path]:
    """The YAML files of the domain (DOMAIN: one file, or a folder of them, read as Rasa does),
    under `root` (default: the project's root; e.g. a copy of the project)."""
    domain = (root or ROOT) / get("DOMAIN", env)
    if not domain.is_dir():
        return [domain]
    return sorted(p for p in domain.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


def secret(name: str, env: Optional[Mapping[str, str]] = None) -> str:
    """A secret from the environment ("" when unset)."""
    if name not in SECRETS:
        raise KeyError(f"{name!r} is not a secret of ald/settings.py")
    return _environment(env).get(name, "")


def resolved(env: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
    """Every setting with its value, in the order of SETTINGS."""
    return {s.name: get(s.name, env) for s in SETTINGS}


def shell_lines(env: Optional[Mapping[str, str]] = None) -> List[str]:
    """`export NAME=value` for every exported setting and PROCESS_ENV, quoted for the shell."""
    exported = {s.name: get(s.name, env) for s in SETTINGS if s.exported}
    values = {**exported, **PROCESS_ENV}
    return [f"export {name}={shlex.quote(value)}" for name, value in values.items()]


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m ald.settings",
        description="The settings of the assistant: defaults, overridden by the environment.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--shell", action="store_true", help="print `export NAME=value` lines (eval them in a shell script)"
    )
    group.add_argument(
        "--get", metavar="NAME", nargs="+", help="print the value of each setting named, one a line"
    )
    args = parser.parse_args(argv)
    if args.shell:
        print("\n".join(shell_lines()))
    elif args.get:
        try:
            print("\n".join(get(name) for name in args.get))
        except KeyError as e:
            print(f"ald.settings: {e.args[0]}", file=sys.stderr)
            return 2
    else:
        for s in SETTINGS:
            origin = "environment" if from_environment(s.name) is not None else "default"
            print(f"{s.name}={get(s.name)}    # {s.help} ({origin})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
