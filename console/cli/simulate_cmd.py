"""``sender-console simulate SCENARIO.toml [--json] [--log FILE] [--until D]`` (DESIGN.md §4).

Runs the scenario in virtual time as fast as it can and prints a summary: a table (one row per send
request) or, with ``--json``, the summary object of DESIGN.md §4 (plus ``blocks``).

Decisions the design left open:
- ``--until`` replaces the scenario's ``duration`` as the stop time, earlier *or later*: running past the
  duration is how one asks "was the package ever delivered?" of a scenario that ends with it pending
  (retries, re-offers and the 7-day limit go on; nothing new is planned after the duration).
- ``--log FILE`` appends, as the product's Sender.log accumulated across service restarts (its
  ``Sender.lo_`` rollover at 1 MB included); nothing is ever overwritten except by that rollover. A second
  run of a scenario therefore follows the first in the file with its own clock, which starts again at the
  scenario's ``start``. A file whose last line was cut short gets its line ended first, so that no line of
  the new run is glued to it.
- Per-site senders (scenarios with ``[[addresses]]``): ``--log FILE`` is the [sender] site's Sender.log; the
  lines of another site's sender (a hop it forwards) go to ``FILE``'s sibling ``<stem>-<SITE><suffix>``
  (``Sender-CHI.log``), as each site server kept its own log (INFERRED). The log viewer merges them by time.
- The table's HOPS column shows a routed send's route briefly: ``PRI>CHI ok, CHI>T30 pending`` (``ok`` for
  delivered, and the seconds a hop waited for an address when it did: ``PRI>CHI ok w28800s``).
- ``events`` counts the heap entries the engine handled. Writing Sender.log makes the engine schedule every
  block (its lines appear at their time), so ``--log`` runs handle more events than quiet runs of the same
  scenario; the outcome is the same.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

from console.cli.context import CliContext
from console.cli.errors import UsageError
from console.model.durations import format_duration, parse_duration


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("simulate", parents=parents, help="run a scenario in virtual time and print a summary")
    p.add_argument(
        "scenario",
        metavar="SCENARIO",
        help="scenario file (TOML), or a bundled scenario's name ('sender-console scenarios' lists them)",
    )
    p.add_argument("--json", action="store_true", help="print the JSON summary instead of a table")
    p.add_argument(
        "--log",
        metavar="FILE",
        help="append the run's Sender.log lines to FILE, as the service did across restarts (rolls "
        "over to .lo_ at 1 MB); a second run follows the first with its clock started again",
    )
    p.add_argument(
        "--until",
        metavar="DURATION",
        help="stop at this simulated time instead of the scenario's duration, earlier or later "
        "(e.g. 30m, or 9h to see what happens after a 2h scenario)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    # Imported here, not at the top: console.cli.main imports every command's parser on every start, and the
    # engine and scenario code (~35 ms) would otherwise delay the console window, which never needs them first.
    from console.engine.scenario_engine import engine_from_scenario
    from console.engine.sender_log import SenderLogFile
    from console.model.scenario import MAX_DURATION_S, ScenarioError, load_scenario
    from console.model.scenario_catalog import resolve_scenario

    try:
        scenario = load_scenario(resolve_scenario(args.scenario))
    except (FileNotFoundError, ScenarioError) as exc:
        raise UsageError(str(exc)) from None
    end = scenario.duration_s
    if args.until is not None:
        try:
            until = parse_duration(args.until)
        except ValueError as exc:
            raise UsageError(f"--until: {exc}") from None
        if until > MAX_DURATION_S:
            raise UsageError(
                f"--until: {args.until} is past the {format_duration(MAX_DURATION_S)} limit of a "
                f"scenario (this one lasts {format_duration(scenario.duration_s)})"
            )
        end = until
    log: SenderLogFile | None = None
    site_logs: dict[str, SenderLogFile] = {}
    if args.log:
        log_path = Path(args.log)
        if log_path.is_dir():
            raise UsageError(f"--log: {log_path} is a folder; give a file name such as {log_path / 'Sender.log'}")
        if not log_path.parent.exists():
            raise UsageError(f"--log: folder {log_path.parent} does not exist")
        try:
            log = SenderLogFile(log_path)
        except OSError as exc:
            raise UsageError(f"--log: cannot write {log_path}: {exc.strerror or exc}") from None

    def site_line(site: str, line: str) -> None:
        f = site_logs.get(site)
        if f is None:
            assert log is not None
            f = site_logs[site] = SenderLogFile(log.path.with_name(f"{log.path.stem}-{site}{log.path.suffix}"))
        f.write_line(line)

    try:
        try:
            engine = engine_from_scenario(scenario, log.write_line if log else None, site_line if log else None)
            engine.run_until(end)
        finally:
            if log is not None:
                log.close()
            for f in site_logs.values():
                f.close()
    except OSError as exc:
        if log is None:
            raise
        # A full disk (/dev/full), a quota, a file system gone read-only: name the option, not only errno.
        raise UsageError(f"--log: cannot write {log.path}: {exc.strerror or exc}") from None
    summary = engine.summary(scenario.name)
    if args.json:
        ctx.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        _print_table(ctx.stdout, scenario.name, summary)
    return 0


def _print_table(out: TextIO, name: str, summary: dict) -> None:
    sends = summary["sends"]
    out.write(
        f"{name}: {format_duration(summary['sim_seconds'])} simulated, {summary['events']} events handled, "
        f"{summary['blocks']} blocks, "
        f"{len(sends)} send request{'' if len(sends) == 1 else 's'}\n"
    )
    routed = any(len(s.get("hops", ())) > 1 or any(h["waiting_s"] for h in s.get("hops", ())) for s in sends)
    header = ("REQUEST", "PACKAGE", "DEST", "STATUS", "DELIVERED", "ATTEMPTS", "SENT", "HOPS")[: 8 if routed else 7]
    rows = [header]
    for s in sends:
        delivered = format_duration(s["delivered_s"]) if s["delivered_s"] is not None else "-"
        rows.append(
            (
                s["request_id"],
                s["package"],
                s["dest"],
                s["status"],
                delivered,
                str(s["attempts"]),
                f"{s['bytes_sent'] * 100 // s['size']}%",
                _hops_text(s.get("hops", ())),
            )[: len(header)]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    for r in rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() + "\n")
    counts = {k: sum(1 for s in sends if s["status"] == k) for k in ("delivered", "pending", "failed")}
    out.write(f"{counts['delivered']} delivered, {counts['pending']} pending, {counts['failed']} failed\n")


def _hops_text(hops: list[dict]) -> str:
    """``PRI>CHI ok, CHI>T30 pending``; a hop that waited for an address adds ``w<seconds>s``."""
    words = {"delivered": "ok"}
    parts = []
    for h in hops:
        wait = f" w{h['waiting_s']:g}s" if h["waiting_s"] else ""
        parts.append(f"{h['from']}>{h['to']} {words.get(h['status'], h['status'])}{wait}")
    return ", ".join(parts)
