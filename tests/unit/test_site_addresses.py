"""Addresses in the site database: the API, the demo's teaching cases, the store (schema 2, the upgrade from
schema 1, bad address entries) and the no-lost-update merge of addresses between two windows."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from console.model.addresses import Address, AddressError, Availability, RateLimit
from console.model.demo import demo_database
from console.model.site_session import SaveConflict, SiteChange, SiteSession
from console.model.site_store import SCHEMA_VERSION, SiteStore, database_to_json
from console.model.sites import Site, SiteDatabase
from console.model.versions import SiteVersion

MON_9 = (1, 9)  # stored day 1 = Monday, 09:00


def _db() -> SiteDatabase:
    return demo_database()


def test_demo_has_parent_child_addresses_both_ways_and_two_teaching_cases() -> None:
    db = _db()
    pairs = {(a.from_site, a.dest) for a in db.addresses}
    assert pairs == {("CEN", "LAB"), ("LAB", "CEN"), ("CEN", "NYC"), ("NYC", "CEN"), ("NYC", "BOS"), ("BOS", "NYC")}
    lab = db.address("CEN", "LAB")
    assert lab.server == "LABSRV01" and lab.schedule.at(*MON_9) is Availability.MEDIUM
    assert not lab.schedule.at(*MON_9).allows(3) and lab.schedule.at(1, 17) is Availability.ALL
    assert lab.schedule.at(0, 9) is Availability.ALL  # Sunday stays open
    bos = db.address("NYC", "BOS")
    assert bos.rate_limit.at(*MON_9) == 50 and bos.rate_limit.at(1, 7) is None and bos.rate_limit.at(6, 9) == 50
    plain = [a for a in db.addresses if (a.from_site, a.dest) not in {("CEN", "LAB"), ("NYC", "BOS")}]
    assert all(a.schedule.is_always_open and a.rate_limit.is_unlimited and a.priority == 1 for a in plain)


def test_with_and_without_address_and_next_free_priority() -> None:
    db = _db()
    assert db.next_free_priority("CEN", "LAB") == 2
    second = Address("CEN", "LAB", 2, "LABSRV02")
    db2 = db.with_address(second)
    assert [a.priority for a in db2.addresses_from("CEN") if a.dest == "LAB"] == [1, 2]
    assert db2.next_free_priority("CEN", "LAB") == 3 and len(db.addresses) == 6  # the old one unchanged
    with pytest.raises(AddressError, match="already used"):
        db2.with_address(Address("CEN", "LAB", 2, "OTHER"))
    moved = db2.with_address(replace(second, priority=5), replacing=("CEN", "LAB", 2))
    assert moved.address("CEN", "LAB", 5).server == "LABSRV02" and moved.next_free_priority("CEN", "LAB") == 2
    assert len(moved.without_address("CEN", "LAB", 5).addresses) == 6
    with pytest.raises(KeyError, match="no address to BOS"):
        db.address("CEN", "BOS")
    with pytest.raises(KeyError, match="it has 1"):
        db.address("CEN", "LAB", 3)


def test_an_address_needs_both_sites_and_unique_priorities() -> None:
    db = _db()
    with pytest.raises(AddressError, match="XYZ"):
        db.with_address(Address("CEN", "XYZ", 1, "XYZSRV"))
    with pytest.raises(AddressError, match="relative priority 1"):
        SiteDatabase(list(db), [*db.addresses, Address("CEN", "LAB", 1, "LABSRV02")])


def test_removing_a_site_removes_its_addresses_and_renaming_carries_them() -> None:
    db = _db().remove("BOS")
    assert not [a for a in db.addresses if "BOS" in (a.from_site, a.dest)] and len(db.addresses) == 4
    renamed = _db().put(_db().get("NYC").replace(code="NY1"), replacing="NYC")
    pairs = {(a.from_site, a.dest) for a in renamed.addresses}
    assert {("CEN", "NY1"), ("NY1", "CEN"), ("NY1", "BOS"), ("BOS", "NY1")} <= pairs
    assert renamed.address("NY1", "BOS").rate_limit.at(*MON_9) == 50  # the values come along


# -- the store -----------------------------------------------------------------------------------------------


def test_addresses_round_trip_through_the_file(tmp_path: Path) -> None:
    store = SiteStore(tmp_path / "sites.json")
    store.load()
    data = json.loads(store.path.read_text())
    assert data["schema"] == SCHEMA_VERSION == 2 and len(data["addresses"]) == 6
    again = SiteStore(store.path).load()
    assert again.notice is None and again.database.addresses == demo_database().addresses
    text = store.path.read_text()
    assert "[null, null, null, null, null, null, null, null, 50, 50," in text  # a rate-limit day on one line


def _schema1(db: SiteDatabase) -> dict:
    data = database_to_json(db)
    del data["addresses"]
    data["schema"] = 1
    return data


def test_a_schema_1_file_is_upgraded_after_a_copy_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    old = _db().put(_db().get("LAB").replace(name="Lab of 2001", server="LAB2001"), replacing="LAB")
    original = json.dumps(_schema1(old), indent=1)
    path.write_text(original)
    result = SiteStore(path).load()
    assert result.upgraded_from == 1 and result.schema_copy is not None and result.moved_to == result.schema_copy
    assert result.schema_copy.name.startswith("sites.json.schema1-")
    assert result.schema_copy.read_text() == original  # the old file, byte for byte
    assert "upgraded from schema version 1 to 2" in result.notice and result.schema_copy.name in result.notice
    db = result.database
    assert db.get("LAB").name == "Lab of 2001" and database_to_json(db)["sites"] == database_to_json(old)["sites"]
    # SMS 2.0's addresses, to each site's own server; none of the demo's teaching cases (they were not in the file)
    assert db.address("CEN", "LAB").server == "LAB2001" and db.address("CEN", "LAB").schedule.is_always_open
    assert json.loads(path.read_text())["schema"] == 2
    again = SiteStore(path).load()  # the notice comes once
    assert again.notice is None and again.upgraded_from is None
    assert len(list(tmp_path.glob("sites.json.schema1-*"))) == 1


def test_a_partly_bad_schema_1_file_is_kept_aside_and_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    data = _schema1(_db())
    data["sites"][3]["senders"][0]["retries"] = 0
    path.write_text(json.dumps(data))
    result = SiteStore(path).load()
    assert result.moved_to is not None and result.moved_to.name.startswith("sites.json.bad-")
    assert result.upgraded_from == 1 and "upgraded from schema version 1" in result.notice
    assert len(result.database.addresses) == 6


def test_a_newer_schema_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    newer = {**database_to_json(_db()), "schema": 3}
    path.write_text(json.dumps(newer))
    result = SiteStore(path).load()
    assert result.seeded and result.moved_to is not None
    assert json.loads(result.moved_to.read_text()) == newer
    assert "newer Sender Console (schema version 3" in result.notice


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda a: a[1].update(server="BAD/NAME"), "addresses[1] (CEN → LAB): address server: "),
        (lambda a: a[1].update(priority=0), "addresses[1] (CEN → LAB): address priority: "),
        (lambda a: a[1].update(dest="ZZZ"), "site ZZZ is not in the file"),
        (lambda a: a[2].update(dest="LAB"), "a second address from CEN to LAB with relative priority 1"),
        (lambda a: a[0].update(schedule=["1" * 24] * 6), "addresses[0] (BOS → NYC): address schedule: "),
        (lambda a: a[0].update(colour="red"), "address colour: unknown key"),
    ],
)
def test_a_bad_address_is_left_out_and_named(tmp_path: Path, change, named: str) -> None:
    path = tmp_path / "sites.json"
    data = database_to_json(_db())
    change(data["addresses"])
    path.write_text(json.dumps(data))
    result = SiteStore(path).load()
    assert not result.seeded and len(result.problems) == 1 and named in result.problems[0]
    assert "that address was not loaded" in result.problems[0] or "only the first" in result.problems[0]
    assert len(result.database.addresses) == 5 and len(result.database) == 4


def test_an_address_of_a_site_that_was_not_loaded_is_left_out_too(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    data = database_to_json(_db())
    data["sites"][3]["version"] = "9.9"  # BOS is not loaded, so neither are its two addresses
    path.write_text(json.dumps(data))
    result = SiteStore(path).load()
    assert "BOS" not in result.database and len(result.problems) == 3
    assert sum("site BOS is not in the file or was not loaded" in p for p in result.problems) == 2


# -- two windows ---------------------------------------------------------------------------------------------


def _two(tmp_path: Path) -> tuple[SiteSession, SiteSession, Path]:
    path = tmp_path / "sites.json"
    return SiteSession.open(SiteStore(path))[0], SiteSession.open(SiteStore(path))[0], path


def _limited(a: Address, percent: int) -> Address:
    return replace(a, rate_limit=RateLimit().with_hours("all", "00:00-24:00", percent))


def test_two_windows_editing_different_addresses_both_survive(tmp_path: Path) -> None:
    a, b, path = _two(tmp_path)
    a.edit_address(("CEN", "LAB", 1), _limited(a.database.address("CEN", "LAB"), 30))
    b.edit_address(("LAB", "CEN", 1), replace(b.database.address("LAB", "CEN"), substitute=False))
    b.add_address(Address("CEN", "LAB", 2, "LABBACKUP"))
    disk = SiteSession.open(SiteStore(path))[0].database
    assert disk.address("CEN", "LAB", 1).rate_limit.at(0, 0) == 30
    assert disk.address("LAB", "CEN").substitute is False and disk.address("CEN", "LAB", 2).server == "LABBACKUP"
    assert b.database.address("CEN", "LAB", 1).rate_limit.at(0, 0) == 30  # merged into b on its save


def test_the_same_address_edited_in_two_windows_is_a_conflict(tmp_path: Path) -> None:
    a, b, path = _two(tmp_path)
    a.edit_address(("CEN", "LAB", 1), _limited(a.database.address("CEN", "LAB"), 30))
    before = path.read_bytes()
    with pytest.raises(SaveConflict) as caught:
        b.edit_address(("CEN", "LAB", 1), replace(b.database.address("CEN", "LAB"), server="OTHER"))
    assert path.read_bytes() == before
    [unit] = caught.value.conflicts
    assert unit.address == ("CEN", "LAB", 1) and unit.code == "CEN"
    assert "the address of CEN to LAB (relative priority 1) was changed here and changed elsewhere" in str(caught.value)
    b.keep_mine(caught.value)
    disk = SiteSession.open(SiteStore(path))[0].database.address("CEN", "LAB")
    assert disk.server == "OTHER" and disk.rate_limit.is_unlimited


def test_an_address_added_to_a_site_removed_elsewhere_conflicts(tmp_path: Path) -> None:
    a, b, _ = _two(tmp_path)
    a.remove_site("BOS")
    with pytest.raises(SaveConflict) as caught:
        b.add_address(Address("CEN", "BOS", 1, "BOSSRV01"))
    assert [c.code for c in caught.value.conflicts] == ["BOS"]


def test_address_changes_are_announced(tmp_path: Path) -> None:
    a, b, _ = _two(tmp_path)
    seen: list[SiteChange] = []
    a.subscribe(seen.append)
    a.add_address(Address("LAB", "NYC", 1, "NYCSRV01"))
    a.edit_address(("LAB", "NYC", 1), Address("LAB", "NYC", 2, "NYCSRV01"))
    a.remove_address(("LAB", "NYC", 2))
    assert [(c.kind, c.address) for c in seen] == [
        ("address-added", ("LAB", "NYC", 1)),
        ("address-edited", ("LAB", "NYC", 2)),
        ("address-removed", ("LAB", "NYC", 2)),
    ]
    assert seen[1].old_address == ("LAB", "NYC", 1)
    b.subscribe(seen.append)
    a.edit_address(("CEN", "NYC", 1), replace(a.database.address("CEN", "NYC"), server="NYC2"))
    a.remove_site("BOS")
    a.add_site(Site("CHI", "Chicago", "CHISRV", SiteVersion.SP4, "CEN"))
    changes = b.reload()
    assert sorted((c.kind, c.code) for c in changes) == [
        ("address-edited", "CEN"),
        ("site-added", "CHI"),
        ("site-removed", "BOS"),
    ]


# -- the Q278357 rule at every site that forwards ------------------------------------------------------------


def test_every_forwarding_site_is_judged_on_its_own_version() -> None:
    from console.model.advisories import forwarding_destinations, q278357_forwarders

    db = _db()
    assert db.get("CEN").version is SiteVersion.SP4 and db.get("LAB").version is SiteVersion.SP3
    found = q278357_forwarders(db)
    assert list(found) == ["LAB"] and found["LAB"].kb == "Q278357"  # NYC has 6 min too, but runs SP4
    assert forwarding_destinations(db, "NYC") == ["BOS", "CEN"]
    # a site with no address sends nothing, so its settings alone do not make it a forwarder
    lonely = db.remove("BOS").without_address("LAB", "CEN", 1).without_address("CEN", "LAB", 1)
    assert q278357_forwarders(lonely) == {}
