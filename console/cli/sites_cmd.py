"""``sender-console sites [--json]``: list the site database."""

from __future__ import annotations

import argparse
import json

from console.cli.context import CliContext


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("sites", parents=parents, help="list the site database: code, name, server, version, parent")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.load_sites().database
    rows = [
        {
            "code": s.code,
            "name": s.name,
            "server": s.server,
            "version": s.version.label,
            "build": s.version.build,
            "parent": s.parent,
        }
        for s in db
    ]
    if args.json:
        ctx.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    headers = ("Code", "Name", "Server", "Version", "Parent")
    table = [headers] + [(r["code"], r["name"], r["server"], r["version"], r["parent"] or "-") for r in rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(headers))]
    for row in table:
        ctx.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    return 0
