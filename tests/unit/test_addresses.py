"""Addresses: availability, weekly schedules, rate-limit grids, validation, JSON and the default addresses."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.model.addresses import (
    Address,
    AddressError,
    AddressJsonError,
    Availability,
    RateLimit,
    ServerNameError,
    WeeklySchedule,
    address_from_json,
    address_to_json,
    addresses_to,
    check_address_priority,
    check_percent,
    check_server_name,
    check_unique_priorities,
    day_index,
    default_addresses,
    parse_days,
    parse_hours,
)
from console.model.demo import demo_database
from console.model.sender_types import SenderType

WED = dt.datetime(2001, 3, 14, 9, 0)  # a Wednesday
SUN, MON, TUE, THU, FRI, SAT = 0, 1, 2, 4, 5, 6
HIGH, MEDIUM, LOW = 1, 2, 3
OFFICE = WeeklySchedule().with_hours("Mon-Fri", "08:00-17:00", "high")


# --- availability -------------------------------------------------------------------------------------------


def test_availability_values_labels_and_keywords() -> None:
    assert [int(a) for a in Availability] == [1, 2, 3, 4]
    assert [a.label for a in Availability] == [
        "Open for all priorities",
        "Allow medium and high priority",
        "Allow high priority only",
        "Closed",
    ]
    assert [a.keyword for a in Availability] == ["all", "medium", "high", "closed"]
    assert Availability.parse(" High ") is Availability.HIGH
    assert Availability.parse("Allow medium and high priority") is Availability.MEDIUM
    with pytest.raises(AddressError, match='"all", "medium", "high" or "closed"'):
        Availability.parse("low")


@pytest.mark.parametrize(
    ("availability", "allowed"),
    [
        (Availability.ALL, {HIGH, MEDIUM, LOW}),
        (Availability.MEDIUM, {HIGH, MEDIUM}),
        (Availability.HIGH, {HIGH}),
        (Availability.CLOSED, set()),
    ],
)
def test_availability_allows_priorities(availability: Availability, allowed: set[int]) -> None:
    assert {p for p in (HIGH, MEDIUM, LOW) if availability.allows(p)} == allowed


@pytest.mark.parametrize("bad", [0, 4, True, "1"])
def test_availability_refuses_a_priority_that_is_not_1_to_3(bad: object) -> None:
    with pytest.raises(AddressError, match="1 \\(high\\), 2 \\(medium\\) or 3 \\(low\\)"):
        Availability.ALL.allows(bad)  # type: ignore[arg-type]


# --- days and hours -----------------------------------------------------------------------------------------


def test_day_index_counts_from_sunday() -> None:
    assert [day_index(dt.date(2001, 3, d)) for d in range(11, 18)] == [0, 1, 2, 3, 4, 5, 6]  # Sun 11 … Sat 17


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("all", set(range(7))),
        ("ALL", set(range(7))),
        ("Sun", {SUN}),
        ("sat", {SAT}),
        ("Mon-Fri", {1, 2, 3, 4, 5}),
        ("Fri-Mon", {FRI, SAT, SUN, MON}),
        ("Sat,Sun", {SAT, SUN}),
        (" sat , SUN ", {SAT, SUN}),
        ("Mon-Tue,Thu-Fri", {MON, TUE, THU, FRI}),
        ("Wed-Wed", {3}),
        ("Sat-Fri", set(range(7))),
    ],
)
def test_parse_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == days


@pytest.mark.parametrize("bad", ["", "Monday", "Mon-", "Mon-Tue-Wed", "Mon,,Tue", "7", "weekdays"])
def test_parse_days_names_the_accepted_forms(bad: str) -> None:
    with pytest.raises(AddressError, match=re.escape('"all", a day ("Sun".."Sat"), a range')):
        parse_days(bad)


@pytest.mark.parametrize(
    ("text", "hours"),
    [
        ("08:00-17:00", set(range(8, 17))),
        ("00:00-24:00", set(range(24))),
        ("22:00-06:00", {22, 23, 0, 1, 2, 3, 4, 5}),
        ("23:00-24:00", {23}),
        ("22:00-00:00", {22, 23}),
        ("8:00 - 9:00", {8}),
    ],
)
def test_parse_hours(text: str, hours: set[int]) -> None:
    assert parse_hours(text) == hours


@pytest.mark.parametrize(
    ("bad", "rule"),
    [
        ("8-17", "HH:00-HH:00"),
        ("08:30-17:00", "whole hours"),
        ("24:00-06:00", "from 00 to 23"),
        ("08:00-25:00", "from 00 to 24"),
        ("08:00-08:00", "selects no time"),
        ("00:00-00:00", "selects no time"),
        ("all", "HH:00-HH:00"),
    ],
)
def test_parse_hours_refuses_other_forms(bad: str, rule: str) -> None:
    with pytest.raises(AddressError, match=rule):
        parse_hours(bad)


# --- weekly schedule ----------------------------------------------------------------------------------------


def test_a_new_schedule_is_open_7_by_24() -> None:
    s = WeeklySchedule()
    assert s.is_always_open and s.summary() == "Open 7 × 24"
    assert all(s.at(d, h) is Availability.ALL for d in range(7) for h in range(24))
    assert s.next_change(LOW, WED) is None and s.next_open(LOW, WED) == WED


def test_with_hours_returns_a_new_schedule_and_later_entries_win() -> None:
    base = WeeklySchedule()
    s = base.with_hours("Mon-Fri", "08:00-17:00", Availability.HIGH).with_hours("Wed", "12:00-13:00", "closed")
    assert base.is_always_open
    assert s.at(MON, 8) is Availability.HIGH and s.at(MON, 7) is Availability.ALL and s.at(MON, 17) is Availability.ALL
    assert s.at(3, 12) is Availability.CLOSED and s.at(3, 11) is Availability.HIGH and s.at(3, 13) is Availability.HIGH
    assert s.at(SAT, 10) is Availability.ALL
    again = s.with_hours("all", "00:00-24:00", "all")
    assert again == WeeklySchedule() and hash(again) == hash(WeeklySchedule())


def test_wrapping_hours_select_both_ends_of_each_listed_day() -> None:
    s = WeeklySchedule().with_hours("Mon", "22:00-06:00", "closed")
    closed = {h for h in range(24) if s.at(MON, h) is Availability.CLOSED}
    assert closed == {0, 1, 2, 3, 4, 5, 22, 23}
    assert all(s.at(TUE, h) is Availability.ALL for h in range(24))


def test_wrapping_days_cover_the_weekend() -> None:
    s = WeeklySchedule().with_hours("Fri-Mon", "00:00-24:00", "closed")
    assert [d for d in range(7) if s.at(d, 12) is Availability.CLOSED] == [SUN, MON, FRI, SAT]


def test_open_for_uses_the_clock_hour_and_a_sunday_first_week() -> None:
    s = WeeklySchedule().with_hours("Sun", "00:00-24:00", "closed").with_hours("Sat", "23:00-24:00", "high")
    sat_late = dt.datetime(2001, 3, 17, 23, 59, 59, 999_999)
    sun_start = dt.datetime(2001, 3, 18, 0, 0)
    assert s.open_for(HIGH, sat_late) and not s.open_for(MEDIUM, sat_late)
    assert not s.open_for(HIGH, sun_start)
    assert s.open_for(LOW, dt.datetime(2001, 3, 19, 0, 0))  # Monday 00:00
    assert s.open_for(LOW, dt.datetime(2001, 3, 17, 22, 59))


def test_office_hours_at_the_boundaries() -> None:
    wed8 = dt.datetime(2001, 3, 14, 8, 0)
    assert OFFICE.open_for(LOW, wed8 - dt.timedelta(microseconds=1))
    assert not OFFICE.open_for(LOW, wed8) and OFFICE.open_for(HIGH, wed8)
    assert not OFFICE.open_for(MEDIUM, dt.datetime(2001, 3, 14, 16, 59, 59))
    assert OFFICE.open_for(LOW, dt.datetime(2001, 3, 14, 17, 0))


def test_next_change_and_next_open() -> None:
    wed_0730 = dt.datetime(2001, 3, 14, 7, 30)
    assert OFFICE.next_change(LOW, wed_0730) == dt.datetime(2001, 3, 14, 8)
    assert OFFICE.next_change(HIGH, wed_0730) is None  # high priority always passes
    assert OFFICE.next_open(LOW, dt.datetime(2001, 3, 14, 9, 30)) == dt.datetime(2001, 3, 14, 17)
    assert OFFICE.next_open(LOW, wed_0730) == wed_0730
    # on an hour boundary the change is strictly later
    assert OFFICE.next_change(LOW, dt.datetime(2001, 3, 14, 8)) == dt.datetime(2001, 3, 14, 17)
    # Friday evening to Monday morning: the next close is Monday 08:00
    assert OFFICE.next_change(LOW, dt.datetime(2001, 3, 16, 18)) == dt.datetime(2001, 3, 19, 8)


def test_next_change_searches_a_week_and_next_open_gives_up_when_closed_all_week() -> None:
    closed = WeeklySchedule().with_hours("all", "00:00-24:00", "closed")
    assert closed.next_open(HIGH, WED) is None and closed.next_change(HIGH, WED) is None
    once = closed.with_hours("Wed", "08:00-09:00", "all")  # WED is 09:00: the opening is 6 days 23 h ahead
    assert once.next_open(LOW, WED) == dt.datetime(2001, 3, 21, 8)
    assert once.next_change(LOW, dt.datetime(2001, 3, 14, 8, 30)) == WED


@pytest.mark.parametrize("day", [dt.date(2001, 4, 1), dt.date(2001, 10, 28)])
def test_schedule_hours_are_the_hours_the_clock_shows_on_us_dst_days(day: dt.date) -> None:
    """2001-04-01 and 2001-10-28 are Sundays on which a real US clock skips or repeats 02:00; the simulated
    clock is naive local time, so every one of the 24 hours it shows is the schedule's hour of that name."""
    s = WeeklySchedule().with_hours("Sun", "02:00-03:00", "closed")
    midnight = dt.datetime.combine(day, dt.time())
    assert day_index(midnight) == SUN
    assert not s.open_for(HIGH, midnight + dt.timedelta(hours=2, minutes=30))
    assert s.open_for(HIGH, midnight + dt.timedelta(hours=1, minutes=59))
    assert s.open_for(HIGH, midnight + dt.timedelta(hours=3))
    assert s.next_change(LOW, midnight) == midnight + dt.timedelta(hours=2)
    assert s.next_open(LOW, midnight + dt.timedelta(hours=2)) == midnight + dt.timedelta(hours=3)
    hours_open = sum(s.open_for(LOW, midnight + dt.timedelta(hours=h)) for h in range(24))
    assert hours_open == 23  # a 24-hour day on the simulated clock, with one closed hour


def test_schedule_summaries() -> None:
    assert OFFICE.summary() == "Mon–Fri 08:00–17:00: high only; other times open"
    weekend = OFFICE.with_hours("Sat,Sun", "00:00-24:00", "closed")
    assert weekend.summary() == "Mon–Fri 08:00–17:00: high only; Sat–Sun: closed; other times open"
    nights = WeeklySchedule().with_hours("all", "22:00-06:00", "closed")
    assert nights.summary() == "Every day 00:00–06:00, 22:00–24:00: closed; other times open"
    assert WeeklySchedule().with_hours("all", "00:00-24:00", "medium").summary() == "Medium and high 7 × 24"
    assert (
        WeeklySchedule().with_hours("all", "00:00-24:00", "closed").with_hours("Wed", "01:00-02:00", "all").summary()
        == "Wed 01:00–02:00: open; other times closed"
    )
    busy = OFFICE
    for day, hour in (("Sun", "01:00-02:00"), ("Tue", "03:00-04:00"), ("Sat", "05:00-06:00")):
        busy = busy.with_hours(day, hour, "closed")
    assert busy.summary().startswith("Varies by hour: ")


def test_schedule_grid_is_validated() -> None:
    with pytest.raises(AddressError, match="7 days"):
        WeeklySchedule(((Availability.ALL,) * 24,) * 6)
    with pytest.raises(AddressError, match="availability is 1"):
        WeeklySchedule(((5,) * 24,) * 7)
    assert WeeklySchedule(((1,) * 24,) * 7) == WeeklySchedule()


# --- rate limit grid ----------------------------------------------------------------------------------------


def test_rate_limit_grid() -> None:
    r = RateLimit()
    assert r.is_unlimited and r.summary() == "Unlimited" and r.percent_at(WED) is None
    day = r.with_hours("Mon-Fri", "08:00-17:00", 50)
    assert not day.is_unlimited and r.is_unlimited
    assert day.percent_at(WED) == 50 and day.percent_at(WED.replace(hour=17)) is None
    assert day.at(SAT, 9) is None
    assert day.summary() == "Mon–Fri 08:00–17:00: 50 %; other times unlimited"
    assert day.with_hours("all", "00:00-24:00", None) == RateLimit()
    assert RateLimit().with_hours("all", "00:00-24:00", 20).summary() == "20 % 7 × 24"
    with pytest.raises(AddressError, match="1 to 100"):
        r.with_hours("all", "00:00-24:00", 0)


@pytest.mark.parametrize("bad", [0, 101, -5, 50.0, True, "50"])
def test_check_percent(bad: object) -> None:
    with pytest.raises(AddressError, match="whole number of percent from 1 to 100"):
        check_percent(bad)


# --- address ------------------------------------------------------------------------------------------------


def test_address_defaults_and_normalising() -> None:
    a = Address("pri", "chi", 1, "\\\\chisrv")
    assert (a.from_site, a.dest, a.server) == ("PRI", "CHI", "CHISRV")
    assert a.substitute is True and a.schedule == WeeklySchedule() and a.rate_limit == RateLimit()
    assert a.sender_type is SenderType.STANDARD
    assert a.title == "PRI → CHI (1)"


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"dest": "PRI"}, "cannot address itself"),
        ({"dest": "CHICAGO"}, "three letters or digits"),
        ({"priority": 0}, "from 1 to 99"),
        ({"priority": 100}, "from 1 to 99"),
        ({"priority": True}, "from 1 to 99"),
        ({"server": "A" * 16}, "longer than 15 characters"),
        ({"server": "   "}, "must not be empty"),
        ({"server": "CHI*SRV"}, "contains"),
        ({"substitute": "no"}, "true or false"),
        ({"sender_type": SenderType.ASYNC_RAS}, "only Standard Sender"),
    ],
)
def test_address_validation(kwargs: dict[str, object], rule: str) -> None:
    values: dict[str, object] = {"from_site": "PRI", "dest": "CHI", "priority": 1, "server": "CHISRV", **kwargs}
    with pytest.raises(AddressError, match=rule):
        Address(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("ch", list('"/\\[]:;|=+*?,<>'))
def test_server_name_forbidden_characters(ch: str) -> None:
    with pytest.raises(ServerNameError, match="contains"):
        check_server_name(f"SRV{ch}01")


def test_server_name_rules() -> None:
    assert check_server_name("a" * 15) == "A" * 15
    assert check_server_name(" chi srv ") == "CHI SRV"  # only the listed characters are refused
    assert isinstance(ServerNameError("x"), ValueError)
    with pytest.raises(ServerNameError, match="must not be empty"):
        check_server_name("  ")
    assert check_address_priority(99) == 99


def test_priorities_unique_per_from_and_dest() -> None:
    a1 = Address("PRI", "CHI", 1, "CHISRV")
    a2 = Address("PRI", "CHI", 2, "CHIBAK")
    check_unique_priorities([a1, a2, Address("PRI", "LAB", 1, "LABSRV"), Address("LAB", "CHI", 1, "CHISRV")])
    with pytest.raises(AddressError, match="two addresses from PRI to CHI have relative priority 1"):
        check_unique_priorities([a1, a2, Address("PRI", "CHI", 1, "OTHER")])
    assert addresses_to([a2, a1], "PRI", "CHI") == [a1, a2]
    assert addresses_to([a2, a1], "CHI", "PRI") == []


def test_default_addresses_link_each_parent_and_child_both_ways() -> None:
    db = demo_database()  # CEN > LAB, CEN > NYC > BOS
    pairs = {(a.from_site, a.dest): a for a in default_addresses(db)}
    assert set(pairs) == {
        ("CEN", "LAB"),
        ("LAB", "CEN"),
        ("CEN", "NYC"),
        ("NYC", "CEN"),
        ("NYC", "BOS"),
        ("BOS", "NYC"),
    }
    for (_, dest), a in pairs.items():
        assert a.server == db.get(dest).server and a.priority == 1 and a.substitute
        assert a.schedule.is_always_open and a.rate_limit.is_unlimited


# --- JSON ---------------------------------------------------------------------------------------------------


def test_json_form_is_compact() -> None:
    a = Address("PRI", "CHI", 2, "CHISRV", False, OFFICE, RateLimit().with_hours("Sat", "00:00-01:00", 25))
    d = address_to_json(a)
    assert d["from"] == "PRI" and d["dest"] == "CHI" and d["priority"] == 2 and d["substitute"] is False
    assert d["sender_type"] == "SMS_LAN_SENDER"
    assert d["schedule"][SUN] == "1" * 24
    assert d["schedule"][MON] == "1" * 8 + "3" * 9 + "1" * 7
    assert d["rate_limit"][SAT][:2] == [25, None] and d["rate_limit"][SUN] == [None] * 24
    assert address_to_json(Address("PRI", "CHI", 1, "CHISRV"))["rate_limit"] is None
    assert address_from_json(d) == a
    assert address_from_json({"from": "PRI", "dest": "CHI", "priority": 1, "server": "CHISRV"}) == Address(
        "PRI", "CHI", 1, "CHISRV"
    )


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"colour": 1}, "colour"),
        ({"from": None}, "from"),
        ({"dest": "TOOLONG"}, "dest"),
        ({"priority": "1"}, "priority"),
        ({"server": "BAD/NAME"}, "server"),
        ({"substitute": 1}, "substitute"),
        ({"sender_type": "SMS_PIGEON"}, "sender_type"),
        ({"sender_type": "SMS_ASYNC_RAS_SENDER"}, "sender_type"),
        ({"schedule": ["1" * 24] * 6}, "schedule"),
        ({"schedule": ["5" * 24] * 7}, "schedule"),
        ({"schedule": ["x" * 24] * 7}, "schedule"),
        ({"rate_limit": [[101] * 24] * 7}, "rate_limit"),
        ({"rate_limit": "50"}, "rate_limit"),
        ({"rate_limit": [[None] * 23] * 7}, "rate_limit"),
        ({"dest": "PRI"}, "dest"),
    ],
)
def test_json_errors_name_the_key(change: dict[str, object], key: str) -> None:
    d = {**address_to_json(Address("PRI", "CHI", 1, "CHISRV")), **change}
    with pytest.raises(AddressJsonError) as info:
        address_from_json(d)
    assert info.value.key == key and key in str(info.value)


def test_json_missing_keys_and_non_objects() -> None:
    with pytest.raises(AddressJsonError, match="priority: is required"):
        address_from_json({"from": "PRI", "dest": "CHI", "server": "S"})
    with pytest.raises(AddressJsonError, match="JSON object"):
        address_from_json([])


_availability = st.sampled_from(list(Availability))
_percent = st.one_of(st.none(), st.integers(1, 100))


@st.composite
def addresses(draw: st.DrawFn) -> Address:
    codes = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3)
    source = draw(codes)
    dest = draw(codes.filter(lambda c: c != source))
    server = draw(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.", min_size=1, max_size=15))
    cells = draw(st.lists(_availability, min_size=168, max_size=168))
    schedule = WeeklySchedule(tuple(tuple(cells[d * 24 : d * 24 + 24]) for d in range(7)))
    rate_limit = RateLimit()
    if draw(st.booleans()):
        rates = draw(st.lists(_percent, min_size=168, max_size=168))
        rate_limit = RateLimit(tuple(tuple(rates[d * 24 : d * 24 + 24]) for d in range(7)))
    priority, substitute = draw(st.integers(1, 99)), draw(st.booleans())
    return Address(source, dest, priority, server, substitute, schedule, rate_limit)


@settings(max_examples=40, deadline=None)
@given(addresses())
def test_json_round_trip(a: Address) -> None:
    import json

    assert address_from_json(json.loads(json.dumps(address_to_json(a)))) == a
