"""Facts about the machine and the run, for docs/evaluation.md and docs/benchmarks.md: CPU,
RAM, load, commit, resident memory of a process tree (all read from /proc and git)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import List, Tuple


def cpu_model(cpuinfo: str) -> str:
    m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
    return m.group(1).strip() if m else "unknown CPU"


def mem_total_gib(meminfo: str) -> float:
    m = re.search(r"^MemTotal:\s+(\d+) kB", meminfo, re.M)
    return int(m.group(1)) / 1024**2 if m else 0.0


def describe() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    meminfo = Path("/proc/meminfo").read_text()
    return (
        f"{os.cpu_count()} cores ({cpu_model(cpuinfo)}), "
        f"{mem_total_gib(meminfo):.1f} GiB RAM, Linux {os.uname().release}"
    )


def load_average() -> Tuple[float, float, float]:
    one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    return float(one), float(five), float(fifteen)


def load_note(before: Tuple[float, ...], after: Tuple[float, ...], cores: int | None = None) -> str:
    """States whether other work shared the CPUs: the 1-minute load average before the run
    (what was already running) and after it (the run itself included)."""
    cores = cores or os.cpu_count() or 1
    busy = before[0] >= 0.5
    return f"load average {before[0]:.2f} before the run, {after[0]:.2f} after it, on {cores} " f"cores; " + (
        "**other work was running on the machine**, so the figures are " "pessimistic"
        if busy
        else "the machine was otherwise idle"
    )


def git_commit(root: Path) -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True).stdout.strip()

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return sha + (" + uncommitted changes" if dirty else "")


def children(pid: int) -> List[int]:
    """Direct children of `pid` (all its threads), from /proc/<pid>/task/*/children."""
    out: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


def process_tree(pid: int) -> List[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        if p not in seen:
            seen.append(p)
            todo += children(p)
    return seen


def vm_rss_kib(status: str) -> int:
    """VmRSS (kB) from the text of /proc/<pid>/status (0 for a zombie: no VmRSS line)."""
    m = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
    return int(m.group(1)) if m else 0


def tree_rss_mib(pid: int) -> float:
    """Resident memory of `pid` and all its descendants, in MiB."""
    total = 0
    for p in process_tree(pid):
        try:
            total += vm_rss_kib(Path(f"/proc/{p}/status").read_text())
        except OSError:
            continue
    return total / 1024
