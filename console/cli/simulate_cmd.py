"""``sender-console simulate SCENARIO.toml``: placeholder until the engine lands (issue 3)."""

from __future__ import annotations

import argparse

from console.cli.context import CliContext
from console.cli.errors import UsageError


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("simulate", parents=parents, help="run a scenario in virtual time and print a summary")
    p.add_argument("scenario", metavar="SCENARIO")
    p.add_argument("--json", action="store_true")
    p.add_argument("--log", metavar="FILE")
    p.add_argument("--until", metavar="DURATION")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    raise UsageError("simulate is not available yet")
