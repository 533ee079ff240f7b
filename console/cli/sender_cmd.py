"""``sender-console sender SITE [...]``: the command-line twin of the Advanced tab.

Values are validated by the same model the sheet uses (``SenderSettings``); if any is out of range,
nothing is saved. Advisories come from ``console.model.advisories``, the rule the sheet shows inline; the
warning line also says where the site sends or forwards packages (its addresses), since a child on SP3 strands
packages routed through it whatever the central site runs.
"""

from __future__ import annotations

import argparse
import json

from console.cli.context import CliContext
from console.cli.errors import UsageError
from console.model.sender_settings import FIELD_BY_KEY, SettingError
from console.model.sender_types import SenderType

_OPTIONS = {
    "all_sites": "--all-sites",
    "per_site": "--per-site",
    "retries": "--retries",
    "retry_delay_min": "--retry-delay",
}


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sender", parents=parents, help="show a site's Standard Sender settings, after applying and saving any given"
    )
    p.add_argument("site", metavar="SITE", help="site code, e.g. LAB")
    for key, flag in _OPTIONS.items():
        f = FIELD_BY_KEY[key]
        p.add_argument(
            flag,
            dest=key,
            type=int,
            metavar="MIN" if key == "retry_delay_min" else "N",
            help=f"{f.label} ({f.minimum}-{f.maximum}, default {f.default})",
        )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from console.model.advisories import advise, forwarding_note  # only this command needs them (see simulate_cmd)
    from console.model.site_session import SaveConflict, SiteSession

    session = SiteSession(ctx.store, ctx.load_sites().database)
    try:
        site = session.site(args.site)
    except KeyError as exc:
        raise UsageError(exc.args[0]) from None
    sender = site.standard_sender
    changes = {k: getattr(args, k) for k in _OPTIONS if getattr(args, k) is not None}
    if changes:
        try:
            settings = sender.settings.replace(**changes)
        except SettingError as exc:
            raise UsageError(
                f"{_OPTIONS[exc.field.key]}: {exc.field.label} {exc.rule}; got {exc.value}; nothing was saved"
            ) from None
        if settings != sender.settings:
            # The sheet's path: merged with any change saved meanwhile, refused if that changed this sender too.
            try:
                site = session.update_sender_settings(site.code, SenderType.STANDARD, settings)
            except SaveConflict as exc:
                raise UsageError(f"{exc}; run the command again to apply it to the new values") from None
        sender = site.standard_sender
    settings = sender.settings
    advisories = advise(settings, site.version)
    for a in advisories:
        ctx.stderr.write(f"warning: {a.one_line} {forwarding_note(session.database, site.code)}\n")
    if args.json:
        out = {"site": site.code, **settings.to_dict(), "advisories": [a.to_json() for a in advisories]}
        ctx.stdout.write(json.dumps(out, indent=2) + "\n")
        return 0
    ctx.stdout.write(
        f"Standard Sender ({SenderType.STANDARD.component}) at {site.title}, "
        f"SMS {site.version.label} ({site.version.build}), server {sender.server}\n"
    )
    ctx.stdout.write("  Maximum concurrent sendings\n")
    ctx.stdout.write(f"    All sites:                        {settings.all_sites}\n")
    ctx.stdout.write(f"    Per site:                         {settings.per_site}\n")
    ctx.stdout.write("  Retry settings\n")
    ctx.stdout.write(f"    Number of retries:                {settings.retries}\n")
    ctx.stdout.write(f"    Delay before retrying (minutes):  {settings.retry_delay_min}\n")
    return 0
