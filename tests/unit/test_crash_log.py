"""The crash log writer (console.model.crash_log): what a bug report needs, one file per crash, never raising."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from console import __version__
from console.model.crash_log import crash_logs, format_exception_text, write_crash_log
from console.model.paths import AppPaths

WHEN = dt.datetime(2001, 3, 14, 9, 30, 5)


def _traceback() -> str:
    try:
        {}["missing"]
    except KeyError as exc:
        return format_exception_text(type(exc), exc, exc.__traceback__)
    raise AssertionError("unreachable")


def test_the_file_holds_the_traceback_versions_and_command_line(tmp_path: Path) -> None:
    text = _traceback()
    path = write_crash_log(
        tmp_path, text, where="thread x", when=WHEN, argv=["sender-console", "--speed", "60"], versions={"qt": "6.10.1"}
    )
    assert path == tmp_path / "crash-20010314-093005.log"
    body = path.read_text(encoding="utf-8")
    assert text.strip() in body and "KeyError: 'missing'" in body and "Traceback (most recent call last)" in body
    assert f"sender-console: {__version__}" in body
    assert f"python: {sys.version_info.major}.{sys.version_info.minor}" in body
    assert "qt: 6.10.1" in body and "where: thread x" in body
    assert "command line: sender-console --speed 60" in body


def test_two_crashes_in_one_second_get_two_files(tmp_path: Path) -> None:
    first = write_crash_log(tmp_path, "one", when=WHEN)
    second = write_crash_log(tmp_path, "two", when=WHEN)
    assert first is not None and second is not None and first != second
    assert second.name == "crash-20010314-093005-2.log"
    assert "one" in first.read_text() and "two" in second.read_text()
    assert crash_logs(tmp_path) == [first, second]


def test_an_unwritable_folder_gives_none_and_never_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert write_crash_log(blocker / "logs", "text") is None
    assert crash_logs(blocker / "logs") == []


def test_text_that_is_not_valid_unicode_is_still_written(tmp_path: Path) -> None:
    path = write_crash_log(tmp_path, "bad \udcff surrogate", when=WHEN, argv=["x\udc80"])
    assert path is not None and "surrogate" in path.read_text(encoding="utf-8")


def test_crash_logs_go_under_the_config_dir_when_given(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    path = write_crash_log(paths.log_dir, "text", when=WHEN)
    assert path is not None and path.parent == tmp_path / "cfg" / "logs"
