"""The windowed commands: bare ``sender-console`` (the console window) and ``properties SITE`` (the sheet alone).

Arguments are checked here, before Qt is imported, so a typo costs no start-up time and always gives the
one-line error of DESIGN.md §4. The command line never imports the GUI: a windowed command returns a
``GuiLaunch``, which ``console/__main__.py`` hands to ``console.app``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from console.cli.context import CliContext
from console.cli.errors import UsageError
from console.cli.guard import guarded
from console.model.atomic import parse_json_bytes
from console.model.demo import demo_database
from console.model.durations import parse_duration
from console.model.sender_types import SenderType
from console.model.site_store import database_from_json
from console.model.sites import SiteDatabase

if TYPE_CHECKING:
    from console.model.scenario import Scenario

MAX_SPEED = 100_000.0


@dataclass(frozen=True)
class WindowRequest:
    """What the user asked the GUI for; validated, Qt-free."""

    kind: str  # "console", "properties" or "log"
    site: str | None = None
    sender_type: SenderType = SenderType.STANDARD
    scenario: Scenario | None = None  # --scenario, already read and validated
    speed: float | None = None
    screenshot: Path | None = None
    after_s: float = 0.0
    files: tuple[Path, ...] = ()  # kind "log": the log files, checked readable


def add_window_options(p: argparse.ArgumentParser) -> None:
    """The options of the windowed commands. SUPPRESS defaults, because the same options exist before and
    after ``properties``: a subparser's default would otherwise overwrite a value given before the command."""
    g = p.add_argument_group("window options")
    hide = argparse.SUPPRESS
    g.add_argument(
        "--scenario",
        dest="win_scenario",
        metavar="FILE",
        default=hide,
        help="load a scenario file into the live engine",
    )
    g.add_argument(
        "--speed",
        dest="win_speed",
        metavar="N",
        default=hide,
        help="simulation speed factor (0 pauses; 1 is real time)",
    )
    g.add_argument(
        "--screenshot",
        dest="win_screenshot",
        metavar="PNG",
        default=hide,
        help="write a PNG of the window that opened, then exit 0",
    )
    g.add_argument(
        "--after",
        dest="win_after",
        metavar="DURATION",
        default=hide,
        help="with --screenshot: simulated time to let pass first (e.g. 10m; default 0)",
    )


def add_parser(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("properties", parents=parents, help="open the Standard Sender Properties sheet of a site")
    p.add_argument("site", metavar="SITE", help="site code, e.g. LAB")
    p.add_argument(
        "--sender",
        metavar="TYPE",
        default="SMS_LAN_SENDER",
        help="which sender's sheet (component name, e.g. SMS_ASYNC_RAS_SENDER; default the Standard Sender)",
    )
    add_window_options(p)
    p.set_defaults(run=run_properties)


def build_request(args: argparse.Namespace, kind: str) -> WindowRequest:
    scenario = None
    if getattr(args, "win_scenario", None):
        # Read here, before any window: a bad file is one line naming file, key and rule, and no window opens.
        # (The scenario parser is imported only when --scenario is given.)
        from console.model.scenario import ScenarioError, load_scenario
        from console.model.scenario_catalog import resolve_scenario

        try:
            scenario = load_scenario(resolve_scenario(args.win_scenario))
        except (FileNotFoundError, ScenarioError) as exc:
            raise UsageError(f"--scenario: {exc}") from None
    speed = None
    if getattr(args, "win_speed", None) is not None:
        try:
            speed = float(args.win_speed)
        except ValueError:
            raise UsageError(f"--speed: {args.win_speed!r} is not a number") from None
        if not 0 <= speed <= MAX_SPEED:
            raise UsageError(f"--speed: must be from 0 to {MAX_SPEED:g}; got {args.win_speed}")
    screenshot = Path(args.win_screenshot) if getattr(args, "win_screenshot", None) else None
    if screenshot is not None:
        if screenshot.suffix.lower() != ".png":
            raise UsageError(f"--screenshot: {screenshot} must end in .png")
        if not screenshot.parent.exists():
            raise UsageError(f"--screenshot: folder {screenshot.parent} does not exist")
    after_s = 0.0
    if getattr(args, "win_after", None) is not None:
        if screenshot is None:
            raise UsageError("--after only works together with --screenshot")
        try:
            after_s = parse_duration(args.win_after)
        except ValueError as exc:
            raise UsageError(f"--after: {exc}") from None
    sender_type = SenderType.STANDARD
    if getattr(args, "sender", None):
        try:
            sender_type = SenderType.parse(args.sender)
        except ValueError as exc:
            raise UsageError(f"--sender: {exc}") from None
    return WindowRequest(
        kind=kind,
        site=getattr(args, "site", None),
        sender_type=sender_type,
        scenario=scenario,
        speed=speed,
        screenshot=screenshot,
        after_s=after_s,
    )


def peek_database(path: Path) -> SiteDatabase | None:
    """Read the site database without side effects (no seeding, no moving aside): None if unreadable.

    The windowed commands check the site code before Qt starts, but a bad file must reach the GUI
    untouched so that the GUI, not this check, moves it aside and shows the user a dialog (the GUI then
    checks the site again, against what it loaded).
    """
    if not path.exists():
        return demo_database()
    try:
        return database_from_json(parse_json_bytes(path.read_bytes()))
    except (OSError, ValueError, RecursionError):  # SiteFileError and UnreadableFile are ValueErrors
        return None


@dataclass(frozen=True)
class GuiLaunch:
    """A checked windowed command: ``run(console.app.run_gui)`` opens it, with the CLI's error handling."""

    request: WindowRequest
    ctx: CliContext

    def run(self, gui: Callable[[WindowRequest, CliContext], int]) -> int:
        return guarded(lambda: self.ctx, lambda: gui(self.request, self.ctx))


def run_properties(args: argparse.Namespace, ctx: CliContext) -> GuiLaunch:
    request = build_request(args, "properties")
    assert request.site is not None
    db = peek_database(ctx.paths.sites_file)
    if db is not None:  # unreadable: the GUI moves it aside, tells the user, and checks the site then
        try:
            db.site_with_sender(request.site, request.sender_type)
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
    return GuiLaunch(request, ctx)


def run_console(args: argparse.Namespace, ctx: CliContext) -> GuiLaunch:
    return GuiLaunch(build_request(args, "console"), ctx)
