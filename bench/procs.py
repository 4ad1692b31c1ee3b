"""The chat server's process tree from /proc: its sandbox processes' memory, zombies and leftover run children."""
from __future__ import annotations

import time
from pathlib import Path


def processes() -> dict[int, tuple[int, str, int]]:
    """Every live process: pid -> (parent pid, state letter, session id)."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # it exited meanwhile
            continue
        state, ppid, _pgrp, session = stat[stat.rindex(")") + 2:].split()[:4]
        table[int(entry.name)] = (int(ppid), state, int(session))
    return table


def descendants(pid: int, table: dict[int, tuple[int, str, int]]) -> list[int]:
    """The pids below `pid` in the process tree."""
    found, frontier = [], [pid]
    while frontier:
        children = [p for p, (ppid, _, _) in table.items() if ppid in frontier]
        found += children
        frontier = children
    return found


def rss_mib(pid: int) -> float:
    """Resident memory of one process in MiB (VmRSS), 0 if it is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0.0
    return next((int(line.split()[1]) / 1024 for line in lines if line.startswith("VmRSS:")), 0.0)


def snapshot(server: int) -> dict:
    """The server's and its sandbox processes' RSS, its zombie descendants, and run children still alive
    (each zygote keeps one child forked ahead for its next run: that one is not counted)."""
    table = processes()
    below = descendants(server, table)
    zygotes = [p for p in below if table[p][0] == server]
    return {"server_rss_mib": round(rss_mib(server), 1),
            "sandbox_rss_mib": round(sum(rss_mib(p) for p in below), 1),
            "zombies": sorted(p for p in below if table[p][1] == "Z"),
            "run_children": sorted(p for z in zygotes for p in sorted(descendants(z, table))[1:])}


def settled_snapshot(server: int, wait: float = 5.0) -> dict:
    """A snapshot once the last run children are gone (or `wait` seconds have passed)."""
    deadline = time.monotonic() + wait
    snap = snapshot(server)
    while (snap["zombies"] or snap["run_children"]) and time.monotonic() < deadline:
        time.sleep(0.1)
        snap = snapshot(server)
    return snap
