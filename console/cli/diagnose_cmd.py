"""``sender-console diagnose FILE... [--json]``: read real logs and report what went wrong (DESIGN.md §4).

Every file is checked before any is read, so a typo in the third name fails at once with one line (exit 2)
instead of after a long read. A ``.log`` brings its ``.lo_`` along (one timeline); ``files`` lists what was read.
Exit status 0 whether or not there are findings: a finding is an answer, not a failure.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from console.cli.context import CliContext
from console.cli.errors import UsageError


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "diagnose",
        parents=parents,
        help="read Sender.log and other SMS/ConfigMgr logs and report known problems (Q278357 and others)",
    )
    p.add_argument("files", metavar="FILE", nargs="+", help="log files (a .log is read with its .lo_)")
    p.add_argument("--json", action="store_true", help="print the JSON report instead of text")
    p.set_defaults(run=run)


def check_log_file(path: Path) -> None:
    """One line (exit 2) for a missing, folder or unreadable file: before anything is read or any window opens."""
    if not path.exists():
        raise UsageError(f"{path}: no such file")
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a log file")
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    # Imported here: the reader and the rules are not needed to start the console window.
    from console.logs.report import diagnose_paths, format_text

    paths = [Path(os.fsdecode(f)) for f in args.files]
    for path in paths:
        check_log_file(path)
    try:
        report = diagnose_paths(paths)
    except OSError as exc:
        raise UsageError(f"cannot read {exc.filename or 'a log file'}: {exc.strerror or exc}") from None
    if args.json:
        ctx.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    else:
        ctx.stdout.write(format_text(report))
    return 0
