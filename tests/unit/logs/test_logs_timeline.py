"""``.log`` with its ``.lo_`` as one timeline, merging by time, and a follower that survives rotation."""

from __future__ import annotations

import os

from logtest_helpers import sms2, write_lines

from console.engine.sender_log import SenderLogFile
from console.logs.reader import records_from_bytes
from console.logs.timeline import LogFollower, group_timelines, merge_by_time, read_timeline, timeline_files


def test_timeline_files_pairs_log_and_lo_either_way(tmp_path) -> None:
    log = write_lines(tmp_path / "Sender.log", ["new"])
    assert timeline_files(log) == [log]
    rolled = write_lines(tmp_path / "Sender.lo_", ["old"])
    assert timeline_files(log) == [rolled, log]
    assert timeline_files(rolled) == [rolled, log]
    other = write_lines(tmp_path / "notes.txt", ["x"])
    assert timeline_files(other) == [other]


def test_timeline_files_keeps_upper_case_names(tmp_path) -> None:
    log = write_lines(tmp_path / "SENDER.LOG", ["new"])
    rolled = write_lines(tmp_path / "SENDER.LO_", ["old"])
    assert timeline_files(log) == [rolled, log]
    assert timeline_files(rolled) == [rolled, log]


def test_group_timelines_reads_a_pair_once(tmp_path) -> None:
    log = write_lines(tmp_path / "Sender.log", ["new"])
    rolled = write_lines(tmp_path / "Sender.lo_", ["old"])
    other = write_lines(tmp_path / "Other.log", ["x"])
    assert group_timelines([log, rolled, other, log]) == [[rolled, log], [other]]


def test_rolled_over_sender_log_reads_as_one_timeline(tmp_path) -> None:
    path = tmp_path / "Sender.log"
    texts = [f"Wrote 1024 bytes to \\\\LABSRV\\SMS_SITE\\2_001PRI.PCK at position {i * 1024}" for i in range(40)]
    with SenderLogFile(path, max_bytes=2048) as log:
        for i, text in enumerate(texts):
            log.write_line(sms2(text, minutes=i))
        assert log.rollovers >= 2  # the oldest lines are gone, as in the product (one generation)
    records = list(read_timeline(timeline_files(path)))
    got = [r.text for r in records]
    assert got == texts[len(texts) - len(got) :]  # the newest lines, in order, with no gap at the seam
    assert records[0].file.endswith("Sender.lo_") and records[-1].file.endswith("Sender.log")


def test_merge_by_time_uses_the_zone_but_keeps_times_as_written() -> None:
    east = records_from_bytes(
        "\n".join(sms2(f"east {m}", minutes=m, zone="Eastern Standard Time") for m in (0, 60, 120)).encode(), "e.log"
    )
    # 10:30 Pacific is 13:30 Eastern: after "east 120" (12:00 Eastern).
    west = records_from_bytes(sms2("west", minutes=30, zone="Pacific Standard Time").encode(), "w.log")
    merged = list(merge_by_time([east, west]))
    assert [r.text for r in merged] == ["east 0", "east 60", "east 120", "west"]
    assert merged[-1].stamp == "Thu Nov 16 10:30:00.000 2000 Pacific Standard Time"


def test_merge_by_time_keeps_untimed_lines_after_their_predecessor() -> None:
    a = records_from_bytes(f"{sms2('a0', minutes=0)}\nno time here\n{sms2('a2', minutes=20)}\n".encode(), "a.log")
    b = records_from_bytes(f"{sms2('b1', minutes=10)}\n".encode(), "b.log")
    assert [r.text for r in merge_by_time([a, b])] == ["a0", "no time here", "b1", "a2"]


def test_merge_by_time_with_a_ccm_bias() -> None:
    ccm = (
        '<![LOG[ccm]LOG]!><time="07:30:00.000+480" date="11-16-2000" component="C" context="" type="1" '
        'thread="1" file="">'
    )
    a = records_from_bytes(sms2("eastern 10:00").encode(), "a.log")  # 15:00 UTC
    b = records_from_bytes(ccm.encode(), "b.log")  # 15:30 UTC
    c = records_from_bytes(sms2("eastern 10:45", minutes=45).encode(), "c.log")  # 15:45 UTC
    assert [r.text for r in merge_by_time([c, b, a])] == ["eastern 10:00", "ccm", "eastern 10:45"]


def _append(path, text: str) -> None:
    with open(path, "ab") as f:
        f.write(text.encode())


def test_follower_reads_growth_and_waits_for_a_whole_line(tmp_path) -> None:
    path = tmp_path / "Sender.log"
    with LogFollower(path) as follower:
        assert follower.poll() == []  # not there yet
        _append(path, sms2("one") + "\r\n" + "a line still being wr")
        assert [r.text for r in follower.poll()] == ["one"]
        assert follower.poll() == []
        _append(path, "itten\r\n")
        (record,) = follower.poll()
        assert (record.text, record.line) == ("a line still being written", 2)
        assert follower.restarts == 0


def test_follower_survives_rotation_without_losing_the_old_tail(tmp_path) -> None:
    path = tmp_path / "Sender.log"
    follower = LogFollower(path)
    _append(path, "a1\r\n")
    assert [r.text for r in follower.poll()] == ["a1"]
    _append(path, "a2\r\n")  # written just before the rollover, not yet polled
    os.replace(path, tmp_path / "Sender.lo_")
    assert [r.text for r in follower.poll()] == ["a2"]  # the old file's tail; the new one is not there yet
    _append(path, "b1\r\n")
    records = follower.poll()
    assert [(r.text, r.line) for r in records] == [("b1", 1)]
    assert follower.restarts == 1
    _append(path, "b2\r\n")
    os.replace(path, tmp_path / "Sender.lo_")
    _append(path, "c1\r\n")
    assert [r.text for r in follower.poll()] == ["b2", "c1"]
    assert follower.restarts == 2
    follower.close()


def test_follower_notices_truncation(tmp_path) -> None:
    path = tmp_path / "Sender.log"
    follower = LogFollower(path)
    _append(path, "first line\r\nsecond line\r\n")
    assert len(follower.poll()) == 2
    with open(path, "wb") as f:
        f.write(b"new\r\n")
    assert [(r.text, r.line) for r in follower.poll()] == [("new", 1)]
    assert follower.restarts == 1
    follower.close()


def test_follower_notices_a_file_rewritten_in_place_past_its_old_size(tmp_path) -> None:
    path = tmp_path / "Sender.log"
    follower = LogFollower(path)
    _append(path, "old\r\n")
    assert [r.text for r in follower.poll()] == ["old"]
    with open(path, "r+b") as f:  # same inode, new content, longer than before
        f.write(b"NEW\r\nand more\r\n")
    assert [r.text for r in follower.poll()] == ["NEW", "and more"]
    assert follower.restarts == 1
    follower.close()


def test_follower_close_gives_out_a_last_line_without_a_break(tmp_path) -> None:
    path = tmp_path / "Sender.log"
    follower = LogFollower(path)
    _append(path, "done\r\nhalf")
    assert [r.text for r in follower.poll()] == ["done"]
    assert [r.text for r in follower.close()] == ["half"]
    assert follower.close() == []
