"""subscribe(listener, kinds=...): only the kinds asked for are built; lazily formatted lines equal the sink's."""

from __future__ import annotations

import pytest

from console.engine.events import (
    GUI_KINDS,
    LogEvent,
    RequestEvent,
    SiteEvent,
    ThreadEvent,
    TimerEvent,
    TimerKind,
)
from console.engine.log_format import parse_line
from console.engine.sender import PlannedFault


def test_kinds_filter_what_a_listener_gets(make_engine) -> None:
    engine, everything = make_engine(faults=(PlannedFault(120.0, "LAB", "network", 30.0),))
    logs: list[object] = []
    retry: list[object] = []
    gui: list[object] = []
    engine.subscribe(logs.append, kinds=[LogEvent])
    engine.subscribe(retry.append, kinds=[TimerKind.RETRY_WAIT, SiteEvent])
    engine.subscribe(gui.append, kinds=GUI_KINDS)
    engine.advance_to(1200.0)
    assert logs == everything.logs
    assert retry == [
        e
        for e in everything.events
        if isinstance(e, SiteEvent) or (isinstance(e, TimerEvent) and e.kind is TimerKind.RETRY_WAIT)
    ]
    assert {e.action.value for e in retry if isinstance(e, TimerEvent)} == {"set", "fired"}
    assert gui == [e for e in everything.events if not (isinstance(e, TimerEvent) and e.kind is TimerKind.TRANSFER)]
    assert any(isinstance(e, TimerEvent) and e.kind is TimerKind.TRANSFER for e in everything.events)


def test_timer_event_class_means_every_timer(make_engine) -> None:
    engine, everything = make_engine()
    timers: list[object] = []
    engine.subscribe(timers.append, kinds=(TimerEvent,))
    engine.advance_to(100.0)
    assert timers == everything.timers and timers


@pytest.mark.parametrize("bad", ["LogEvent", int, 3])
def test_unknown_kinds_are_refused(make_engine, bad: object) -> None:
    engine, _rec = make_engine(record=False)
    with pytest.raises(TypeError, match=r"unknown event kind .*use TimerEvent, ThreadEvent, RequestEvent"):
        engine.subscribe(print, kinds=[bad])  # type: ignore[list-item]
    assert engine._listeners == []


def test_lazy_line_equals_the_sink_line(make_engine) -> None:
    engine, rec = make_engine()
    engine.advance_to(30.0)  # no sink yet: lines are formatted when read
    lazy = [e.line for e in rec.logs]
    assert all(e.formatted is None for e in rec.logs)
    assert [parse_line(x).text for x in lazy] == [e.text for e in rec.logs]
    assert {e.zone for e in rec.logs} == {"Eastern Standard Time"}
    sink: list[str] = []
    engine.reset()
    rec.events.clear()
    engine.set_log_sink(sink.append)
    engine.advance_to(30.0)
    assert sink == lazy == [e.line for e in rec.logs]
    assert all(e.formatted is not None for e in rec.logs)
    assert LogEvent(5.0, 200, "text", "given").line == "given"  # built by hand, as view tests do
    with pytest.raises(ValueError, match="neither a formatted line nor a clock"):
        _ = LogEvent(5.0, 200, "text").line


def test_a_listener_may_unsubscribe_while_an_event_is_delivered(make_engine) -> None:
    engine, rec = make_engine()
    seen: list[object] = []
    unsubscribe = None

    def once(event: object) -> None:
        seen.append(event)
        unsubscribe()

    unsubscribe = engine.subscribe(once, kinds=[ThreadEvent, RequestEvent])
    engine.advance_to(60.0)
    assert len(seen) == 1 and rec.events  # the other listener kept receiving


def test_events_are_immutable(make_engine) -> None:
    _engine, rec = make_engine()
    _engine.advance_to(10.0)
    event = rec.events[0]
    with pytest.raises(AttributeError):
        event.time = 3.0  # type: ignore[misc]
