"""Parse the command line and dispatch (DESIGN.md §4). Every error: one line on stderr, exit 2."""

from __future__ import annotations

import argparse

from console import __version__
from console.cli import (
    address_cmd,
    diagnose_cmd,
    log_cmd,
    scenarios_cmd,
    sender_cmd,
    simulate_cmd,
    sites_cmd,
    window_cmd,
)
from console.cli.context import CliContext
from console.cli.errors import PROG, OneLineArgumentParser, UsageError
from console.cli.guard import flushed, guarded
from console.cli.window_cmd import GuiLaunch
from console.model.paths import AppPaths


def _common() -> argparse.ArgumentParser:
    common = OneLineArgumentParser(add_help=False)
    common.add_argument(
        "--config-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep the site database, window state and logs in DIR "
        "(default: the platform's user folders; env SENDER_CONSOLE_CONFIG_DIR)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = OneLineArgumentParser(
        prog=PROG,
        parents=[common],
        description="SMS 2.0 Standard Sender console: the properties sheet, the Q278357 advisory and a "
        "live, simulated sender engine. With no command, opens the console window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    window_cmd.add_window_options(parser)
    parser.set_defaults(run=window_cmd.run_console)
    sub = parser.add_subparsers(metavar="COMMAND", parser_class=OneLineArgumentParser)
    window_cmd.add_parser(sub, [common])
    sites_cmd.add_parser(sub, [common])
    sender_cmd.add_parser(sub, [common])
    address_cmd.add_parser(sub, [common])
    simulate_cmd.add_parser(sub, [common])
    scenarios_cmd.add_parser(sub, [common])
    diagnose_cmd.add_parser(sub, [common])
    log_cmd.add_parser(sub, [common])
    return parser


_WINDOW_OPTIONS = ("scenario", "speed", "screenshot", "after")


def _check_window_options(args: argparse.Namespace) -> None:
    """Window options given before a non-window command would be ignored silently: say so instead."""
    if args.run in (window_cmd.run_console, window_cmd.run_properties):
        return
    given = [f"--{name}" for name in _WINDOW_OPTIONS if getattr(args, f"win_{name}", None) is not None]
    if args.run is log_cmd.run:
        given = [g for g in given if g != "--screenshot"]
    if given:
        raise UsageError(f"{given[0]} only applies to the console window or 'properties SITE', not to this command")


def _check_config_dir(ctx: CliContext) -> None:
    for folder in (ctx.paths.config_dir, ctx.paths.log_dir):
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"--config-dir: {folder} exists but is not a folder")


def main(argv: list[str]) -> int | GuiLaunch:
    """Run a command and return its exit status, or, for a windowed command, the checked ``GuiLaunch``."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help/--version exit 0; errors were already printed as one line
        return flushed(int(exc.code or 0))
    except BrokenPipeError:  # --help/--version written straight into a closed pipe (unbuffered stdout)
        return flushed(0, broken=True)
    ctx: CliContext | None = None
    launch: list[GuiLaunch] = []

    def command() -> int:
        nonlocal ctx
        ctx = CliContext(AppPaths.resolve(getattr(args, "config_dir", None)))
        _check_config_dir(ctx)
        _check_window_options(args)
        outcome = args.run(args, ctx)
        if isinstance(outcome, GuiLaunch):
            launch.append(outcome)
            return 0
        return int(outcome)

    status = guarded(lambda: ctx, command)
    return launch[0] if launch and status == 0 else status
