"""Engine soak, long form: 7 simulated days of the busy scenario under random faults, invariants after every event.

    PYTHONPATH=. .venv/bin/python tests/bench/bench_soak.py [--days 7] [--seed 278357] [--action-gap 180]

Random outages, server restarts, settings changes, version upgrades and new sends through the engine's public API;
what is checked, and when, is in tests/soak_support.py. Prints a table: events checked, wall time, the RSS at the
start, the middle and the end, and every invariant broken (none expected; exit 1 otherwise). The engine keeps every
request it was given (the summary lists them all), so RSS may grow with the requests added, never with the events:
the table gives the growth per request added. The
suite runs six simulated hours of the same (tests/unit/engine/test_engine_soak.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from soak_support import SoakReport, busy_scenario, rss_mib, soak

DAY = 86400.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=7.0)
    ap.add_argument("--seed", type=int, default=278357)
    ap.add_argument("--action-gap", type=float, default=180.0, help="mean simulated seconds between random actions")
    ap.add_argument("--snapshot-every", type=float, default=600.0, help="simulated seconds between snapshot checks")
    a = ap.parse_args()
    loaded = rss_mib()
    scenario = busy_scenario()

    def progress(r: SoakReport) -> None:
        if r.sim_s % DAY == 0:
            print(
                f"  day {r.sim_s / DAY:.0f}: {r.events:,} events checked, {r.wall_s:.0f} s, {rss_mib():.1f} MiB",
                flush=True,
            )

    report = soak(
        scenario,
        a.days * DAY,
        seed=a.seed,
        action_gap_s=a.action_gap,
        snapshot_every_s=a.snapshot_every,
        rss_marks=14,
        progress=progress,
    )
    rss = dict(report.rss)
    marks = [label for label, _ in report.rss]
    middle = marks[len(marks) // 2]
    kept = report.states.total()
    added = kept - len(scenario.sends)
    growth_kib = (report.rss[-1][1] - rss["start"]) * 1024 / added if added else 0.0
    rows = [
        ("simulated days", f"{report.sim_s / DAY:g}"),
        ("wall time", f"{report.wall_s:.1f} s"),
        ("events checked (each one)", f"{report.events:,}"),
        ("steps checked (after each advance)", f"{report.steps:,}"),
        ("snapshot cross-checks", f"{report.snapshots:,}"),
        ("random actions", ", ".join(f"{k} {v}" for k, v in sorted(report.actions.items()))),
        ("requests at the end", ", ".join(f"{k} {v:,}" for k, v in sorted(report.states.items()))),
        ("most threads at once", str(report.most_threads)),
        ("RSS before loading the scenario", f"{loaded:.1f} MiB"),
        (
            "RSS start / middle / end",
            f"{rss['start']:.1f} / {rss[middle]:.1f} ({middle}) / {report.rss[-1][1]:.1f} MiB",
        ),
        ("RSS every half day", " ".join(f"{v:.1f}" for _, v in report.rss)),
        ("requests the engine keeps (its summary)", f"{len(scenario.sends):,} -> {kept:,}"),
        ("RSS growth per request added", f"{growth_kib:.2f} KiB"),
        ("invariants broken", str(len(report.problems))),
    ]
    width = max(len(k) for k, _ in rows)
    print(f"| {'measure':<{width}} | value |\n|{'-' * (width + 2)}|-------|")
    for k, v in rows:
        print(f"| {k:<{width}} | {v} |")
    for problem in report.problems:
        print("  " + problem)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
