"""Kill a process while it saves sites.json, many times, and check the file each time (suite and bench).

The child loads the store, prints ``ready``, then saves in a loop, printing ``saved N`` after save N
returned; each save writes the site name ``save N`` into LAB. The parent kills it (SIGKILL, no clean-up
of any kind) at a random moment, reads everything the child printed, and checks that the file parses
completely and holds save N (the last finished) or N + 1 (the one in flight): the old or the new settings,
never a torn file or none. Several children run at once, each on its own folder.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import sys
from pathlib import Path
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore

session, _ = SiteSession.open(SiteStore(Path(sys.argv[1])))
n = int(session.site("LAB").name.removeprefix("save ")) if session.site("LAB").name.startswith("save ") else 0
print(f"ready {n}", flush=True)
while True:
    n += 1
    session.edit_site("LAB", session.site("LAB").replace(name=f"save {n}"))
    print(f"saved {n}", flush=True)
"""


@dataclass
class KillReport:
    kills: int = 0
    torn_or_missing: int = 0
    wrong_version: int = 0
    saves_finished: int = 0
    leftovers_seen: int = 0
    """Temporaries of killed writers found before a round (each is cleared by the next save)."""
    most_leftovers: int = 0
    """The most found in one folder at once: 1 if each save clears what the previous kill left."""
    problems: list[str] = field(default_factory=list)


def _check(path: Path, finished: int, report: KillReport) -> None:
    from console.model.site_store import read_database

    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        db, problems = read_database(data)
        assert not problems, problems
    except (OSError, ValueError, AssertionError) as exc:
        report.torn_or_missing += 1
        report.problems.append(f"{path}: {exc!r}")
        return
    name = db.get("LAB").name
    allowed = {f"save {finished}", f"save {finished + 1}"} if finished else {"Training Lab", "save 1"}
    if name not in allowed:
        report.wrong_version += 1
        report.problems.append(f"{path}: LAB is {name!r} after save {finished} finished")


def kill_while_saving(
    base: Path, kills: int, *, parallel: int = 5, max_delay_s: float = 0.04, seed: int = 1
) -> KillReport:
    rnd = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SENDER_CONSOLE_CONFIG_DIR", None)
    report = KillReport()
    folders = [base / f"f{i}" for i in range(parallel)]
    finished = dict.fromkeys(range(parallel), 0)
    while report.kills < kills:
        batch = min(parallel, kills - report.kills)
        children = []
        for i in range(batch):
            folders[i].mkdir(parents=True, exist_ok=True)
            leftovers = len(list(folders[i].glob(".sites.json.*.tmp")))
            report.leftovers_seen += leftovers
            report.most_leftovers = max(report.most_leftovers, leftovers)
            child = subprocess.Popen(
                [sys.executable, "-c", WORKER, str(folders[i] / "sites.json")],
                stdout=subprocess.PIPE,
                env=env,
                cwd=ROOT,
                text=True,
            )
            children.append(child)
        for i, child in enumerate(children):
            assert child.stdout is not None
            word, start = child.stdout.readline().split()
            assert word == "ready"
            finished[i] = int(start)  # what the file held when this child started (a kill may leave N + 1)
        time.sleep(rnd.uniform(0, max_delay_s))
        for child in children:
            time.sleep(rnd.uniform(0, max_delay_s / batch))
            child.send_signal(signal.SIGKILL)
        for i, child in enumerate(children):
            out = child.stdout.read()  # not communicate(): it would skip what readline() already buffered
            child.wait(timeout=30)
            saved = [int(line.split()[1]) for line in out.splitlines() if line.startswith("saved ")]
            if saved:
                report.saves_finished += len(saved)
                finished[i] = saved[-1]
            _check(folders[i] / "sites.json", finished[i], report)
            report.kills += 1
    return report
