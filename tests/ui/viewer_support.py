"""Helpers for the log viewer tests: hand-made SMS 2.0 lines, engine-written logs, the real CCM logs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from real_logs import REAL_LARGE, REAL_LOGS, REAL_SMALL, needs_real_logs  # noqa: F401 (re-exported)

from console.engine.log_format import format_line

ROOT = Path(__file__).resolve().parents[2]
WHEN = dt.datetime(2000, 11, 16, 10, 0, 0)


def sms2(text: str, thread: int = 205, minutes: float = 0.0, zone: str = "Eastern Standard Time") -> str:
    return format_line(text, WHEN + dt.timedelta(minutes=minutes), thread, zone=zone)


def write_lines(path: Path, lines: list[str], mode: str = "w") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode + "b") as f:
        f.write("".join(line + "\r\n" for line in lines).encode("utf-8"))
    return path


def engine_log(folder: Path, scenario: str, until: str | None = None) -> Path:
    """The Sender.log our engine writes for a bundled scenario (rolls over to Sender.lo_ at 1 MB)."""
    from console.engine.scenario_engine import engine_from_scenario
    from console.engine.sender_log import SenderLogFile
    from console.model.durations import parse_duration
    from console.model.scenario import load_scenario
    from console.model.scenario_catalog import resolve_scenario

    loaded = load_scenario(resolve_scenario(scenario))
    path = folder / scenario / "Sender.log"
    with SenderLogFile(path) as log:
        engine = engine_from_scenario(loaded, log.write_line)
        engine.run_until(parse_duration(until) if until else loaded.duration_s)
    return path
