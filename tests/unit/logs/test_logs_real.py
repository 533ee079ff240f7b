"""Two real ConfigMgr client logs (CCM format, BOM, CRLF, multi-line messages; see shared/reallogs/SOURCES.md).

Read from beside the checkout, never copied into the repository. The expected numbers were counted independently:
records are ``]LOG]!><time=`` trailers (five lines of the larger log lost their ``<![LOG[`` to interleaved
writes and are records all the same), errors and warnings are ``type="3"`` and ``type="2"``.
"""

from __future__ import annotations

from collections import Counter

import pytest
from logtest_helpers import REAL_LOGS
from real_logs import needs_real_logs

from console.logs.classify import Severity
from console.logs.reader import read_records
from console.logs.report import diagnose_paths

pytestmark = needs_real_logs

SMALL = REAL_LOGS / "github-maxmoonACR-MDTLOGFiles-smsts.log"
LARGE = REAL_LOGS / "github-ErnestoLeon87-log_reader-smsts.log"

# file, records, errors, warnings, multi-line records, physical lines
EXPECTED = [(SMALL, 894, 7, 21, 7, 901), (LARGE, 5944, 19, 34, 22, 6083)]


@pytest.mark.parametrize(("path", "records", "errors", "warnings", "multiline", "lines"), EXPECTED)
def test_real_log_counts(path, records: int, errors: int, warnings: int, multiline: int, lines: int) -> None:
    got = list(read_records(path))
    assert len(got) == records
    assert Counter(r.fmt for r in got) == {"ccm": records}
    severities = Counter(r.severity for r in got)
    assert (severities[Severity.ERROR], severities[Severity.WARNING]) == (errors, warnings)
    assert sum(1 for r in got if r.last_line > r.line) == multiline
    assert got[-1].last_line == lines
    assert all(r.when is not None and r.bias is not None and r.thread is not None for r in got)
    # Every physical line belongs to exactly one record.
    covered = [n for r in got for n in range(r.line, r.last_line + 1)]
    assert covered == list(range(1, lines + 1))


def test_real_log_first_record_and_a_multiline_message() -> None:
    got = list(read_records(SMALL))
    first = got[0]
    assert (first.text, first.component, first.thread) == (
        "Used smsts.ini to set logging settings.",
        "TSMBootstrap",
        636,
    )
    assert (first.stamp, first.bias) == ("02-07-2024 16:53:52.712+480", 480)
    multi = next(r for r in got if r.last_line > r.line)
    assert "\n" in multi.text and "]LOG]!>" not in multi.text and not multi.text.startswith("<![LOG[")


def test_real_logs_report_counts() -> None:
    report = diagnose_paths([SMALL, LARGE])
    assert report.files == [str(SMALL), str(LARGE)]
    assert report.records == 894 + 5944
    assert report.formats == {"sms2": 0, "sms1": 0, "cm-server": 0, "ccm": 894 + 5944, "unparsed": 0}
    assert (report.errors, report.warnings) == (7 + 19, 21 + 34)
    assert report.findings == []
