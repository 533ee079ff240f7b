"""Diagnosis rules: what a sender log shows went wrong, each finding citing the KB article that explains it.

Why rules over a timeline and not over single lines: every case here is a sequence (a heartbeat expiry, then a
sharing violation for the same request on another thread). The rules keep a little state per thread: the send
request it works on (named by its own lines, or by the ``Found send request`` its creator logged just before
``Created sending thread``), its retries, and its last failure. Thread ids belong to one timeline; give each
timeline its own ``Diagnoser``.

Rules (message wording of research §4.2; explanations in our own words):
- Q278357 (DESIGN.md §4): ``Heartbeat is expired.`` then ``Can't re-establish the connection.`` on a thread,
  then later ``Cannot create/open the remote file \\\\S\\SMS_SITE\\R.PCK, Win32 error = 32.`` for that thread's
  request (any request when the thread never named one): one finding per request, at the heartbeat line.
- Q235753: ``Error during WNetAddConnection2 to \\\\\\\\S\\SMS_SITE (67).``: the address names its server with
  leading backslashes; one finding per server.
- Q235753 (busy for an hour): ``Cannot connect to server \\\\S at remote site X, won't try ... for an hour``;
  Q276259: ``Site X added to list of busy sites ...``; one finding per site, with the count.
- Q214485 (retries exhausted): a thread that retried (``Operation is retryable.``) and then failed again without
  another retry before giving up; one finding per request, at the failure that was not retried. A retryable line
  followed at once by Q235753's busy-site line was not a retry (the connect was given up: the KB's own log).
- Q212937 (never finished): a request that was found or opened and that no thread completed by the log's end.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from console.logs.formats import LogRecord
from console.logs.win32 import describe_win32_error


@dataclass(frozen=True)
class Finding:
    """One finding, in the JSON shape of DESIGN.md §4 (``to_json``)."""

    kb: str
    title: str
    file: str
    line: int
    time: str | None
    thread: int | None
    request: str | None
    server: str | None
    text: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


_FOUND = re.compile(r"Found send request\.\s+ID:\s*([^\s,~]+),\s*Dest Site:\s*([^\s,~]+)")
_CREATED = re.compile(r"Created sending thread \(Thread ID = (\d{1,10})\)")
_REMOTE = re.compile(r"\\\\+([^\\\s]+)\\SMS_SITE\\([^\\\s.\]]+)\.[A-Za-z]{3}\b", re.IGNORECASE)
_ERR32 = re.compile(
    r"Cannot create/open the remote file \\\\+([^\\\s]+)\\SMS_SITE\\([^\\\s]+?)\.PCK, Win32 error = 32\b", re.IGNORECASE
)
_DOUBLED = re.compile(r"WNetAddConnection2 to \\\\\\\\([^\\\s]+)(?:\\[^\s(]*)?\s*\((\d{1,10})\)")
_BUSY_HOUR = re.compile(
    r"Cannot connect to server \\\\+([^\s,\\]+) at remote site ([^\s,]+), won't try send requests .*for an hour"
)
_BUSY_SITE = re.compile(r"Site ([^\s,]+) added to list of busy sites")
_CODE = re.compile(r"(?:Win32 error = |\()(\d{1,10})\)?\.?$")
_FAILURES = (
    "Error during WNetAddConnection2",
    "Could not establish connection",
    "Attempt to connect failed",
    "Cannot write to the remote file",
    "Cannot create/open the remote file",
)
_GIVE_UPS = ("No need to disconnect", "Restart time =")  # and the "won't try send requests" line
_BLOCK_LINES = ("Attempt to write ", "Wrote ")


@dataclass
class _Thread:
    request: str | None = None
    """Named by the thread's own lines (a ``\\\\S\\SMS_SITE\\R.PCK`` path or ``Found send request``)."""
    given: str | None = None
    """The request its creator found just before creating it."""
    server: str | None = None
    expired: LogRecord | None = None
    retries: int = 0
    failure: LogRecord | None = None
    retried: LogRecord | None = None
    """The failure the last ``Operation is retryable.`` was about, until another line shows a retry happened."""

    @property
    def effective(self) -> str | None:
        return self.request or self.given


@dataclass
class _Stranded:
    request: str | None
    heartbeat: LogRecord


@dataclass
class _Request:
    first: LogRecord
    dest: str | None = None
    server: str | None = None
    last: LogRecord | None = None
    done: bool = False
    tries: int = 0


@dataclass
class _Counted:
    finding_args: dict[str, object]
    count: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def _clean(text: str) -> str:
    return text.strip(" \t~")


class Diagnoser:
    """Feed the records of one timeline in order; ``findings()`` at the end."""

    def __init__(self) -> None:
        self._threads: dict[int | None, _Thread] = {}
        self._stranded: list[_Stranded] = []
        self._found: list[Finding] = []
        self._reported_q278357: set[str] = set()
        self._doubled: set[str] = set()
        self._busy: dict[tuple[str, str], _Counted] = {}
        self._exhausted: dict[str, _Counted] = {}
        self._requests: dict[str, _Request] = {}
        self._files: dict[str, int] = {}  # file -> reading order, to sort findings of a .lo_ before its .log

    def _thread(self, tid: int | None) -> _Thread:
        th = self._threads.get(tid)
        if th is None:
            th = self._threads[tid] = _Thread()
        return th

    def feed(self, record: LogRecord) -> None:
        if record.file not in self._files:
            self._files[record.file] = len(self._files)
        text = _clean(record.text)
        if not text:
            return
        th = self._thread(record.thread)
        if text.startswith(_BLOCK_LINES) and th.request is not None:
            return  # most of a Sender.log: one pair per block written, nothing for the rules
        self._track_request(record, text, th)
        if text.startswith("Heartbeat is expired"):
            th.expired = record
            th.failure = None
        elif text.startswith("Can't re-establish the connection") and th.expired is not None:
            self._stranded.append(_Stranded(th.request, th.expired))
            th.expired = None
        elif text.startswith("Operation is retryable"):
            th.retries += 1
            th.retried = th.failure
            th.failure = None
        elif text.startswith(_FAILURES):
            if th.failure is None:
                th.failure = record
            self._check_err32(record, text)
            self._check_doubled(record, text, th)
        elif text.startswith("Sending completed successfully"):
            req = self._requests.get(th.effective or "")
            if req is not None:
                req.done = True
        if "won't try send requests" in text and th.retried is not None and th.failure is None:
            # KB Q235753: "Operation is retryable." then at once the busy-site line: that failed connect was given
            # up, not retried; the failure before it is the one that ended the thread.
            th.retries -= 1
            th.failure = th.retried
        if not text.startswith("Operation is retryable"):
            th.retried = None
        if "won't try send requests" in text or text.startswith(_GIVE_UPS):
            self._check_busy(record, text, th)
            self._check_exhausted(th)
        elif "added to list of busy sites" in text:
            self._check_busy(record, text, th)

    def _track_request(self, record: LogRecord, text: str, th: _Thread) -> None:
        # Substring tests first: a regex search on every line would cost more than everything else here.
        m = _CREATED.search(text) if "Created sending thread" in text else None
        if m is not None:
            found = th.request if th.request in self._requests else None
            self._threads[int(m.group(1))] = _Thread(given=found)
            return
        m = _FOUND.search(text) if "Found send request" in text else None
        if m is not None:
            rid, dest = m.groups()
            th.request = rid
            self._request(rid, record).dest = dest
            return
        m = _REMOTE.search(text) if "SMS_SITE" in text or "sms_site" in text else None
        if m is not None:
            server, rid = m.groups()
            th.request, th.server = rid, server
            if text.startswith("Attempt to create/open"):  # a try: the request was started
                self._request(rid, record).tries += 1
            req = self._requests.get(rid)
            if req is not None:
                req.server, req.last = server, record

    def _request(self, rid: str, record: LogRecord) -> _Request:
        req = self._requests.get(rid)
        if req is None:
            req = self._requests[rid] = _Request(record)
        req.last = record
        return req

    def _check_err32(self, record: LogRecord, text: str) -> None:
        m = _ERR32.search(text)
        if m is None:
            return
        server, rid = m.groups()
        if rid in self._reported_q278357:
            return
        # A thread whose request is known strands that one; one that never named it strands the next one seen.
        match = next((s for s in self._stranded if s.request == rid), None)
        if match is None:
            match = next((s for s in self._stranded if s.request is None), None)
            if match is None:
                return
            self._stranded.remove(match)
        self._reported_q278357.add(rid)
        hb = match.heartbeat
        self._found.append(
            Finding(
                kb="Q278357",
                title="Package stranded after the sender heartbeat expired",
                file=hb.file,
                line=hb.line,
                time=hb.stamp or None,
                thread=hb.thread,
                request=rid,
                server=server,
                text=(
                    f"Thread {_tid(hb.thread)} slept past the 5-minute sender heartbeat, gave up without its "
                    f"remaining retries and left \\\\{server}\\SMS_SITE\\{rid}.PCK open; a later thread could "
                    f"not open that file (Win32 error 32, sharing violation, {_where(record, hb.file)}). The package "
                    "is not sent until the server lets go of the file. Sites before SMS 2.0 SP4 need a Delay before "
                    "retrying of 5 minutes or less; SP4 fixes it."
                ),
            )
        )

    def _check_doubled(self, record: LogRecord, text: str, th: _Thread) -> None:
        m = _DOUBLED.search(text)
        if m is None or m.group(1).lower() in self._doubled:
            return
        server, code = m.group(1), int(m.group(2))
        self._doubled.add(server.lower())
        self._found.append(
            Finding(
                kb="Q235753",
                title="Address server name entered with leading backslashes",
                file=record.file,
                line=record.line,
                time=record.stamp or None,
                thread=record.thread,
                request=th.effective,
                server=server,
                text=(
                    f"The sender connected to \\\\\\\\{server}: the address already starts its server name with "
                    f"\\\\ and the sender adds its own, so the share cannot be found ({describe_win32_error(code)}). "
                    "Type the server name in the address without backslashes (fixed in SMS 2.0 SP1)."
                ),
            )
        )

    def _check_busy(self, record: LogRecord, text: str, th: _Thread) -> None:
        m = _BUSY_HOUR.search(text)
        if m is not None:
            server, site = m.groups()
            kb, title = "Q235753", "Destination skipped as busy for an hour"
            why = (
                f"The sender could not connect to \\\\{server} at site {site} and will not try send requests "
                f"for {site} for an hour (or until none are active)"
            )
        else:
            m = _BUSY_SITE.search(text)
            if m is None:
                return
            server, site = None, m.group(1)
            kb, title = "Q276259", "Destination skipped as busy: no available address"
            why = f"Site {site} was put on the busy list because no address to it could be used"
        key = (kb, site)
        if key in self._busy:
            self._busy[key].count += 1
            return
        self._busy[key] = _Counted(
            dict(
                kb=kb,
                title=title,
                file=record.file,
                line=record.line,
                time=record.stamp or None,
                thread=record.thread,
                request=th.effective,
                server=server,
            ),
            extra={"why": why},
        )

    def _check_exhausted(self, th: _Thread) -> None:
        failure = th.failure
        if failure is None or th.retries < 1:
            return
        th.failure = None
        key = th.effective or f"thread {_tid(failure.thread)}"
        if key in self._exhausted:
            self._exhausted[key].count += 1
            return
        m = _CODE.search(_clean(failure.text))
        code = f" ({describe_win32_error(int(m.group(1)))})" if m else ""
        self._exhausted[key] = _Counted(
            dict(
                kb="Q214485",
                title="Retries exhausted",
                file=failure.file,
                line=failure.line,
                time=failure.stamp or None,
                thread=failure.thread,
                request=th.effective,
                server=th.server,
            ),
            extra={"retries": str(th.retries), "code": code},
        )

    def findings(self) -> list[Finding]:
        """All findings, in the order of their decisive lines."""
        out = list(self._found)
        for c in self._busy.values():
            times = "once" if c.count == 1 else f"{c.count} times"
            out.append(
                Finding(**c.finding_args, text=f"{c.extra['why']}; logged {times}. Check the link and the server.")
            )  # type: ignore[arg-type]
        for c in self._exhausted.values():
            times = "" if c.count == 1 else f" This happened {c.count} times."
            out.append(
                Finding(
                    **c.finding_args,  # type: ignore[arg-type]
                    text=(
                        f"The sending thread used its {c.extra['retries']} retr"
                        f"{'y' if c.extra['retries'] == '1' else 'ies'} and failed once more{c.extra['code']}; "
                        f"it gave up and the request goes back to wait for its next try.{times}"
                    ),
                )
            )
        for rid, req in self._requests.items():
            if req.done:
                continue
            last = req.last or req.first
            dest = f" to site {req.dest}" if req.dest else ""
            out.append(
                Finding(
                    kb="Q212937",
                    title="Send request never finished",
                    file=req.first.file,
                    line=req.first.line,
                    time=req.first.stamp or None,
                    thread=req.first.thread,
                    request=rid,
                    server=req.server,
                    text=(
                        f"Send request {rid}{dest} appears from line {req.first.line} on but no thread completed "
                        f"it by the end of the log (last mentioned at {_where(last, req.first.file)}). The scheduler "
                        "keeps retrying a failing request for seven days, then gives up."
                    ),
                )
            )
        out.sort(key=lambda f: (self._files.get(f.file, 0), f.line))
        return out


def _where(record: LogRecord, base_file: str) -> str:
    """``line 48``, or ``Sender.log line 48`` when the record is in another file than the finding."""
    if record.file == base_file:
        return f"line {record.line}"
    return f"{Path(record.file).name} line {record.line}"


def _tid(thread: int | None) -> str:
    return "?" if thread is None else str(thread)


def diagnose_records(records: list[LogRecord] | tuple[LogRecord, ...]) -> list[Finding]:
    """The findings of one timeline's records (tests and small logs; ``Diagnoser`` for streams)."""
    d = Diagnoser()
    for r in records:
        d.feed(r)
    return d.findings()
