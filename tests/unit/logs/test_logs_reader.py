"""Decoding never fails and never drops a line; CCM messages spanning lines are one record."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st
from logtest_helpers import sms2

from console.logs import reader
from console.logs.reader import LineDecoder, RecordParser, read_records, records_from_bytes

CCM_TAIL = '<time="10:19:13.567+240" date="10-18-2019" component="C" context="" type="{t}" thread="12" file="f.cpp:1">'


def ccm(text: str, kind: int = 1) -> str:
    return f"<![LOG[{text}]LOG]!>" + CCM_TAIL.format(t=kind)


def texts(data: bytes) -> list[str]:
    return [r.text for r in records_from_bytes(data)]


def test_utf8_bom_and_crlf() -> None:
    data = codecs.BOM_UTF8 + (sms2("one") + "\r\n" + sms2("two") + "\r\n").encode()
    records = records_from_bytes(data)
    assert [(r.fmt, r.text, r.line) for r in records] == [("sms2", "one", 1), ("sms2", "two", 2)]


def test_utf16le_with_and_without_bom() -> None:
    body = (ccm("héllo") + "\r\n" + sms2("Heartbeat is expired.") + "\r\n").encode("utf-16-le")
    for data in (codecs.BOM_UTF16_LE + body, body):
        records = records_from_bytes(data)
        assert [(r.fmt, r.text) for r in records] == [("ccm", "héllo"), ("sms2", "Heartbeat is expired.")]


def test_utf16be_with_bom() -> None:
    data = codecs.BOM_UTF16_BE + "a line\nanother\n".encode("utf-16-be")
    assert texts(data) == ["a line", "another"]


def test_cp1252_bytes_and_invalid_utf8_become_text() -> None:
    data = b"caf\xe9 au lait\n\x81\x8d\x8f\x90\x9d\nok \xc3\xa9\n"
    assert texts(data) == ["café au lait", "\ufffd\ufffd\ufffd\ufffd\ufffd", "ok é"]


def test_nul_padding_is_removed_but_the_line_stays() -> None:
    data = (sms2("written") + "\r\n").encode() + b"\x00" * 300 + b"\r\nafter\r\n"
    records = records_from_bytes(data)
    assert [(r.fmt, r.text, r.line) for r in records] == [
        ("sms2", "written", 1),
        ("unparsed", "", 2),
        ("unparsed", "after", 3),
    ]


def test_a_last_line_without_a_line_break_is_read() -> None:
    assert texts(b"first\r\nsecond") == ["first", "second"]
    assert texts(b"") == []
    assert texts(b"\n\n") == ["", ""]


def test_a_lone_cr_stays_inside_its_line() -> None:
    assert texts(b"a\rb\r\nc\n") == ["a\rb", "c"]


def test_overlong_line_is_cut_into_pieces_that_keep_its_number(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_LINE", 100)
    data = b"short\n" + "é".encode() * 130 + b"\nlast\n"
    decoder = LineDecoder()
    lines = []
    for i in range(0, len(data), 7):
        lines += decoder.feed(data[i : i + 7])
    lines += decoder.finish()
    assert lines[0][0] == 1 and lines[-1] == (3, "last")
    pieces = [t for n, t in lines if n == 2]
    assert len(pieces) >= 3
    assert "".join(pieces) == "é" * 130  # no UTF-8 sequence was split


def test_multiline_ccm_message_is_one_record() -> None:
    data = ("<![LOG[first part\r\nsecond part\r\nthird]LOG]!>" + CCM_TAIL.format(t=3) + "\r\n" + ccm("next")).encode()
    records = records_from_bytes(data, "smsts.log")
    assert [(r.fmt, r.line, r.last_line) for r in records] == [("ccm", 1, 3), ("ccm", 4, 4)]
    assert records[0].text == "first part\nsecond part\nthird"
    assert records[0].severity.name == "ERROR"


def test_an_unclosed_ccm_message_gives_back_its_lines() -> None:
    data = ("<![LOG[never closed\r\nmore\r\n" + ccm("the next one") + "\r\n<![LOG[cut off at the end\r\n").encode()
    records = records_from_bytes(data)
    assert [(r.fmt, r.text, r.line) for r in records] == [
        ("unparsed", "<![LOG[never closed", 1),
        ("unparsed", "more", 2),
        ("ccm", "the next one", 3),
        ("unparsed", "<![LOG[cut off at the end", 4),
    ]


def test_an_unclosed_ccm_message_is_given_back_after_max_record_lines(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_RECORD_LINES", 5)
    data = ("<![LOG[open\n" + "x\n" * 10 + ccm("closed") + "\n").encode()
    records = records_from_bytes(data)
    assert len(records) == 12
    assert [r.line for r in records] == list(range(1, 13))
    assert records[-1].fmt == "ccm"


def test_a_ccm_trailer_without_its_opening_is_still_a_record() -> None:
    # Two processes writing one file lose the start of a line (seen in the real smsts.log).
    (r,) = records_from_bytes(("ding file range 0-455847]LOG]!>" + CCM_TAIL.format(t=2)).encode())
    assert (r.fmt, r.text, r.severity.name) == ("ccm", "ding file range 0-455847", "WARNING")


def test_read_records_from_a_file_in_small_chunks(tmp_path, monkeypatch) -> None:
    path = tmp_path / "Sender.log"
    lines = [sms2(f"line {i}", minutes=i) for i in range(200)]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    monkeypatch.setattr(reader, "CHUNK_BYTES", 333)
    records = list(read_records(path))
    assert [r.text for r in records] == [f"line {i}" for i in range(200)]
    assert [r.line for r in records] == list(range(1, 201))
    assert {r.file for r in records} == {str(path)}


def _feed_in_pieces(data: bytes, cuts: list[int]) -> list:
    decoder, parser = LineDecoder(), RecordParser("f")
    out = []
    start = 0
    for cut in [*sorted(set(cuts)), len(data)]:
        out += parser.feed(decoder.feed(data[start:cut]))
        start = max(start, cut)
    return out + parser.feed(decoder.finish()) + parser.finish()


def _covered(records) -> list[int]:
    lines: list[int] = []
    for r in records:
        lines += range(r.line, r.last_line + 1)
    return sorted(set(lines))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000), st.lists(st.integers(min_value=0, max_value=3000), max_size=8))
def test_fuzz_random_bytes_never_raise_and_never_drop_lines(data: bytes, cuts: list[int]) -> None:
    decoder = LineDecoder()
    records = RecordParser("f").feed(decoder.feed(data) + decoder.finish())
    assert all(isinstance(r.text, str) for r in records)
    whole = records_from_bytes(data, "f")
    pieces = _feed_in_pieces(data, [c for c in cuts if c <= len(data)])
    assert pieces == whole  # how the bytes arrive (a follower's polls) does not change what is read
    if decoder.encoding == "8-bit":
        # A last unterminated piece of nothing but NULs (a log padded after a crash) is not a line.
        tail = data.rsplit(b"\n", 1)[-1]
        expected = data.count(b"\n") + (1 if tail.strip(b"\x00") else 0)
        assert decoder.lines_done == expected
    assert _covered(whole) == list(range(1, decoder.lines_done + 1))
    assert [r.line for r in whole] == sorted(r.line for r in whole)


_GARBAGE = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
_LINE = st.one_of(
    _GARBAGE,
    st.builds(lambda t: sms2(t.replace("\n", " ").strip() or "x"), _GARBAGE),
    st.builds(lambda t: ccm(t.replace("]LOG]!>", "")), st.text(max_size=100)),
    st.just("<![LOG[opened"),
    st.just("Size mismatch.~"),
    st.just("$$<SMS_SCHEDULER><Wed Nov 06 08:49:37 1996~><thread=D7>"),
    st.text(alphabet="$<>[]!LOG~=\"' ", max_size=60),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, max_size=40), st.sampled_from(["\n", "\r\n"]), st.integers(min_value=1, max_value=5000))
def test_fuzz_mixed_lines_keep_every_line(lines: list[str], newline: str, long_repeat: int) -> None:
    lines = [line.replace("\n", " ") for line in [*lines, "z" * long_repeat]]
    data = newline.join(lines).encode("utf-8")
    records = records_from_bytes(data, "f")
    assert _covered(records) == list(range(1, len(lines) + 1))
    for r in records:
        if r.fmt == "unparsed":
            written = lines[r.line - 1]
            assert r.text == (written if newline == "\r\n" else written.removesuffix("\r"))


def test_a_huge_line_without_breaks_is_read_in_pieces_of_one_line(monkeypatch) -> None:
    monkeypatch.setattr(reader, "MAX_LINE", 1000)
    data = bytes(b for b in range(256) if b != 10) * 50
    records = records_from_bytes(data)
    assert len(records) > 10
    assert {(r.line, r.last_line) for r in records} == {(1, 1)}
