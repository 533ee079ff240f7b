"""Kill processes that are saving sites.json, hundreds of times; print what the file held after each kill.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_crash_safety.py [--kills 500] [--parallel 5]

The suite runs the same check with 50 kills (tests/unit/test_crash_safety.py); see tests/crash_support.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crash_support import kill_while_saving


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=500)
    ap.add_argument("--parallel", type=int, default=5)
    ap.add_argument("--seed", type=int, default=278357)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        report = kill_while_saving(Path(tmp), a.kills, parallel=a.parallel, seed=a.seed)
        took = time.perf_counter() - began
    print(
        f"{report.kills} kills in {took:.0f} s: {report.saves_finished} saves finished between them; "
        f"torn or missing files: {report.torn_or_missing}; neither the old nor the new version: "
        f"{report.wrong_version}; temporaries left by killed writers: {report.leftovers_seen} seen, "
        f"at most {report.most_leftovers} at once in one folder (each cleared by the next save)"
    )
    for problem in report.problems:
        print("  " + problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
