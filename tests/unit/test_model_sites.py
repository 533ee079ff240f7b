"""Sites, the site database, the demo hierarchy, durations."""

from __future__ import annotations

import pytest

from console.model.demo import demo_database
from console.model.durations import format_duration, parse_duration
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.sites import Site, SiteDatabase, check_server_name, check_site_code
from console.model.versions import SiteVersion


def _site(code: str, parent: str | None = None, version: SiteVersion = SiteVersion.SP3) -> Site:
    return Site(code, f"Site {code}", f"{code}SRV", version, parent)


def test_demo_hierarchy_has_old_and_fixed_children() -> None:
    db = demo_database()
    assert [s.code for s in db.roots()] == ["CEN"]
    versions = {s.code: s.version for s in db}
    assert any(not v.fixes_q278357 for v in versions.values())
    assert any(v.fixes_q278357 for c, v in versions.items() if db.get(c).parent)
    assert [s.code for s in db.children("CEN")] == ["LAB", "NYC"]
    lab = db.get("lab")
    assert lab.standard_sender.settings.retry_delay_min == 6
    assert lab.sender(SenderType.COURIER) is not None


@pytest.mark.parametrize("bad", ["AB", "ABCD", "A-B", "", "a b"])
def test_site_codes_are_three_letters_or_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="three letters or digits"):
        check_site_code(bad)


def test_site_code_is_upper_cased() -> None:
    assert check_site_code(" lab ") == "LAB"


@pytest.mark.parametrize(("bad", "why"), [("", "empty"), ("A" * 16, "longer than 15"), ("SRV;1", "contains")])
def test_server_names(bad: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        check_server_name(bad)
    assert check_server_name("\\\\labsrv01") == "LABSRV01"


def test_database_rejects_missing_parents_cycles_and_duplicates() -> None:
    with pytest.raises(ValueError, match="not in the site database"):
        SiteDatabase([_site("AAA", "ZZZ")])
    with pytest.raises(ValueError, match="cycle"):
        SiteDatabase([_site("AAA", "BBB"), _site("BBB", "AAA")])
    with pytest.raises(ValueError, match="appears twice"):
        SiteDatabase([_site("AAA"), _site("AAA")])
    with pytest.raises(ValueError, match="its own parent"):
        _site("AAA", "AAA")


def test_get_unknown_site_lists_the_known_ones() -> None:
    with pytest.raises(KeyError, match=r"known: CEN, LAB, NYC, BOS"):
        demo_database().get("XYZ")


def test_put_renames_and_carries_children() -> None:
    db = demo_database()
    renamed = db.put(db.get("NYC").replace(code="NY1"), replacing="NYC")
    assert renamed.get("BOS").parent == "NY1" and "NYC" not in renamed
    assert db.get("BOS").parent == "NYC"  # the original is untouched
    with pytest.raises(ValueError, match="already in use"):
        db.put(db.get("BOS").replace(code="LAB"), replacing="BOS")


def test_remove_refuses_a_site_with_children() -> None:
    db = demo_database()
    with pytest.raises(ValueError, match="child sites"):
        db.remove("NYC")
    assert "BOS" not in db.remove("BOS")


def test_sender_settings_per_site_and_ras_forced_to_one() -> None:
    site = demo_database().get("CEN")
    changed = site.with_sender_settings(SenderType.ASYNC_RAS, SenderSettings(per_site=3, retries=4))
    assert changed.sender(SenderType.ASYNC_RAS).settings == SenderSettings(per_site=1, retries=4)
    added = demo_database().get("LAB").with_sender_settings(SenderType.SNA_RAS, SenderSettings())
    assert added.sender(SenderType.SNA_RAS).server == "LABSRV01"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("6m", 360), ("2h", 7200), ("1d", 86400), ("01:30:00", 5400), ("0:00:05.5", 5.5), ("250ms", 0.25)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "6", "six minutes", "-5m", "1:99:00"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_format_duration() -> None:
    assert [format_duration(s) for s in (45, 360, 390, 7500, 97200)] == ["45s", "6m", "6m 30s", "2h 05m", "1d 3h"]
