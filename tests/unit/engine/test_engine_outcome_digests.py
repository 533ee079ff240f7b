"""The engine's outcomes stay what they were before its observed path was reworked for speed (issue 11).

Every bundled scenario, the benchmark workload at a small size, its routed workload and the link-sharing cliff:
the Sender.log text (every line, in order, with its time), other sites' logs, the stream of events a GUI listener
gets (``GUI_KINDS``; a ``LogEvent`` compared by time, thread, text, full line, site and zone name) and the summary
must match the digests recorded in ``outcome_digests.json`` (see ``outcome_digests.py``). The same stream must
reach a listener whether or not a log sink is attached, and the summary of an unobserved run must be the watched
run's.
"""

from __future__ import annotations

import json

import pytest
from outcome_digests import DIGESTS, Digest, canonical, measure, runs

from console.engine.events import GUI_KINDS

RECORDED = json.loads(DIGESTS.read_text())
RUNS = runs()


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_outcomes_match_the_recorded_digests(name: str) -> None:
    assert measure(RUNS[name]) == RECORDED[name]


@pytest.mark.parametrize("name", ["bench-40x5x8", "routed-3x3x2x6", "cliff-300-lockstep", "q278357-sp3"])
def test_the_stream_and_summary_do_not_depend_on_who_watches(name: str) -> None:
    stream = Digest()
    watched = RUNS[name]()
    watched.subscribe(lambda e: stream.add(canonical(e)), kinds=GUI_KINDS)
    watched.run()
    assert stream.value() == RECORDED[name]["gui_stream"]
    quiet = RUNS[name]()
    quiet.run()
    a, b = watched.summary(), quiet.summary()
    del a["events"], b["events"]
    assert a == b
