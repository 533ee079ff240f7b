"""``sender-console address SITE [DEST] [...]``: the command-line twin of the Address Properties sheet.

``address SITE`` lists the site's addresses; ``address SITE DEST [--priority N]`` shows one (without
``--priority``, the one tried first), after applying and saving any change given:
``--server NAME``, ``--substitute yes|no``, ``--schedule DAYS HOURS AVAILABILITY`` and
``--rate-limit DAYS HOURS PERCENT|unlimited`` (both repeatable, applied in order so a later one wins, with the
scenario file's syntax), ``--set-priority N``; ``--new`` creates the address (priority: ``--priority`` or the
next free one; server: the destination's, unless ``--server``), ``--delete`` removes it.

The same validation as the sheet (the model's): any bad value is one error line, exit 2, and nothing is saved.
Saves go through ``SiteSession``, so a change made meanwhile elsewhere is merged, and the same address changed
elsewhere is refused rather than overwritten.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from console.cli.context import CliContext
from console.cli.errors import UsageError
from console.model.addresses import DAYS, Address, Availability, RateLimit, WeeklySchedule, address_to_json

_SETTERS = ("server", "substitute", "schedule", "rate_limit", "set_priority")
_LETTERS = {Availability.ALL: "A", Availability.MEDIUM: "M", Availability.HIGH: "H", Availability.CLOSED: "C"}
_DISPLAY = (1, 2, 3, 4, 5, 6, 0)


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "address",
        parents=parents,
        help="list a site's addresses, or show one after applying and saving any change given",
    )
    p.add_argument("site", metavar="SITE", help="the sending site's code, e.g. CEN")
    p.add_argument("dest", metavar="DEST", nargs="?", help="the destination site's code, e.g. LAB")
    p.add_argument("--priority", type=int, metavar="N", help="which address to DEST (relative priority; default 1st)")
    p.add_argument("--server", metavar="NAME", help="site server name (1-15 characters)")
    p.add_argument(
        "--substitute", choices=("yes", "no"), help="no = unavailable to substitute for inoperative addresses"
    )
    p.add_argument(
        "--schedule",
        nargs=3,
        action="append",
        metavar=("DAYS", "HOURS", "AVAILABILITY"),
        help="e.g. Mon-Fri 08:00-17:00 medium (all | medium | high | closed); repeatable, later wins",
    )
    p.add_argument(
        "--rate-limit",
        dest="rate_limit",
        nargs=3,
        action="append",
        metavar=("DAYS", "HOURS", "PERCENT"),
        help="e.g. all 08:00-17:00 50 (1-100, or unlimited); repeatable, later wins",
    )
    p.add_argument("--set-priority", dest="set_priority", type=int, metavar="N", help="give the address priority N")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--new", action="store_true", help="create the address")
    action.add_argument("--delete", action="store_true", help="remove the address")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def address_json(a: Address) -> dict[str, Any]:
    """The site database's form of the address (without the sender type: always the Standard Sender here) plus
    readable summaries of its schedule and rate limit."""
    stored = {k: v for k, v in address_to_json(a).items() if k != "sender_type"}
    return {
        **stored,
        "schedule_summary": a.schedule.summary(),
        "rate_limit_summary": a.rate_limit.summary(),
    }


def _changed(a: Address, args: argparse.Namespace) -> Address:
    """``a`` with the command's setters applied in order; AddressError (a ValueError) names the rule."""
    schedule: WeeklySchedule = a.schedule
    for days, hours, availability in args.schedule or ():
        schedule = schedule.with_hours(days, hours, availability)
    limit: RateLimit = a.rate_limit
    for days, hours, percent in args.rate_limit or ():
        value = None if percent.strip().lower() == "unlimited" else _percent(percent)
        limit = limit.with_hours(days, hours, value)
    return Address(
        a.from_site,
        a.dest,
        args.set_priority if args.set_priority is not None else a.priority,
        args.server if args.server is not None else a.server,
        substitute=a.substitute if args.substitute is None else args.substitute == "yes",
        schedule=schedule,
        rate_limit=limit,
    )


def _percent(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise UsageError(f"--rate-limit: {text!r} is not a percentage from 1 to 100 or 'unlimited'") from None


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from console.model.site_session import SaveConflict, SiteSession

    session = SiteSession(ctx.store, ctx.load_sites().database)
    db = session.database
    try:
        site = db.get(args.site)
        dest = db.get(args.dest).code if args.dest is not None else None
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    setters = [f"--{k.replace('_', '-')}" for k in _SETTERS if getattr(args, k) is not None]
    if dest is None:
        given = setters + [f for f, on in (("--new", args.new), ("--delete", args.delete)) if on]
        if given or args.priority is not None:
            raise UsageError(f"{(given or ['--priority'])[0]} needs DEST: address {site.code} DEST ...")
        return _list(ctx, db, site.code, args.json)
    try:
        if args.new:
            priority = args.priority if args.priority is not None else db.next_free_priority(site.code, dest)
            base = Address(site.code, dest, priority, args.server or db.get(dest).server)
            address = session.add_address(_changed(base, args))
            verb = "Created"
        else:
            current = db.address(site.code, dest, args.priority)
            if args.delete:
                if setters:
                    raise UsageError(f"{setters[0]} cannot be combined with --delete")
                session.remove_address((current.from_site, current.dest, current.priority))
                if args.json:
                    ctx.stdout.write(json.dumps({"deleted": address_json(current)}, indent=2) + "\n")
                else:
                    ctx.stdout.write(f"Deleted the address {current.title}.\n")
                return 0
            address, verb = current, ""
            if setters:
                edited = _changed(current, args)
                if edited != current:
                    key = (current.from_site, current.dest, current.priority)
                    address, verb = session.edit_address(key, edited), "Saved"
    except KeyError as exc:
        raise UsageError(f"{exc.args[0]}; nothing was saved") from None
    except SaveConflict as exc:
        raise UsageError(f"{exc}; run the command again to apply it to the new values") from None
    except ValueError as exc:
        raise UsageError(f"{exc}; nothing was saved") from None
    if args.json:
        ctx.stdout.write(json.dumps(address_json(address), indent=2) + "\n")
        return 0
    if verb:
        ctx.stdout.write(f"{verb} the address {address.title}.\n")
    _show(ctx, address, session.database.get(address.dest).title)
    return 0


def _list(ctx: CliContext, db: Any, code: str, as_json: bool) -> int:
    addresses = db.addresses_from(code)
    if as_json:
        ctx.stdout.write(json.dumps({"site": code, "addresses": [address_json(a) for a in addresses]}, indent=2))
        ctx.stdout.write("\n")
        return 0
    if not addresses:
        ctx.stdout.write(f"{db.get(code).title} has no addresses; add one with: address {code} DEST --new\n")
        return 0
    rows = [("Dest", "Pri", "Server", "Substitutes", "Schedule", "Rate limit")]
    rows += [
        (
            a.dest,
            str(a.priority),
            a.server,
            "yes" if a.substitute else "no",
            a.schedule.summary(),
            a.rate_limit.summary(),
        )
        for a in addresses
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for r in rows:
        ctx.stdout.write("  ".join(v.ljust(w) for v, w in zip(r[:5], widths, strict=True)) + "  " + r[5] + "\n")
    return 0


def _show(ctx: CliContext, a: Address, dest_title: str) -> None:
    w = ctx.stdout.write
    w(f"Standard Sender address of {a.from_site} to {dest_title}, relative priority {a.priority}\n")
    w(f"  Site server name:                                     {a.server}\n")
    w(f"  Unavailable to substitute for inoperative addresses:  {'no' if a.substitute else 'yes'}\n")
    w(f"  Schedule:    {a.schedule.summary()}\n")
    w("               hour 0         1         2\n")
    w("                    012345678901234567890123\n")
    for d in _DISPLAY:
        w(f"               {DAYS[d]}  {''.join(_LETTERS[v] for v in a.schedule.grid[d])}\n")
    w("               A open for all priorities, M medium and high, H high only, C closed\n")
    w(f"  Rate limit:  {a.rate_limit.summary()}\n")


__all__ = ["add_parser", "address_json", "run"]
