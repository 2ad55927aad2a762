"""Every default of the assistant in one place: paths, ports, profile, database and Redis,
retention, message limit, socket.io tokens. Each setting can be overridden by the environment
variable of the same name; scripts, tools, tests, the web page and the NLU components read
them here (shell scripts and the Makefile through `python -m ald.settings --shell`)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Paths, relative to ROOT.
VENV = ".venv"
RASA_BIN = f"{VENV}/bin/rasa"
PYTHON_BIN = f"{VENV}/bin/python"
MODEL = "models/ald.tar.gz"
DOMAIN = "domain.yml"
CONFIG = "config.yml"
DATA = "data"
CONTENT = "content"
