"""What ``sender-console diagnose`` reports: counts by format and severity, and the findings (DESIGN.md §4).

Kept apart from the command so the log viewer's diagnosis banner can build the same report without argparse.
Counting streams (nothing is kept but the findings' state), so a 100 MB log costs time, not memory.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from console.logs.classify import Severity
from console.logs.diagnosis import Diagnoser, Finding
from console.logs.formats import FORMATS, UNPARSED
from console.logs.reader import iter_record_blocks
from console.logs.timeline import group_timelines


@dataclass
class Report:
    files: list[str] = field(default_factory=list)
    records: int = 0
    formats: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*FORMATS, UNPARSED), 0))
    errors: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """Exactly the JSON object of DESIGN.md §4."""
        return {
            "files": list(self.files),
            "records": self.records,
            "formats": dict(self.formats),
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.to_json() for f in self.findings],
        }


def diagnose_paths(paths: Iterable[str | os.PathLike[str]]) -> Report:
    """Read every named file (each ``.log`` with its ``.lo_``) and diagnose each timeline.

    Raises ``OSError`` when a file cannot be opened or read; the caller words it.
    """
    report = Report()
    formats = report.formats
    for group in group_timelines(paths):
        diagnoser = Diagnoser()
        for path in group:
            name = str(path)
            report.files.append(name)
            for block in iter_record_blocks(path, name=name):
                report.records += len(block)
                for r in block:
                    formats[r.fmt] += 1
                    if r.severity is Severity.ERROR:
                        report.errors += 1
                    elif r.severity is Severity.WARNING:
                        report.warnings += 1
                    diagnoser.feed(r)
        report.findings += diagnoser.findings()
    return report


def format_text(report: Report) -> str:
    """The readable report: findings first, then the counts."""
    out: list[str] = []
    n = len(report.findings)
    out.append(f"{n} finding{'' if n == 1 else 's'}" + (":" if n else "."))
    for f in report.findings:
        out.append("")
        out.append(f"{f.kb}  {f.title}")
        where = [f"{f.file}:{f.line}"]
        if f.time:
            where.append(f.time)
        if f.thread is not None:
            where.append(f"thread {f.thread} (0x{f.thread:X})")
        if f.request:
            where.append(f"request {f.request}")
        if f.server:
            where.append(f"server {f.server}")
        out.append("  " + ", ".join(where))
        out.append("  " + f.text)
    out.append("")
    nfiles = len(report.files)
    out.append(f"{report.records:,} records in {nfiles} file{'' if nfiles == 1 else 's'}: " + _formats(report))
    out.append(f"{report.errors:,} errors, {report.warnings:,} warnings")
    for name in report.files:
        out.append(f"  {name}")
    return "\n".join(out) + "\n"


def _formats(report: Report) -> str:
    parts = [f"{name} {count:,}" for name, count in report.formats.items() if count]
    return ", ".join(parts) if parts else "none"
