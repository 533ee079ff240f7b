"""The five formats of research §9, recognised per line, times as written with the bias kept for merging."""

from __future__ import annotations

import datetime as dt

import pytest
from logtest_helpers import sms2

from console.logs.classify import Severity
from console.logs.reader import records_from_bytes
from console.logs.zones import zone_bias


def one(line: str):
    (record,) = records_from_bytes((line + "\r\n").encode("utf-8"), "x.log")
    return record


def test_sms2_server_line_from_the_engine_format() -> None:
    r = one(sms2("Heartbeat is expired.", thread=205, minutes=23.75))
    assert r.fmt == "sms2"
    assert (r.text, r.component, r.thread) == ("Heartbeat is expired.", "SMS_LAN_SENDER", 205)
    assert r.when == dt.datetime(2000, 11, 16, 10, 23, 45)
    assert r.stamp == "Thu Nov 16 10:23:45.000 2000 Eastern Standard Time"
    assert r.bias == 300
    assert r.utc == dt.datetime(2000, 11, 16, 15, 23, 45)
    assert r.severity is Severity.ERROR
    assert (r.file, r.line, r.last_line) == ("x.log", 1, 1)


def test_sms2_kb_sample_line_verbatim() -> None:
    line = (
        r"Processing file: D:\SMS\inboxes\sinv.box\7U74Z2GZ.sid  $$<SMS_SOFTWARE_INVENTORY_PROCESSOR>"
        "<Fri Dec 10 01:12:40.304 1999 Pacific Standard Time><thread=322 (0x142)>"
    )
    r = one(line)
    assert (r.fmt, r.component, r.thread, r.bias) == ("sms2", "SMS_SOFTWARE_INVENTORY_PROCESSOR", 322, 480)
    assert r.text == r"Processing file: D:\SMS\inboxes\sinv.box\7U74Z2GZ.sid"


def test_sms2_client_line_has_no_zone() -> None:
    r = one("Policy evaluation done  $$<APM><Tue May 16 13:17:10.804 2000><thread=1512 (0x5E8)>")
    assert (r.fmt, r.component, r.thread) == ("sms2", "APM", 1512)
    assert r.when == dt.datetime(2000, 5, 16, 13, 17, 10, 804000)
    assert r.stamp == "Tue May 16 13:17:10.804 2000"
    assert r.bias is None and r.utc == r.when


def test_sms2_lenient_when_the_strict_parser_refuses() -> None:
    # One space before $$ and a weekday that does not match the date: the engine's parser says no, we still read it.
    r = one("Odd spacing $$<SMS_LAN_SENDER><Mon Nov 16 10:23:45.120 2000 Eastern Daylight Time><thread=205 (0xCD)>")
    assert (r.fmt, r.text, r.thread, r.bias) == ("sms2", "Odd spacing", 205, 240)


def test_sms1_line_kb_q225533() -> None:
    line = (
        "SQL>>>select * from MachineDataTable where dwMachineID = 18585~   "
        "$$<SMS_INVENTORY_DATA_LOADER><Wed Mar 31 05:39:12 1999~><thread=A4>"
    )
    r = one(line)
    assert r.fmt == "sms1"
    assert r.text == "SQL>>>select * from MachineDataTable where dwMachineID = 18585~"
    assert (r.component, r.thread, r.bias) == ("SMS_INVENTORY_DATA_LOADER", 0xA4, None)
    assert r.when == dt.datetime(1999, 3, 31, 5, 39, 12)
    assert r.stamp == "Wed Mar 31 05:39:12 1999"


def test_sms1_trailer_on_its_own_line_kb_q159201() -> None:
    data = (
        "Size mismatch in RoutingInfo record.  Got 0, expected 544.~\r\n"
        "$$<SMS_SCHEDULER><Wed Nov 06 08:49:37 1996~><thread=D7>\r\n"
        "Size mismatch in RoutingInfo record.  Got 0, expected 544.~\r\n"
        "$$<SMS_SCHEDULER><Wed Nov 06 08:49:37 1996~><thread=D7>\r\n"
    ).encode("ascii")
    records = records_from_bytes(data)
    assert [(r.fmt, r.line, r.last_line, r.thread) for r in records] == [("sms1", 1, 2, 0xD7), ("sms1", 3, 4, 0xD7)]
    assert records[0].text == "Size mismatch in RoutingInfo record.  Got 0, expected 544.~"


def test_a_tilde_line_without_a_trailer_after_it_stays_a_line_of_its_own() -> None:
    records = records_from_bytes(b"ends with a tilde~\r\nplain\r\n")
    assert [(r.fmt, r.text, r.line) for r in records] == [
        ("unparsed", "ends with a tilde~", 1),
        ("unparsed", "plain", 2),
    ]


def test_configmgr_server_line() -> None:
    line = "Collection evaluation done.$$<SMS_COLLECTION_EVALUATOR><11-30-2022 01:03:34.174-60><thread=4844 (0x12EC)>"
    r = one(line)
    assert (r.fmt, r.text, r.component, r.thread) == (
        "cm-server",
        "Collection evaluation done.",
        "SMS_COLLECTION_EVALUATOR",
        4844,
    )
    assert r.when == dt.datetime(2022, 11, 30, 1, 3, 34, 174000)
    assert (r.stamp, r.bias) == ("11-30-2022 01:03:34.174-60", -60)
    assert r.utc == dt.datetime(2022, 11, 30, 0, 3, 34, 174000)


@pytest.mark.parametrize(("kind", "severity"), [("1", Severity.NORMAL), ("2", Severity.WARNING), ("3", Severity.ERROR)])
def test_ccm_line_severity_by_type(kind: str, severity: Severity) -> None:
    line = (
        '<![LOG[Failed to do it (Error: 80070057)]LOG]!><time="16:53:52.712+480" date="02-20-2024" '
        f'component="TSManager" context="" type="{kind}" thread="4" file="y.cpp:12">'
    )
    r = one(line)
    assert (r.fmt, r.text, r.component, r.thread, r.severity) == (
        "ccm",
        "Failed to do it (Error: 80070057)",
        "TSManager",
        4,
        severity,
    )
    assert r.when == dt.datetime(2024, 2, 20, 16, 53, 52, 712000)
    assert (r.stamp, r.bias) == ("02-20-2024 16:53:52.712+480", 480)


def test_ccm_attributes_in_another_order_and_without_file() -> None:
    r = one('<![LOG[hello]LOG]!><time="01:02:03.004-60" type="2" date="1-2-2023" thread="77" component="C">')
    assert (r.fmt, r.text, r.component, r.thread, r.severity, r.bias) == (
        "ccm",
        "hello",
        "C",
        77,
        Severity.WARNING,
        -60,
    )
    assert r.when == dt.datetime(2023, 1, 2, 1, 2, 3, 4000)


def test_a_line_in_no_format_is_kept_whole() -> None:
    r = one("just some text with an error in it")
    assert (r.fmt, r.text, r.when, r.thread, r.stamp) == (
        "unparsed",
        "just some text with an error in it",
        None,
        None,
        "",
    )
    assert r.severity is Severity.ERROR  # CMTrace's word search for formats without a type


def test_a_trailer_with_a_date_in_no_known_form_is_unparsed() -> None:
    line = "text  $$<SMS_LAN_SENDER><yesterday at noon><thread=1 (0x1)>"
    r = one(line)
    assert (r.fmt, r.text) == ("unparsed", line)


@pytest.mark.parametrize(
    ("zone", "bias"),
    [
        ("Eastern Standard Time", 300),
        ("Eastern Daylight Time", 240),
        ("Pacific Daylight Time", 420),
        ("GMT Standard Time", 0),
        ("GMT Daylight Time", -60),
        ("W. Europe Standard Time", -60),
        ("Tokyo Standard Time", -540),
        ("Atlantis Standard Time", None),
        ("", None),
    ],
)
def test_zone_bias(zone: str, bias: int | None) -> None:
    assert zone_bias(zone) == bias
