"""The action server registers exactly the actions the domain names, once each.

Run in a fresh interpreter, as `rasa run actions --actions actions` does: rasa_sdk's executor
imports every module of the package, then registers each non-abstract subclass of Action."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

from ald import settings

REGISTER = """
import json
from rasa_sdk.executor import ActionExecutor

executor = ActionExecutor()
names = []
register_function = executor.register_function


def counting(name, f):
    names.append(name)
    register_function(name, f)


executor.register_function = counting
executor.register_package("actions")
print(json.dumps(names))
"""


def test_the_action_server_registers_the_domain_actions(domain):
    out = subprocess.run(
        [sys.executable, "-c", REGISTER],
        cwd=settings.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    registered = json.loads(out.strip().splitlines()[-1])
    expected = set(domain["actions"]) | {f"validate_{form}" for form in domain["forms"]}
    assert Counter(registered) == Counter(expected)  # a name registered twice fails too
