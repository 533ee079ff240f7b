"""Sender settings, versions, sender types and the Q278357 rule."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.model.advisories import Severity, advise, q278357_advisory, q278357_applies
from console.model.sender_settings import FIELD_BY_KEY, FIELDS, HEARTBEAT_TIMEOUT_MIN, SenderSettings, SettingError
from console.model.sender_types import SenderType
from console.model.versions import SiteVersion


def test_defaults_match_the_sms20_help() -> None:
    assert SenderSettings().to_dict() == {"all_sites": 5, "per_site": 3, "retries": 2, "retry_delay_min": 1}
    assert [(f.key, f.default, f.minimum, f.maximum) for f in FIELDS] == [
        ("all_sites", 5, 1, 999),
        ("per_site", 3, 1, 999),
        ("retries", 2, 1, 99),
        ("retry_delay_min", 1, 1, 99),
    ]
    assert HEARTBEAT_TIMEOUT_MIN == 5


@pytest.mark.parametrize(
    ("key", "bad"),
    [
        ("all_sites", 0),
        ("all_sites", 1000),
        ("per_site", 0),
        ("per_site", 1000),
        ("retries", 0),
        ("retries", 100),
        ("retry_delay_min", 0),
        ("retry_delay_min", 100),
    ],
)
def test_out_of_range_values_are_refused(key: str, bad: int) -> None:
    with pytest.raises(SettingError) as info:
        SenderSettings(**{key: bad})
    assert info.value.field is FIELD_BY_KEY[key]
    assert FIELD_BY_KEY[key].label in str(info.value)


@pytest.mark.parametrize("bad", ["6", 6.0, True, None])
def test_wrong_types_are_refused(bad: object) -> None:
    with pytest.raises(SettingError, match="whole number"):
        SenderSettings(retry_delay_min=bad)  # type: ignore[arg-type]


def test_from_dict_names_where_and_unknown_keys() -> None:
    with pytest.raises(ValueError, match=r"sites\[0\]: unknown key 'delay'"):
        SenderSettings.from_dict({"delay": 3}, where="sites[0]")
    with pytest.raises(ValueError, match=r"here: Number of retries \(retries\) must be from 1 to 99"):
        SenderSettings.from_dict({"retries": 0}, where="here")
    assert SenderSettings.for_ras(retries=4).per_site == 1


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("2.0", SiteVersion.RTM),
        ("RTM", SiteVersion.RTM),
        ("2.0 SP1", SiteVersion.SP1),
        ("sp2", SiteVersion.SP2),
        ("2.0  sp3", SiteVersion.SP3),
        ("SP 4", SiteVersion.SP4),
        ("2.00.1493.3103", SiteVersion.SP3),
        ("2.00.1239.0000", SiteVersion.RTM),
        ("2.00.1380.1000", SiteVersion.SP1),
        ("2.00.1493.4000", SiteVersion.SP4),
    ],
)
def test_version_parsing(text: str, version: SiteVersion) -> None:
    assert SiteVersion.parse(text) is version


@pytest.mark.parametrize("text", ["3.0", "2.0 SP5", "", "2.00.9999.0000"])
def test_unknown_versions_name_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match="unknown SMS"):
        SiteVersion.parse(text)


def test_only_sp4_fixes_q278357() -> None:
    assert [v.fixes_q278357 for v in SiteVersion] == [False, False, False, False, True]
    assert [v.service_pack for v in SiteVersion] == [0, 1, 2, 3, 4]


def test_sender_types() -> None:
    assert SenderType.STANDARD.component == "SMS_LAN_SENDER"
    assert SenderType.COURIER.log_name == "Coursend.log" and not SenderType.COURIER.has_advanced_tab
    assert [t for t in SenderType if t.is_ras] == [
        SenderType.ASYNC_RAS,
        SenderType.ISDN_RAS,
        SenderType.X25_RAS,
        SenderType.SNA_RAS,
    ]
    assert SenderType.parse("standard sender") is SenderType.STANDARD
    with pytest.raises(ValueError, match="SMS_LAN_SENDER"):
        SenderType.parse("SMS_FAX_SENDER")


@pytest.mark.parametrize("version", [v for v in SiteVersion if v is not SiteVersion.SP4])
def test_q278357_boundary_before_sp4(version: SiteVersion) -> None:
    assert q278357_advisory(version, 5) is None
    advisory = q278357_advisory(version, 6)
    assert advisory is not None
    assert advisory.kb == "Q278357" and advisory.severity is Severity.WARNING
    assert advisory.field == "retry_delay_min" and advisory.fix_value == 5
    assert "6-minute" in advisory.title and version.label in advisory.title
    for words in ("heartbeat", "Win32 error 32", "5 minutes or less", "SP4"):
        assert words in advisory.text
    assert advisory.one_line.startswith("Q278357: ")


def test_q278357_never_on_sp4_and_follows_the_time_out_knob() -> None:
    assert all(q278357_advisory(SiteVersion.SP4, d) is None for d in range(1, 100))
    assert q278357_applies(SiteVersion.SP3, 8, heartbeat_timeout_min=7)
    assert not q278357_applies(SiteVersion.SP3, 7, heartbeat_timeout_min=7)


@given(st.sampled_from(list(SiteVersion)), st.integers(1, 99))
def test_advise_agrees_with_the_rule(version: SiteVersion, delay: int) -> None:
    found = advise(SenderSettings(retry_delay_min=delay), version)
    assert bool(found) == (delay > 5 and version is not SiteVersion.SP4)
    for a in found:
        assert a.to_json()["kb"] == "Q278357" and a.to_json()["text"].startswith(a.title)
