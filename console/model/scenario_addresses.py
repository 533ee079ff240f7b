"""Scenario files (DESIGN.md §4): ``[[addresses]]`` with their schedules and rate limits, and each
site's own ``sender = { ... }`` settings.

Kept apart from ``scenario`` so that module stays about the original keys; it calls in here and turns
:class:`AddressEntryError` into its ScenarioError (file, key, rule). Every key is optional, so a file
written before addresses existed means what it always meant.

Choices the design left open:
- ``dest`` is required; ``from`` defaults to the [sender] site; ``server`` to the destination's server.
- ``priority`` defaults to the next free number for that (from, dest): 1 for the first address, then 2 …,
  as the SMS 2.0 console numbers a new address.
- In ``[[addresses.schedule]]`` and ``[[addresses.rate_limit]]`` ``days`` defaults to ``"all"`` and
  ``hours`` to ``"00:00-24:00"``; ``availability`` and ``percent`` are required.
- ``sender`` on the [sender] site's own ``[[sites]]`` entry is refused: the [sender] table is that sender.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from console.model.addresses import (
    Address,
    AddressError,
    Availability,
    RateLimit,
    WeeklySchedule,
    check_address_priority,
    check_server_name,
    parse_days,
    parse_hours,
)
from console.model.sender_settings import FIELD_BY_KEY, SenderSettings, SettingError
from console.model.sites import Site, check_site_code

_ADDRESS_KEYS = ("from", "dest", "priority", "server", "substitute", "schedule", "rate_limit")
_SCHEDULE_KEYS = ("days", "hours", "availability")
_RATE_KEYS = ("days", "hours", "percent")
_SENDER_EXAMPLE = "{ retries = 2, retry_delay_min = 6 }"


class AddressEntryError(ValueError):
    """A bad value under ``[[addresses]]`` or a site's ``sender``: the key path and the rule."""

    def __init__(self, key: str, rule: str) -> None:
        self.key = key
        self.rule = rule
        super().__init__(f"{key}: {rule}")


def _keys(table: dict[str, Any], allowed: Sequence[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            raise AddressEntryError(f"{where}.{key}", f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _int(table: dict[str, Any], key: str, where: str) -> int:
    value = table[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise AddressEntryError(f"{where}.{key}", f"must be a whole number; got {value!r}")
    return value


def _str(table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    if key not in table:
        if default is None:
            raise AddressEntryError(f"{where}.{key}", "is required")
        return default
    value = table[key]
    if not isinstance(value, str):
        raise AddressEntryError(f"{where}.{key}", f"must be a string; got {value!r}")
    return value


def parse_site_sender(entry: dict[str, Any], where: str) -> SenderSettings | None:
    """The ``sender = { ... }`` inline table of a ``[[sites]]`` entry; None when absent (defaults 5/3/2/1)."""
    if "sender" not in entry:
        return None
    table = entry["sender"]
    if not isinstance(table, dict):
        raise AddressEntryError(f"{where}.sender", f"must be an inline table such as {_SENDER_EXAMPLE}; got {table!r}")
    _keys(table, tuple(FIELD_BY_KEY), f"{where}.sender")
    for key, value in table.items():
        try:
            FIELD_BY_KEY[key].check(value)
        except SettingError as exc:
            raise AddressEntryError(f"{where}.sender.{key}", f"{exc.rule}; got {value!r}") from None
    return SenderSettings(**table)


def with_site_senders(specs: Sequence[Any], entries: Sequence[dict[str, Any]], sending_site: str) -> list[Any]:
    """``specs`` (SiteSpec, one per ``[[sites]]`` entry, same order) with their ``sender`` settings filled in."""
    result: list[Any] = []
    for i, (spec, entry) in enumerate(zip(specs, entries, strict=True), 1):
        sender = parse_site_sender(entry, f"sites[{i}]")
        if sender is not None and spec.site.code == sending_site:
            raise AddressEntryError(
                f"sites[{i}].sender", f"{sending_site} is the sending site; its Standard Sender is the [sender] table"
            )
        result.append(dataclasses.replace(spec, sender=sender))
    return result


def parse_addresses(value: Any, sites: Sequence[Site], sending_site: str) -> tuple[Address, ...]:
    """The ``[[addresses]]`` array of tables (absent → no addresses), checked against the scenario's sites."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise AddressEntryError("addresses", "must be an array of tables ([[addresses]])")
    by_code = {s.code: s for s in sites}
    taken: dict[tuple[str, str, int], int] = {}
    result: list[Address] = []
    for i, entry in enumerate(value, 1):
        where = f"addresses[{i}]"
        _keys(entry, _ADDRESS_KEYS, where)
        source = _site(entry, "from", where, by_code, sending_site)
        dest = _site(entry, "dest", where, by_code, None)
        if source == dest:
            raise AddressEntryError(
                f"{where}.dest", f"{dest} is also the address's from site; an address goes to another site"
            )
        if "priority" in entry:
            priority = _int(entry, "priority", where)
            try:
                check_address_priority(priority)
            except AddressError as exc:
                raise AddressEntryError(f"{where}.priority", str(exc)) from None
        else:
            priority = 1 + max((p for (f, d, p) in taken if (f, d) == (source, dest)), default=0)
        if (source, dest, priority) in taken:
            first = taken[(source, dest, priority)]
            raise AddressEntryError(
                f"{where}.priority",
                f"addresses[{first}] already goes from {source} to {dest} with relative priority {priority}; "
                f"each priority is used once per (from, dest)",
            )
        taken[(source, dest, priority)] = i
        server = _str(entry, "server", where, default=by_code[dest].server)
        try:
            server = check_server_name(server)
        except ValueError as exc:
            raise AddressEntryError(f"{where}.server", str(exc)) from None
        substitute = entry.get("substitute", True)
        if not isinstance(substitute, bool):
            raise AddressEntryError(f"{where}.substitute", f"must be true or false; got {substitute!r}")
        schedule = WeeklySchedule()
        for j, row in enumerate(_array(entry, "schedule", where), 1):
            at = f"{where}.schedule[{j}]"
            _keys(row, _SCHEDULE_KEYS, at)
            days, hours = _days_hours(row, at)
            try:
                availability = Availability.parse(_str(row, "availability", at))
            except AddressError as exc:
                raise AddressEntryError(f"{at}.availability", str(exc)) from None
            schedule = schedule.with_hours(days, hours, availability)
        rate_limit = RateLimit()
        for j, row in enumerate(_array(entry, "rate_limit", where), 1):
            at = f"{where}.rate_limit[{j}]"
            _keys(row, _RATE_KEYS, at)
            days, hours = _days_hours(row, at)
            if "percent" not in row:
                raise AddressEntryError(f"{at}.percent", "is required (1-100: the share of each hour)")
            percent = _int(row, "percent", at)
            if not 1 <= percent <= 100:
                raise AddressEntryError(f"{at}.percent", f"must be from 1 to 100 (percent of each hour); got {percent}")
            rate_limit = rate_limit.with_hours(days, hours, percent)
        result.append(Address(source, dest, priority, server, substitute, schedule, rate_limit))
    return tuple(result)


def _site(entry: dict[str, Any], key: str, where: str, by_code: dict[str, Site], default: str | None) -> str:
    text = _str(entry, key, where, default=default)
    try:
        code = check_site_code(text)
    except ValueError as exc:
        raise AddressEntryError(f"{where}.{key}", str(exc)) from None
    if code not in by_code:
        raise AddressEntryError(f"{where}.{key}", f"{code} is not one of the [[sites]] ({', '.join(by_code)})")
    return code


def _array(entry: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        raise AddressEntryError(f"{where}.{key}", f"must be an array of tables ([[addresses.{key}]])")
    return value


def _days_hours(row: dict[str, Any], at: str) -> tuple[frozenset[int], frozenset[int]]:
    result = []
    for key, default, parse in (("days", "all", parse_days), ("hours", "00:00-24:00", parse_hours)):
        try:
            result.append(parse(_str(row, key, at, default=default)))
        except AddressError as exc:
            raise AddressEntryError(f"{at}.{key}", str(exc)) from None
    return result[0], result[1]
