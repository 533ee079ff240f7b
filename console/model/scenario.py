"""Scenario files (DESIGN.md §4): a TOML description of a sending site, its destinations, sends and faults.

Read with the standard library's ``tomllib`` and validated into model objects; nothing in a file is ever
executed or imported. Every problem raises :class:`ScenarioError` whose message names the file, the key
(``sends[2].size_kb``, counted from 1 as people count table entries) and the rule, so the command line can
print it as its one error line.

Choices the design left open (documented so the GUI and the docs agree):
- ``start`` may be a TOML local date-time or date; a time-zone offset is refused (the SMS 2.0 log prints a
  zone *name*, never an offset). Without ``start`` the clock starts at 2001-03-14 09:00 (a weekday in the
  SP3 era).
- ``at`` of a send or fault must lie inside ``duration``; a fault ``duration`` is required for
  ``kind = "network"`` and refused for ``kind = "restart"`` (a restart is instantaneous).
- ``link_kbps`` (default 1024, range 1–1,000,000) is accepted on every site but ignored for the sending site.
- ``heartbeat_timeout_min`` (1–99) is a what-if knob; the product's constant is 5.
- ``start`` lies from 1601-01-01 (the first day a Windows clock can show) to 9998-12-31, so that a run of the
  longest length (30 days, ``--until`` included) never runs the clock past the last date Python can print.
- At most ``MAX_SENDS`` (1,679,615) ``[[sends]]``: each send request gets its own ID, and the 4-character
  sequence of an ID (console/engine/request_ids.py) holds no more; a file with more is refused before it is
  parsed in full, not after minutes and gigabytes.
- A package ID is 1 to 8 ASCII letters or digits, as the product's IDs are (``PRI00001``); it is upper-cased.
- The sites' parents must form a tree (no cycles), as the site database requires.
- ``time_zone`` (optional, default ``"Eastern"``): the US zone family whose Windows name the log prints,
  e.g. ``"Pacific"``; a full name such as ``"Pacific Standard Time"`` means the same family. Whether a line
  says "Standard" or "Daylight" follows from its date (console/engine/time_zones.py).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.model.addresses import Address
from console.model.durations import parse_duration
from console.model.scenario_addresses import AddressEntryError, parse_addresses, with_site_senders
from console.model.sender_settings import FIELD_BY_KEY, HEARTBEAT_TIMEOUT_MIN, SenderSettings, SettingError
from console.model.sites import Site, SiteDatabase
from console.model.versions import SiteVersion

DEFAULT_START = _dt.datetime(2001, 3, 14, 9, 0, 0)
DEFAULT_LINK_KBPS = 1024
MAX_LINK_KBPS = 1_000_000
MAX_SIZE_KB = 4 * 1024 * 1024  # 4 GB: far beyond any SMS 2.0 package, small enough to catch typos
MAX_DURATION_S = 30 * 86400.0
MIN_START = _dt.datetime(1601, 1, 1)
MAX_START = _dt.datetime(9998, 12, 31, 23, 59, 59)
MAX_SENDS = 36**4 - 1
"""Send request IDs have a 4-character base-36 sequence: ``console.engine.request_ids.MAX_SEQUENCE``."""
_SENDS_HEADER = re.compile(rb"^[ \t]*\[\[[ \t]*sends[ \t]*\]\]", re.MULTILINE)
PRIORITIES = {"high": 1, "medium": 2, "low": 3}
FAULT_KINDS = ("network", "restart")

_TOP_KEYS = {"name", "start", "duration", "time_zone", "sender", "sites", "sends", "faults", "addresses"}
DEFAULT_TIME_ZONE = "Eastern"
_SENDER_KEYS = {"site", "heartbeat_timeout_min", *FIELD_BY_KEY}
_SITE_KEYS = {"code", "name", "server", "version", "parent", "link_kbps", "sender"}
_SEND_KEYS = {"at", "package", "dest", "size_kb", "priority"}
_FAULT_KEYS = {"at", "dest", "kind", "duration"}


class ScenarioError(ValueError):
    """A scenario file that cannot be used; ``str()`` is one line naming the file, the key and the rule."""

    def __init__(self, source: str, key: str, rule: str) -> None:
        self.source = source
        self.key = key
        self.rule = rule
        super().__init__(f"{source}: {key}: {rule}" if key else f"{source}: {rule}")


@dataclass(frozen=True)
class SiteSpec:
    site: Site
    link_kbps: int = DEFAULT_LINK_KBPS
    sender: SenderSettings | None = None  # the site's own Standard Sender (``sender = {...}``); None = defaults


@dataclass(frozen=True, slots=True)
class SendSpec:
    at_s: float
    package: str
    dest: str
    size_bytes: int
    priority: int  # 1 high, 2 medium, 3 low


@dataclass(frozen=True, slots=True)
class FaultSpec:
    at_s: float
    dest: str
    kind: str  # "network" or "restart"
    duration_s: float = 0.0


@dataclass(frozen=True)
class Scenario:
    name: str
    start: _dt.datetime
    duration_s: float
    sending_site: str
    settings: SenderSettings
    heartbeat_timeout_min: int
    sites: tuple[SiteSpec, ...]
    sends: tuple[SendSpec, ...]
    faults: tuple[FaultSpec, ...]
    source: str = "<scenario>"
    time_zone: str = DEFAULT_TIME_ZONE  # a zone family's base name: "Eastern", "Pacific" ...
    addresses: tuple[Address, ...] = ()  # [[addresses]] (scenario_addresses); empty = one open address to each site

    @property
    def has_addresses(self) -> bool:
        """False keeps the meaning of files without [[addresses]]: one open, unlimited address to every site."""
        return bool(self.addresses)

    def sender_settings_for(self, code: str) -> SenderSettings:
        """The Standard Sender settings of site ``code``: [sender] for the sending site, else its own or defaults."""
        if code == self.sending_site:
            return self.settings
        return next((s.sender for s in self.sites if s.site.code == code and s.sender), None) or SenderSettings()

    def site(self, code: str) -> Site:
        return next(s.site for s in self.sites if s.site.code == code)

    @property
    def sender_site(self) -> Site:
        return self.site(self.sending_site)

    def link_kbps(self, code: str) -> int:
        return next(s.link_kbps for s in self.sites if s.site.code == code)


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file. Raises ScenarioError (also for a missing or unreadable file)."""
    p = Path(path)
    source = str(p)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(source, "", "no such file") from None
    except OSError as exc:
        raise ScenarioError(source, "", f"cannot read the file ({exc.strerror or exc})") from None
    _check_sends_count(len(_SENDS_HEADER.findall(raw)), source)  # before parsing: a huge file costs minutes
    import tomllib  # here: the engine imports this module at every start, a scenario file is rarely read

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError(source, "", "is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(source, "", f"is not valid TOML ({exc})") from None
    except RecursionError:
        raise ScenarioError(source, "", "is not a scenario: its values are nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise ScenarioError(source, "", f"is not valid TOML ({exc})") from None
    return parse_scenario(data, source)


def _check_sends_count(count: int, source: str) -> None:
    if count > MAX_SENDS:
        raise ScenarioError(
            source,
            "sends",
            f"has {count:,} entries; at most {MAX_SENDS:,} fit the send request IDs (a 4-character sequence)",
        )


def parse_scenario(data: dict[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate an already parsed TOML document (a dict) into a Scenario."""
    v = _Validator(source)
    v.keys(data, _TOP_KEYS, "")
    name = v.string(data, "name", "", required=True)
    start = v.start(data.get("start"))
    duration_s = v.duration(data, "duration", "", required=True, positive=True)
    time_zone = v.time_zone(data.get("time_zone", DEFAULT_TIME_ZONE))
    if duration_s > MAX_DURATION_S:
        raise ScenarioError(source, "duration", f"must be at most 30 days; got {data['duration']!r}")

    sender = v.table(data, "sender", required=True)
    v.keys(sender, _SENDER_KEYS, "sender")
    sending_site = v.code(sender, "site", "sender")
    values = {k: sender[k] for k in FIELD_BY_KEY if k in sender}
    for key, value in values.items():
        try:
            FIELD_BY_KEY[key].check(value)
        except SettingError as exc:
            raise ScenarioError(source, f"sender.{key}", f"{exc.rule}; got {value!r}") from None
    settings = SenderSettings(**values)
    hb = sender.get("heartbeat_timeout_min", HEARTBEAT_TIMEOUT_MIN)
    if isinstance(hb, bool) or not isinstance(hb, int) or not 1 <= hb <= 99:
        raise ScenarioError(source, "sender.heartbeat_timeout_min", f"must be a whole number from 1 to 99; got {hb!r}")

    sites = v.sites(v.array(data, "sites", required=True))
    codes = {s.site.code for s in sites}
    if sending_site not in codes:
        raise ScenarioError(source, "sender.site", f"{sending_site} is not one of the [[sites]] ({', '.join(codes)})")
    for i, spec in enumerate(sites, 1):
        if spec.site.parent is not None and spec.site.parent not in codes:
            raise ScenarioError(source, f"sites[{i}].parent", f"{spec.site.parent} is not one of the [[sites]]")

    try:
        SiteDatabase([spec.site for spec in sites])
    except ValueError as exc:
        raise ScenarioError(source, "sites", str(exc)) from None
    try:
        sites = with_site_senders(sites, data["sites"], sending_site)
        addresses = parse_addresses(data.get("addresses"), [s.site for s in sites], sending_site)
    except AddressEntryError as exc:
        raise ScenarioError(source, exc.key, exc.rule) from None

    send_entries = v.array(data, "sends")
    _check_sends_count(len(send_entries), source)
    sends = tuple(v.send(i, entry, codes, sending_site, duration_s) for i, entry in enumerate(send_entries, 1))
    faults = tuple(
        v.fault(i, entry, codes, sending_site, duration_s) for i, entry in enumerate(v.array(data, "faults"), 1)
    )
    return Scenario(
        name,
        start,
        duration_s,
        sending_site,
        settings,
        hb,
        tuple(sites),
        sends,
        faults,
        source,
        time_zone,
        addresses=addresses,
    )


class _Validator:
    """Small typed readers that all raise ScenarioError with the full key path."""

    def __init__(self, source: str) -> None:
        self.source = source
        # One object per distinct send time and size: a busy scenario repeats them across thousands of sends.
        self._times: dict[float, float] = {}
        self._sizes: dict[int, int] = {}

    def fail(self, key: str, rule: str) -> ScenarioError:
        return ScenarioError(self.source, key, rule)

    def time_zone(self, value: object) -> str:
        rule = 'must be a US time-zone family such as "Eastern" or "Pacific"'
        if not isinstance(value, str):
            raise self.fail("time_zone", f"{rule}; got {value!r}")
        base = " ".join(value.split())
        for suffix in (" Standard Time", " Daylight Time"):
            base = base.removesuffix(suffix)
        if not base or len(base) > 40 or not all(w.isalpha() and w.isascii() for w in base.split(" ")):
            raise self.fail("time_zone", f"{rule}; got {value!r}")
        return base

    def keys(self, table: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in table:
            if key not in allowed:
                shown = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)  # one line, visible
                path = f"{where}.{shown}" if where else shown
                raise self.fail(path, f"unknown key; expected one of {', '.join(sorted(allowed))}")

    def table(self, data: dict[str, Any], key: str, required: bool = False) -> dict[str, Any]:
        if key not in data:
            if required:
                raise self.fail(key, "is required")
            return {}
        if not isinstance(data[key], dict):
            raise self.fail(key, f"must be a table ([{key}]); got {type(data[key]).__name__}")
        return data[key]

    def array(self, data: dict[str, Any], key: str, required: bool = False) -> list[dict[str, Any]]:
        if key not in data:
            if required:
                raise self.fail(key, f"is required (at least one [[{key}]] entry)")
            return []
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise self.fail(key, f"must be an array of tables ([[{key}]])")
        if required and not value:
            raise self.fail(key, f"needs at least one [[{key}]] entry")
        return value

    def string(self, table: dict[str, Any], key: str, where: str, required: bool = False, default: str = "") -> str:
        path = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                raise self.fail(path, "is required")
            return default
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(path, f"must be a string; got {value!r}")
        if required and not value.strip():
            raise self.fail(path, "must not be empty")
        return value

    def code(self, table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        from console.model.sites import check_site_code

        text = self.string(table, key, where, required=required)
        try:
            return check_site_code(text)
        except ValueError as exc:
            raise self.fail(f"{where}.{key}", str(exc)) from None

    def duration(
        self, table: dict[str, Any], key: str, where: str, required: bool = False, positive: bool = False
    ) -> float:
        path = f"{where}.{key}" if where else key
        if key not in table:
            if required:
                raise self.fail(path, "is required")
            return 0.0
        value = table[key]
        if not isinstance(value, str):
            raise self.fail(path, f'must be a duration string such as "90s", "6m", "2h" or "01:30:00"; got {value!r}')
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None
        if positive and seconds <= 0:
            raise self.fail(path, f"must be longer than zero; got {value!r}")
        return seconds

    def start(self, value: Any) -> _dt.datetime:
        if value is None:
            return DEFAULT_START
        if isinstance(value, _dt.datetime):
            if value.tzinfo is not None:
                raise self.fail("start", "must be a local date-time without a UTC offset (e.g. 2001-03-14T09:00:00)")
            start = value
        elif isinstance(value, _dt.date):
            start = _dt.datetime(value.year, value.month, value.day)
        else:
            raise self.fail("start", f"must be a TOML date-time such as 2001-03-14T09:00:00; got {value!r}")
        if not MIN_START <= start <= MAX_START:
            raise self.fail(
                "start", f"must be from 1601-01-01 to 9998-12-31 (a Windows clock's range); got {start.isoformat()}"
            )
        return start

    def sites(self, entries: list[dict[str, Any]]) -> list[SiteSpec]:
        specs: list[SiteSpec] = []
        seen: set[str] = set()
        for i, entry in enumerate(entries, 1):
            where = f"sites[{i}]"
            self.keys(entry, _SITE_KEYS, where)
            code = self.code(entry, "code", where)
            if code in seen:
                raise self.fail(f"{where}.code", f"site code {code} appears twice")
            seen.add(code)
            name = self.string(entry, "name", where, default=code)
            server = self.string(entry, "server", where, required=True)
            version_text = self.string(entry, "version", where, required=True)
            try:
                version = SiteVersion.parse(version_text)
            except ValueError as exc:
                raise self.fail(f"{where}.version", str(exc)) from None
            parent = self.code(entry, "parent", where, required=False) if "parent" in entry else None
            kbps = entry.get("link_kbps", DEFAULT_LINK_KBPS)
            if isinstance(kbps, bool) or not isinstance(kbps, int) or not 1 <= kbps <= MAX_LINK_KBPS:
                raise self.fail(f"{where}.link_kbps", f"must be a whole number from 1 to {MAX_LINK_KBPS}; got {kbps!r}")
            try:
                site = Site(code, name or code, server, version, parent)
            except ValueError as exc:
                key = "parent" if "parent" in str(exc) else "server"
                raise self.fail(f"{where}.{key}", str(exc)) from None
            specs.append(SiteSpec(site, kbps))
        return specs

    def _dest(self, entry: dict[str, Any], where: str, codes: set[str], sending_site: str, what: str) -> str:
        dest = self.code(entry, "dest", where)
        if dest not in codes:
            raise self.fail(f"{where}.dest", f"{dest} is not one of the [[sites]]")
        if dest == sending_site:
            raise self.fail(f"{where}.dest", f"{dest} is the sending site itself; {what} must go to another site")
        return dest

    def _at(self, entry: dict[str, Any], where: str, duration_s: float) -> float:
        at = self.duration(entry, "at", where, required=True)
        if at > duration_s:
            raise self.fail(f"{where}.at", f"{entry['at']!r} is after the end of the scenario (duration)")
        return at

    def send(self, i: int, entry: dict[str, Any], codes: set[str], sending_site: str, duration_s: float) -> SendSpec:
        where = f"sends[{i}]"
        self.keys(entry, _SEND_KEYS, where)
        at = self._at(entry, where, duration_s)
        package = self.string(entry, "package", where, required=True)
        if not (package.isascii() and package.isalnum() and len(package) <= 8):
            rule = "must be a package ID of 1 to 8 ASCII letters or digits (e.g. PRI00001)"
            raise self.fail(f"{where}.package", f"{rule}; got {package!r}")
        dest = self._dest(entry, where, codes, sending_site, "a send")
        size = entry.get("size_kb")
        if size is None:
            raise self.fail(f"{where}.size_kb", "is required")
        if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= MAX_SIZE_KB:
            raise self.fail(
                f"{where}.size_kb", f"must be a whole number of kilobytes from 1 to {MAX_SIZE_KB}; got {size!r}"
            )
        prio_text = self.string(entry, "priority", where, default="medium")
        if prio_text.lower() not in PRIORITIES:
            raise self.fail(f"{where}.priority", f"must be high, medium or low; got {prio_text!r}")
        at = self._times.setdefault(at, at)
        size_bytes = self._sizes.setdefault(size * 1024, size * 1024)
        return SendSpec(at, package.upper(), dest, size_bytes, PRIORITIES[prio_text.lower()])

    def fault(self, i: int, entry: dict[str, Any], codes: set[str], sending_site: str, duration_s: float) -> FaultSpec:
        where = f"faults[{i}]"
        self.keys(entry, _FAULT_KEYS, where)
        at = self._at(entry, where, duration_s)
        dest = self._dest(entry, where, codes, sending_site, "a fault")
        kind = self.string(entry, "kind", where, required=True)
        if kind not in FAULT_KINDS:
            raise self.fail(f"{where}.kind", f'must be "network" or "restart"; got {kind!r}')
        if kind == "network":
            if "duration" not in entry:
                raise self.fail(f"{where}.duration", "is required for a network outage")
            return FaultSpec(at, dest, kind, self.duration(entry, "duration", where, positive=True))
        if "duration" in entry:
            raise self.fail(f"{where}.duration", "a restart is instantaneous; remove duration")
        return FaultSpec(at, dest, kind)
