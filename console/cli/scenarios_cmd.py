"""``sender-console scenarios``: the scenarios that ship with the app, one line each, usable by name."""

from __future__ import annotations

import argparse
import json

from console.cli.context import CliContext


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "scenarios", parents=parents, help="list the bundled scenarios (give a name to simulate or --scenario)"
    )
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from console.model.scenario_catalog import bundled_scenarios

    found = bundled_scenarios()
    if args.json:
        rows = [{"name": s.name, "title": s.title, "path": str(s.path)} for s in found]
        ctx.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    width = max((len(s.name) for s in found), default=0)
    for s in found:
        ctx.stdout.write(f"{s.name:<{width}}  {s.title}\n")
    return 0
