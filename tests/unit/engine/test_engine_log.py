"""Sender.log: every line the engine writes parses back; 1 MB rollover to one Sender.lo_ generation."""

from __future__ import annotations

from pathlib import Path

import pytest

from console.engine.log_format import LINE_RE, parse_line
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender_log import MAX_LOG_BYTES, SenderLogFile
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario

SCENARIOS = sorted(p.name for p in resource_path("scenarios").glob("*.toml") if p.name != "busy-hierarchy.toml")


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_line_parses_back(name: str, tmp_path: Path) -> None:
    scenario = load_scenario(resource_path("scenarios", name))
    lines: list[str] = []
    other_sites: dict[str, list[str]] = {}  # hops forwarded by other sites' senders go to their own logs
    engine = engine_from_scenario(
        scenario, lines.append, lambda site, line: other_sites.setdefault(site, []).append(line)
    )
    engine.run()
    assert len(lines) + sum(map(len, other_sites.values())) == engine.lines_written
    assert len(lines) > 20
    for other in other_sites.values():
        assert [parse_line(x).when for x in other] == sorted(parse_line(x).when for x in other)
    previous = None
    for line in lines:
        assert LINE_RE.match(line), line
        parsed = parse_line(line)
        assert parsed is not None, line
        assert parsed.component == "SMS_LAN_SENDER"
        assert parsed.zone == "Eastern Standard Time"
        assert parsed.thread_id == 188 or parsed.thread_id >= 200
        assert previous is None or parsed.when >= previous  # the log is in time order
        previous = parsed.when
    assert parse_line(lines[0]).when == scenario.start


def test_log_lines_reach_listeners_and_the_sink_alike(make_engine) -> None:
    engine, rec = make_engine()
    sink: list[str] = []
    engine.set_log_sink(sink.append)
    engine.advance_to(60.0)
    assert sink == [e.line for e in rec.logs]
    assert all(parse_line(line).text == e.text for line, e in zip(sink, rec.logs, strict=True))


def test_nothing_is_formatted_without_a_sink_or_listener(make_engine) -> None:
    engine, _rec = make_engine(record=False)
    engine.advance_to(3600.0)
    assert engine.lines_written == 0
    assert engine.requests()[0].delivered_at is not None


def test_rollover_at_one_megabyte_keeps_one_generation(tmp_path: Path) -> None:
    path = tmp_path / "Sender.log"
    line = "x" * 98  # 100 bytes with CRLF
    with SenderLogFile(path) as log:
        assert log.rolled_path == tmp_path / "Sender.lo_"
        per_file = MAX_LOG_BYTES // 100
        for _ in range(per_file):
            log.write_line(line)
        log.write_line("z" * (MAX_LOG_BYTES - per_file * 100 - 2))  # exactly 1 MB: still fits
        log.flush()
        assert path.stat().st_size == MAX_LOG_BYTES
        assert not log.rolled_path.exists()
        log.write_line("first of the second file")
        assert log.rollovers == 1
        assert log.rolled_path.stat().st_size == MAX_LOG_BYTES
        for _ in range(per_file):
            log.write_line("y" * 98)
        assert log.rollovers == 1
        log.write_line("first of the third file" + "!" * 100)
        assert log.rollovers == 2
    rolled = log.rolled_path.read_bytes()
    assert rolled.startswith(b"first of the second file\r\n")  # the older generation was replaced
    assert b"x" not in rolled
    assert path.read_bytes() == b"first of the third file" + b"!" * 100 + b"\r\n"


def test_log_file_appends_to_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "Sender.log"
    with SenderLogFile(path, max_bytes=4096) as log:
        log.write_line("one")
    with SenderLogFile(path, max_bytes=4096) as log:
        log.write_line("two")
    assert path.read_bytes() == b"one\r\ntwo\r\n"
    with pytest.raises(ValueError, match="max_bytes"):
        SenderLogFile(path, max_bytes=10)


def test_busy_log_rolls_over_with_engine_lines(tmp_path: Path) -> None:
    scenario = load_scenario(resource_path("scenarios", "q278357-sp3.toml"))
    path = tmp_path / "Sender.log"
    with SenderLogFile(path, max_bytes=8192) as log:
        engine = engine_from_scenario(scenario, log.write_line)
        engine.run()
    assert log.rollovers >= 2
    for f in (path, log.rolled_path):
        text = f.read_bytes().decode("utf-8")
        assert f.stat().st_size <= 8192
        assert all(parse_line(x) for x in text.split("\r\n") if x)
