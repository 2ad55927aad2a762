"""The content folder (figures, phrases, topics, FAQ answers, safety signals, vocabulary) and
one cached YAML reader for it.

A file is parsed once and kept; every later read checks the file's modification time, size and
inode (one `os.stat`) and parses it again when one of them changed. So an edit of a file that
is looked up at each answer (the FAQ answers of content/faq/, the phrases) is served by the
running action server at its next answer, without a restart. If the edited file cannot be
parsed (a YAML error, a save caught half-way), the last good version is kept and the error is
logged; it is read again at the next look-up. Values that modules derive once from a file and
keep (the figures of ald/figures.py, the vocabulary, the ALD list, the safety signals) still
need a restart of the action server."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Dict, Tuple, Union

import yaml

logger = logging.getLogger(__name__)

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"

#: What tells that a file changed: (modification time in ns, size, inode).
Stamp = Tuple[int, int, int]

#: resolved path → (stamp of the version read, its mapping).
_CACHE: Dict[str, Tuple[Stamp, Dict[str, Any]]] = {}


def content_file(name: str) -> Path:
    """`content/<name>`."""
    return CONTENT_DIR / name


def _stamp(path: str) -> Stamp:
    st = os.stat(path)
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _parse(path: str) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a YAML mapping is expected")
    return data


def load_yaml(path: Union[str, Path]) -> Dict[str, Any]:
    """A YAML mapping (a path of content/ or any other, e.g. in tests), parsed again only when
    the file changed since it was last read."""
    key = str(Path(path).resolve())
    stamp = _stamp(key)  # before reading: a change during the read is seen at the next look-up
    known = _CACHE.get(key)
    if known is not None and known[0] == stamp:
        return known[1]
    try:
        data = _parse(key)
    except (yaml.YAMLError, ValueError, UnicodeDecodeError):
        if known is None:
            raise
        logger.exception("%s changed but cannot be read: the previous version is kept", key)
        return known[1]
    if known is not None:
        logger.info("%s changed: read again", key)
    _CACHE[key] = (stamp, data)
    return data


def load_content(name: str) -> Dict[str, Any]:
    """The YAML mapping of `content/<name>`."""
    return load_yaml(content_file(name))


def clear_cache() -> None:
    """Forget every file read (tests that point a module to another file)."""
    _CACHE.clear()
