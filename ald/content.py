"""The content folder (figures, phrases, topics, safety signals, vocabulary) and one cached
YAML reader for it."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Dict, Union

import yaml

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"


def content_file(name: str) -> Path:
    """`content/<name>`."""
    return CONTENT_DIR / name


@cache
def _load(path: str) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a YAML mapping is expected")
    return data


def load_yaml(path: Union[str, Path]) -> Dict[str, Any]:
    """A YAML mapping, read once per path (a path of content/ or any other, e.g. in tests)."""
    return _load(str(Path(path).resolve()))


def load_content(name: str) -> Dict[str, Any]:
    """The YAML mapping of `content/<name>`."""
    return load_yaml(content_file(name))


def clear_cache() -> None:
    """Forget every file read (tests that edit a content file)."""
    _load.cache_clear()
