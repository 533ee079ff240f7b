"""Opening log files: big files load while the event loop runs, .lo_ files, bad files, encodings, own window."""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest
from log_samples import filler_lines, story_lines
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QProgressBar

from console.logs import block_reader as log_file_reader
from console.logs.block_reader import (
    MAX_LINE,
    LogFileError,
    decode_lines,
    looks_binary,
    read_log_blocks,
    read_log_chunks,
)
from console.logs.classify import Severity
from console.ui.log import log_file_loader
from console.ui.log.log_model import SEVERITY_ROLE
from console.ui.log.log_view import FILE_MAX_LINES, LogFileWindow, SenderLogView

LOAD_TIMEOUT_MS = 60_000


def write_log(path: Path, lines: list[str], newline: str = "\n", encoding: str = "utf-8") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


@pytest.fixture
def file_view(qtbot) -> SenderLogView:
    v = SenderLogView(live=False)
    qtbot.addWidget(v)
    v.resize(1000, 400)
    v.show()
    return v


def load(qtbot, view: SenderLogView, path: Path) -> None:
    view.load_file(path)
    qtbot.waitUntil(lambda: not view.is_loading(), timeout=LOAD_TIMEOUT_MS)


def texts(view: SenderLogView) -> list[str]:
    m = view.model()
    return [m.index(r, 0).data() for r in range(m.rowCount())]


# --- the reader, without Qt ------------------------------------------------------------------------------


def test_blocks_never_split_a_line(tmp_path: Path) -> None:
    lines = story_lines() * 40
    path = write_log(tmp_path / "Sender.log", lines, newline="\r\n")
    blocks = list(read_log_blocks(path, chunk_bytes=777))  # an odd size, so most reads end mid-line
    assert len(blocks) > 10
    assert [line.rstrip("\r") for b in blocks for line in b.lines] == lines
    assert blocks[-1].bytes_done == blocks[-1].bytes_total == path.stat().st_size
    done = [b.bytes_done for b in blocks]
    assert done == sorted(done)


def test_last_line_without_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "Sender.log"
    path.write_text("first\nsecond", encoding="utf-8")
    assert [r.text for c in read_log_chunks(path, chunk_bytes=3) for r in c.rows] == ["first", "second"]


def test_empty_file_reads_as_no_lines(tmp_path: Path) -> None:
    path = tmp_path / "Sender.log"
    path.write_bytes(b"")
    chunks = list(read_log_chunks(path))
    assert sum(len(c.rows) for c in chunks) == 0


def test_a_line_without_breaks_is_cut_not_hoarded(tmp_path: Path) -> None:
    path = tmp_path / "Sender.log"
    path.write_bytes(b"x" * (MAX_LINE * 3) + b"\nend\n")
    lines = [line for b in read_log_blocks(path, chunk_bytes=MAX_LINE // 2) for line in b.lines]
    assert lines[-1] == "end"
    assert all(len(line) <= MAX_LINE * 2 for line in lines)
    assert sum(len(line) for line in lines[:-1]) == MAX_LINE * 3


def test_decode_utf8_and_cp1252_line_by_line() -> None:
    data = "Sent to Müller’s site\n".encode() + "Paket für Zürich – 5 €\n".encode("cp1252") + b"bad \x81 byte\n"
    assert decode_lines(data) == ["Sent to Müller’s site", "Paket für Zürich – 5 €", "bad \ufffd byte"]


def test_looks_binary() -> None:
    assert looks_binary(bytes(range(256)) * 4)
    assert looks_binary(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00")
    assert not looks_binary(b"Heartbeat is expired.  $$<SMS_LAN_SENDER>\r\n\tindented\f" * 10)
    assert not looks_binary(b"")


def test_missing_and_binary_files_raise_readable_errors(tmp_path: Path) -> None:
    with pytest.raises(LogFileError, match=r"Cannot open .*nope\.log: the file does not exist\."):
        list(read_log_chunks(tmp_path / "nope.log"))
    with pytest.raises(LogFileError, match="it is a folder"):
        list(read_log_chunks(tmp_path))
    (tmp_path / "tool.exe").write_bytes(os.urandom(4096))
    with pytest.raises(LogFileError, match=r"tool\.exe does not look like a log file"):
        list(read_log_chunks(tmp_path / "tool.exe"))


def test_unreadable_file_names_the_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Faked: these tests may run as root, who reads any file whatever its mode.
    def denied(*_a: object, **_k: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(log_file_reader, "open", denied, raising=False)
    with pytest.raises(LogFileError, match=r"Cannot open .*Sender\.log: permission denied\."):
        list(read_log_chunks(tmp_path / "Sender.log"))


def test_a_read_error_midway_says_how_far_it_got(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_log(tmp_path / "Sender.log", story_lines() * 20)
    real_open = open

    class FlakyShare(io.BufferedReader):
        reads = 0

        def read(self, size: int = -1) -> bytes:
            FlakyShare.reads += 1
            if FlakyShare.reads > 2:
                raise OSError(64, "The specified network name is no longer available")
            return super().read(size)

    monkeypatch.setattr(
        log_file_reader, "open", lambda p, mode: FlakyShare(real_open(p, mode, buffering=0)), raising=False
    )
    got: list[str] = []
    # 8 KB read to sniff the start, then one 1,000-byte block; the next read fails.
    with pytest.raises(LogFileError, match=r"Reading Sender\.log stopped after 9,192 bytes: The specified network"):
        for block in read_log_blocks(path, chunk_bytes=1000):
            got += block.lines
    assert got and all(line in story_lines() for line in got)


def test_utf16_with_bom_and_utf8_bom(tmp_path: Path) -> None:
    lines = story_lines()[:5]
    p16 = tmp_path / "a.log"
    p16.write_bytes(codecs.BOM_UTF16_LE + ("\r\n".join(lines) + "\r\n").encode("utf-16-le"))
    assert [r.text for c in read_log_chunks(p16, chunk_bytes=101) for r in c.rows] == [
        r.split("  $$")[0] for r in lines
    ]
    p8 = tmp_path / "b.log"
    p8.write_bytes(codecs.BOM_UTF8 + ("\n".join(lines)).encode())
    rows = [r for c in read_log_chunks(p8) for r in c.rows]
    assert rows[0].parsed and rows[0].text == lines[0].split("  $$")[0]


def test_nul_padding_after_a_crash_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "Sender.log"
    path.write_bytes(("\n".join(story_lines()) + "\n").encode() + b"\x00" * 64 + b"Heartbeat is expired.\n")
    rows = [r for c in read_log_chunks(path) for r in c.rows]
    assert rows[-1].text == "Heartbeat is expired." and rows[-1].severity is Severity.ERROR


# --- the view ---------------------------------------------------------------------------------------------


def test_twenty_megabytes_load_while_the_event_loop_keeps_running(
    qtbot, tmp_path: Path, file_view: SenderLogView
) -> None:
    block = story_lines() + filler_lines(500)
    lines = block * 240
    path = write_log(tmp_path / "Sender.log", lines)
    assert path.stat().st_size > 20_000_000

    events: list[str] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: events.append("tick"))
    file_view.model().rowsInserted.connect(lambda *_: events.append("rows"))
    progress_seen: list[bool] = []
    bar = file_view.findChild(QProgressBar, "loadProgress")
    ticker.timeout.connect(lambda: progress_seen.append(not bar.isHidden()))
    ticker.start()
    with qtbot.waitSignal(file_view.fileLoaded, timeout=LOAD_TIMEOUT_MS) as loaded:
        file_view.load_file(path)
        assert file_view.is_loading()
    ticker.stop()

    assert loaded.args[1] == len(lines)
    assert file_view.line_count() == len(lines)
    first, last = events.index("rows"), len(events) - 1 - events[::-1].index("rows")
    # The timer kept firing between the first and the last batch of rows: the window never froze for the load.
    assert events[first:last].count("tick") >= 5
    assert any(progress_seen)
    assert bar.isHidden()
    m = file_view.model()
    assert m.index(15, 0).data() == "Heartbeat is expired."
    assert m.index(15, 0).data(SEVERITY_ROLE) == Severity.ERROR
    assert file_view.message() == ""


def test_a_lo_file_opens_like_a_log(qtbot, tmp_path: Path, file_view: SenderLogView) -> None:
    path = write_log(tmp_path / "Sender.lo_", story_lines(), newline="\r\n")
    load(qtbot, file_view, path)
    assert texts(file_view) == [line.split("  $$")[0] for line in story_lines()]
    assert file_view.model().index(0, 3).data() == "205 (0xCD)"


def test_missing_file_gives_a_message_and_keeps_what_was_shown(qtbot, tmp_path: Path, file_view: SenderLogView) -> None:
    load(qtbot, file_view, write_log(tmp_path / "Sender.log", story_lines()))
    with qtbot.waitSignal(file_view.fileFailed, timeout=LOAD_TIMEOUT_MS) as failed:
        file_view.load_file(tmp_path / "gone" / "Sender.log")
    assert failed.args[1] == f"Cannot open {tmp_path / 'gone' / 'Sender.log'}: the file does not exist."
    assert file_view.message() == failed.args[1]
    assert file_view.line_count() == len(story_lines())


def test_binary_file_gives_a_message_and_keeps_what_was_shown(qtbot, tmp_path: Path, file_view: SenderLogView) -> None:
    load(qtbot, file_view, write_log(tmp_path / "Sender.log", story_lines()))
    junk = tmp_path / "smsexec.exe"
    junk.write_bytes(b"MZ" + bytes(range(256)) * 200)
    load(qtbot, file_view, junk)
    assert "smsexec.exe does not look like a log file" in file_view.message()
    assert file_view.line_count() == len(story_lines())


def test_cp1252_bytes_decode(qtbot, tmp_path: Path, file_view: SenderLogView) -> None:
    path = tmp_path / "Sender.log"
    path.write_bytes("Package für Zürich – 10 €\r\n".encode("cp1252") + "naïve UTF-8 line\r\n".encode())
    load(qtbot, file_view, path)
    assert texts(file_view) == ["Package für Zürich – 10 €", "naïve UTF-8 line"]


def test_empty_file_loads_as_empty(qtbot, tmp_path: Path, file_view: SenderLogView) -> None:
    file_view.load_file(write_log(tmp_path / "x.log", story_lines()))
    qtbot.waitUntil(lambda: not file_view.is_loading(), timeout=LOAD_TIMEOUT_MS)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    with qtbot.waitSignal(file_view.fileLoaded) as loaded:
        file_view.load_file(empty)
    assert loaded.args[1] == 0 and file_view.line_count() == 0 and file_view.message() == ""


def test_open_file_uses_its_own_window_and_leaves_the_live_view_alone(qtbot, tmp_path: Path) -> None:
    live = SenderLogView()
    qtbot.addWidget(live)
    live.append_lines(story_lines()[:3])
    path = write_log(tmp_path / "Sender.lo_", story_lines())
    window = live.open_file(path)
    qtbot.addWidget(window)
    assert isinstance(window, LogFileWindow) and window.objectName() == "LogFileWindow"
    assert window.windowTitle() == f"Sender.lo_ — {tmp_path}"
    assert window.isVisible() and live.file_windows() == [window]
    assert window.view.model().max_lines == FILE_MAX_LINES > live.model().max_lines  # a file keeps far more
    qtbot.waitUntil(lambda: window.view.line_count() == len(story_lines()), timeout=LOAD_TIMEOUT_MS)
    assert live.line_count() == 3
    assert window.view.pause_button().isHidden()
    live.append_lines(story_lines()[3:5])
    assert window.view.line_count() == len(story_lines()) and live.line_count() == 5


def test_closing_a_window_mid_load_stops_the_reader(qtbot, tmp_path: Path) -> None:
    path = write_log(tmp_path / "Sender.log", filler_lines(60_000))
    live = SenderLogView()
    qtbot.addWidget(live)
    window = live.open_file(path)
    qtbot.waitUntil(lambda: window.view.line_count() > 0, timeout=LOAD_TIMEOUT_MS)
    loader = window.view._loader
    assert loader is not None and loader.running
    window.close()
    assert not loader.running
    assert not loader._thread.is_alive()
    qtbot.waitUntil(lambda: live.file_windows() == [])


def test_failure_after_some_lines_keeps_them_and_says_so(
    qtbot, tmp_path: Path, file_view: SenderLogView, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_log(tmp_path / "Sender.log", story_lines())

    def half_then_fail(p: Path, **kw: object):
        blocks = read_log_blocks(p, **kw)
        yield next(blocks)
        raise LogFileError("Reading Sender.log stopped after 4,096 bytes: network gone.")

    monkeypatch.setattr(log_file_loader, "read_log_blocks", half_then_fail)
    with qtbot.waitSignal(file_view.fileFailed, timeout=LOAD_TIMEOUT_MS) as failed:
        file_view.load_file(path)
    assert failed.args[1] == (
        f"Reading Sender.log stopped after 4,096 bytes: network gone. "
        f"The {len(story_lines())} lines read before that are shown."
    )
    assert file_view.line_count() == len(story_lines())
    assert file_view.message() == failed.args[1]
