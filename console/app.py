"""GUI start-up: the QApplication, the site session, and the window the command line asked for.

Called by ``console/__main__.py`` with the ``GuiLaunch`` the command line returned once the arguments were
known to be good, so a typo on the command line never pays for importing Qt. Order matters here:

1. The Qt platform is chosen *before* the QApplication exists (it cannot change afterwards). On a
   Linux box with neither ``DISPLAY`` nor ``WAYLAND_DISPLAY`` and no ``QT_QPA_PLATFORM``, Qt aborts
   with a misleading xcb message (research/baseline.md §2); a ``--screenshot`` run needs no screen,
   so it falls back to ``offscreen``. Anything the user set is left alone.
2. The site database is opened; a notice (a bad file moved aside) goes to stderr at once.
3. An unknown site is refused with one line on stderr and exit 2, before any window appears.
4. The notice is shown in a warning box, except in ``--screenshot`` runs, which must never block.
5. The window opens; with ``--screenshot`` it is laid out, painted, grabbed and saved, and we exit 0.

Ctrl+C in the terminal (SIGINT) ends an interactive run cleanly: the handler asks the application to quit,
which closes its windows as the window manager would (the console saves its layout, the live engine closes
Sender.log), and the process exits with status 130 (128 + SIGINT, what a shell reports for an interrupted
command, so ``sender-console && next`` does not go on as if the user had closed the window). Python runs a
signal handler only when the interpreter gets control, and Qt's event loop is C++: a small idle timer
(``SIGNAL_POLL_MS``) hands control to Python a few times a second, in both the console window and the
sheet-only mode. A second Ctrl+C ends the event loop even if a window refused to close. The previous
handler is restored when the run ends (tests run ``run_gui`` in-process). ``--screenshot`` runs keep Python's
default (they never enter the event loop and end by themselves).

Start-up: an interactive console window paints first and gets its live engine (bridge, engine tabs, toolbars) on
the event-loop pass after its first paint; code a first paint never needs is imported on first use
(tests/ui/test_startup_imports.py holds these boundaries; figures in docs/design-notes.md). Automatic garbage
collection is off from the entry point until the window is complete (``console.ui.common.gc_pacing``), and
pyqtgraph's copy of Qt's names is made on first use (``console.ui.common.qt_mirror``).

Uncaught exceptions (``CrashHooks``): for the whole GUI run ``sys.excepthook`` (what a slot or event handler raises
inside the event loop: PySide6 hands it there and the loop goes on) and ``threading.excepthook`` (a worker thread)
write a crash log under the log folder (``console.model.crash_log``; under ``--config-dir`` when given), print the
traceback to stderr as Python would, and show a box naming the log, opened without blocking. A worker's error is
relayed to the GUI thread for its box. ``--screenshot`` runs only print. Never swallowed, never a silent exit; the
previous hooks come back when the run ends (tests run ``run_gui`` in-process).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    Signal,
    qInstallMessageHandler,
)
from PySide6.QtWidgets import QApplication, QWidget

from console import APP_ID, APP_NAME, __version__
from console.cli.context import CliContext
from console.cli.errors import EXIT_USAGE, PROG, UsageError
from console.cli.window_cmd import WindowRequest
from console.model.crash_log import format_exception_text
from console.model.site_session import SiteSession
from console.ui.common import feature_check, qt_mirror
from console.ui.common.crash_notice import ErrorBoxes, write_gui_crash_log
from console.ui.common.first_paint import after_next_paint
from console.ui.common.gc_pacing import PACER, paced_collection
from console.ui.common.icons import app_icon
from console.ui.common.notice_box import load_notice_box

if TYPE_CHECKING:
    from console.ui.sheet.properties_sheet import SenderPropertiesDialog

ORGANIZATION = "Sender Console"
ORGANIZATION_DOMAIN = "senderconsole.org"
PAINT_ROUNDS = 3
"""Event-loop passes before a screenshot: show -> polish/layout -> paint. No wall-clock waiting."""
EXIT_INTERRUPTED = 128 + signal.SIGINT
"""Exit status after Ctrl+C: see the module docstring."""
SIGNAL_POLL_MS = 200
"""How often the event loop lets Python run a pending signal handler (Ctrl+C answers within this)."""
SCREENSHOT_SIZE = (1280, 860)
"""Smallest console-window size for --screenshot (no saved layout yet would cut the timer view off)."""


def choose_platform(
    screenshot: bool, environ: os._Environ[str] | dict[str, str] | None = None, platform: str = sys.platform
) -> str | None:
    """Set ``QT_QPA_PLATFORM=offscreen`` for a head-less screenshot run; return what was set (or None).

    Only on X11/Wayland systems (Windows and macOS have no DISPLAY and need none), only when nothing is
    set, and only for ``--screenshot``: an interactive run on a head-less box should fail loudly in Qt
    rather than open an invisible window.
    """
    env = os.environ if environ is None else environ
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    if not screenshot:
        return None
    env["QT_QPA_PLATFORM"] = "offscreen"
    return "offscreen"


def _application() -> QApplication:
    """The process's QApplication (tests already have one; reuse it rather than make a second)."""
    feature_check.install()  # before the window's modules are imported
    qt_mirror.install()  # before pyqtgraph is imported (the live console's Timers tab)
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0] if sys.argv else PROG])
    assert isinstance(app, QApplication)
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setApplicationVersion(__version__)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setDesktopFileName(APP_ID)
    icon = app_icon()
    if not icon.isNull():
        app.setWindowIcon(icon)
    return app


def _open_properties(session: SiteSession, request: WindowRequest) -> SenderPropertiesDialog:
    from console.ui.sheet.properties_sheet import SenderPropertiesDialog

    assert request.site is not None
    dialog = SenderPropertiesDialog(session, request.site, request.sender_type)
    dialog.show_advanced()  # the command exists for the Advanced tab; the General tab is one click away
    return dialog


def _open_log_viewer(request: WindowRequest) -> QWidget:
    """``sender-console log FILE...``: the viewer alone, no site database; a screenshot waits for the load."""
    from console.ui.log.viewer_window import LogViewerWindow

    window = LogViewerWindow()
    window.open_paths(request.files)
    if request.screenshot is not None:
        window.wait_loaded()
    return window


def _open_console_window(session: SiteSession, request: WindowRequest, ctx: CliContext) -> QWidget:
    """The console window with the live engine (``console.ui.window.live_console``).

    ``--scenario`` is read and validated *before* the window is built: a bad file raises ``UsageError`` (one
    line on stderr naming file, key and rule, exit 2) and no window ever appears. Without it the engine runs
    the central site's Standard Sender over the site database, with demo traffic, at 60x (``--speed``
    overrides; see live_console's docstring for why 60x).
    """
    from console.ui.window.main_window import ConsoleMainWindow

    window = ConsoleMainWindow(session, ctx.paths)
    if request.screenshot is not None:
        window.save_state_on_close = False  # a documentation run must not change the user's layout
        # Without a saved layout the window opens at its small default size, which cuts the timer view off.
        window.resize(max(window.width(), SCREENSHOT_SIZE[0]), max(window.height(), SCREENSHOT_SIZE[1]))

    def attach() -> None:
        from console.ui.window.live_console import attach_live_engine

        try:
            window.live_console = attach_live_engine(  # type: ignore[attr-defined]
                window,
                session,
                ctx.paths,
                scenario=request.scenario,
                speed=request.speed,
                defer_hidden_views=request.screenshot is None,
            )
        finally:
            PACER.end_start_up()  # collection back on (console.ui.common.gc_pacing): the window is complete

    if request.screenshot is not None:
        attach()
    else:
        after_first_paint(window, attach)
    return window


def after_first_paint(window: QWidget, callback: Callable[[], None]) -> QObject:
    """Run ``callback`` once the window has painted for the first time (see the module docstring)."""
    return after_next_paint(window, callback)


def _save_screenshot(app: QApplication, window: QWidget, request: WindowRequest, ctx: CliContext) -> int:
    assert request.screenshot is not None
    window.show()
    live = getattr(window, "live_console", None)
    if live is not None:
        # Exactly --after of simulated time, at full speed: pause first so the wall clock adds nothing.
        live.bridge.set_speed(0.0)
        live.bridge.run_for(request.after_s)
    for _ in range(PAINT_ROUNDS):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        layout = window.layout()
        if layout is not None:
            layout.activate()
    pixmap = window.grab()
    ok = not pixmap.isNull() and pixmap.save(str(request.screenshot), "PNG")
    window.close()
    app.processEvents()
    if not ok:
        ctx.stderr.write(f"{PROG}: error: --screenshot: could not write {request.screenshot}\n")
        return EXIT_USAGE
    return 0


QUIET_QT_MESSAGES = ("This plugin does not support propagateSizeHints()",)
"""Harmless notes Qt prints on every run of the offscreen plugin (research/baseline.md §2); they would be
the only stderr output of a good --screenshot run and read like an error there."""


@contextlib.contextmanager
def _quiet_known_qt_noise() -> Iterator[None]:
    """Drop ``QUIET_QT_MESSAGES``; pass everything else to the handler that was there (pytest-qt's, in tests)."""
    previous = None

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if message in QUIET_QT_MESSAGES:
            return
        if previous is not None:
            previous(kind, context, message)
        else:
            sys.stderr.write(message + "\n")

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)


class SigintQuit(QObject):
    """Ctrl+C -> ``app.quit()`` for the lifetime of a ``with`` block; ``interrupted`` says whether it came."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__()
        self._app = app
        self.interrupted = 0
        self._previous: object = None
        self._installed = False
        self._poll = QTimer(self)
        self._poll.setInterval(SIGNAL_POLL_MS)
        self._poll.timeout.connect(self._give_python_control)

    def _give_python_control(self) -> None:
        """Nothing to do: entering Python is what lets the interpreter run the pending handler."""

    def _on_sigint(self, _signum: int, _frame: object) -> None:
        self.interrupted += 1
        if self.interrupted == 1:
            self._app.quit()  # closes the windows (each may save its state); ends exec() when they are closed
        else:
            self._app.exit(EXIT_INTERRUPTED)  # asked twice: end the event loop whatever the windows say

    def __enter__(self) -> SigintQuit:
        try:
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        except ValueError:  # not the main thread: signals cannot be handled here, leave them alone
            return self
        self._installed = True
        self._poll.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._poll.stop()
        if self._installed:
            # None: the previous handler was not set from Python; the default is the closest thing to it.
            previous = self._previous if self._previous is not None else signal.SIG_DFL
            signal.signal(signal.SIGINT, previous)  # type: ignore[arg-type]
            self._installed = False


class CrashHooks(QObject):
    """``sys.excepthook`` and ``threading.excepthook`` for a ``with`` block; see the module docstring."""

    _relay = Signal(str, str, str)  # (where, summary, traceback): a worker thread's error, for the GUI thread's box

    def __init__(self, log_dir: Path, *, show_box: bool = True) -> None:
        super().__init__()
        self.log_dir = log_dir
        self.show_box = show_box
        self.logs: list[Path | None] = []
        """One entry per error reported: its crash log, or None when that could not be written."""
        self.boxes = ErrorBoxes("crashBox")
        self._previous: tuple[object, object] | None = None
        self._relay.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def __enter__(self) -> CrashHooks:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous  # type: ignore[assignment]
            self._previous = None

    def _on_exception(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous is not None:
            self._previous[0](exc_type, exc, tb)  # type: ignore[operator]
            return
        self.report(exc_type, exc, tb, "main thread")

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:  # as Python's own hook: a thread that exits is not an error
            return
        name = args.thread.name if args.thread is not None else "?"
        self.report(args.exc_type, args.exc_value, args.exc_traceback, f"thread {name}")

    def report(
        self, exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None, where: str
    ) -> Path | None:
        """Crash log, stderr, then the box (on the GUI thread). Each step guarded: the first error must show."""
        text = format_exception_text(exc_type, exc, tb)
        path = write_gui_crash_log(self.log_dir, text, where)
        self.logs.append(path)
        with contextlib.suppress(Exception):  # a closed stderr (no console) must not hide the box
            note = f"crash log written to {path}" if path else f"could not write a crash log under {self.log_dir}"
            sys.stderr.write(f"{text}{PROG}: {note}\n")
            sys.stderr.flush()
        if self.show_box:
            summary = f"{exc_type.__name__}: {exc}" if str(exc) else exc_type.__name__
            self._relay.emit(where, summary, str(path or ""))
        return path

    def log_escaping(self, exc: BaseException) -> Path | None:
        """An error that leaves ``run_gui``: only the crash log and a line naming it (Python prints the traceback)."""
        path = write_gui_crash_log(self.log_dir, format_exception_text(type(exc), exc, exc.__traceback__), "start-up")
        self.logs.append(path)
        with contextlib.suppress(Exception):
            sys.stderr.write(f"{PROG}: crash log written to {path}\n" if path else "")
        return path

    def _show(self, where: str, summary: str, path: str) -> None:
        saved = f"The details are in {path}." if path else f"No crash log could be written under {self.log_dir}."
        self.boxes.show(
            None,
            f"{APP_NAME} \u2014 unexpected error",
            f"An unexpected error occurred ({where}): {summary}",
            f"The program goes on running, but what you were doing may not have finished. {saved} "
            "Please attach that file when you report the problem.",
        )


def run_gui(request: WindowRequest, ctx: CliContext) -> int:
    """Open the requested window; returns the process exit status (0, or 2 after a one-line error)."""
    screenshot = request.screenshot is not None
    choose_platform(screenshot)
    with _quiet_known_qt_noise(), paced_collection():
        return _run(request, ctx, screenshot)


def _run(request: WindowRequest, ctx: CliContext, screenshot: bool) -> int:
    app = _application()
    with CrashHooks(ctx.paths.log_dir, show_box=not screenshot) as hooks:
        try:
            return _run_hooked(app, request, ctx, screenshot)
        except (UsageError, OSError):  # the command line's one-line errors (console.cli.guard)
            raise
        except Exception as exc:
            hooks.log_escaping(exc)
            raise


def _run_hooked(app: QApplication, request: WindowRequest, ctx: CliContext, screenshot: bool) -> int:
    if screenshot:
        return _start(app, request, ctx, screenshot, None)
    with SigintQuit(app) as sigint:
        status = _start(app, request, ctx, screenshot, sigint)
        return EXIT_INTERRUPTED if sigint.interrupted else status


def _start(
    app: QApplication, request: WindowRequest, ctx: CliContext, screenshot: bool, sigint: SigintQuit | None
) -> int:
    if request.kind == "log":
        PACER.end_start_up()  # the viewer's load is paced by itself (console.ui.common.gc_pacing)
        viewer = _open_log_viewer(request)
        if screenshot:
            return _save_screenshot(app, viewer, request, ctx)
        viewer.show()
        return int(app.exec() or 0)

    session, loaded = SiteSession.open(ctx.store)
    if loaded.notice:
        ctx.stderr.write(f"{PROG}: notice: {loaded.notice}\n")

    if request.kind == "properties":
        # The command line checked this already, unless the file was unreadable then and the demo
        # hierarchy has just replaced it; so check again against what is actually loaded.
        try:
            session.database.site_with_sender(request.site or "", request.sender_type)
        except KeyError as exc:
            ctx.stderr.write(f"{PROG}: error: {exc.args[0]}\n")
            return EXIT_USAGE

    if loaded.notice and not screenshot:
        PACER.end_start_up()  # a modal box waits for the user: no reason to hold collection back meanwhile
        load_notice_box(None, loaded.notice, loaded.moved_to).exec()

    if request.kind == "properties":
        window: QWidget = _open_properties(session, request)
        PACER.end_start_up()
    else:
        window = _open_console_window(session, request, ctx)

    if screenshot:
        return _save_screenshot(app, window, request, ctx)
    if sigint is not None and sigint.interrupted:  # Ctrl+C while the window was being built
        window.close()
        return EXIT_INTERRUPTED
    if request.kind != "properties":
        window.show()
        return int(app.exec() or 0)
    # The sheet alone is the whole app: closing it ends the run, even with its help window still open.
    # exit() rather than quit(): quit() only posts a Quit event, and with Qt's own last-window-closed
    # quit also posting one, a leftover Quit would stop the next event loop of a process that goes on
    # (the test suite); exit() ends this exec() at once and leaves nothing queued.
    quit_on_last = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    window.finished.connect(lambda _result: app.exit(0))  # type: ignore[attr-defined]
    window.show()
    try:
        return int(app.exec() or 0)
    finally:
        app.setQuitOnLastWindowClosed(quit_on_last)
