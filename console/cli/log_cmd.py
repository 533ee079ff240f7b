"""``sender-console log FILE... [--screenshot PNG]``: the log viewer window alone (DESIGN.md §4, "Real logs").

Every file is checked here, before Qt starts, so a typo costs one line on stderr and exit 2, not a window. The
files of one command open as one tab: a ``.log`` with its ``.lo_``, several logs merged by time. Without a file
(a desktop menu launch, whose entry runs ``sender-console log %F``) it opens the console window instead.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from pathlib import Path

from console.cli.context import CliContext
from console.cli.diagnose_cmd import check_log_file
from console.cli.window_cmd import GuiLaunch, build_request


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "log",
        parents=parents,
        help="open SMS 2.0 and ConfigMgr logs in the log viewer (a .log with its .lo_; several merged by time)",
    )
    p.add_argument("files", metavar="FILE", nargs="*", help="log files; none opens the console window")
    p.add_argument(
        "--screenshot",
        dest="win_screenshot",
        metavar="PNG",
        default=argparse.SUPPRESS,
        help="write a PNG of the viewer once the files are loaded, then exit 0",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> GuiLaunch:
    paths = tuple(Path(os.fsdecode(f)) for f in args.files)
    for path in paths:
        check_log_file(path)
    request = build_request(args, "log" if paths else "console")
    return GuiLaunch(dataclasses.replace(request, files=paths), ctx)
