"""Bias (minutes to add to local time to get UTC) for the Windows zone names SMS 2.0 printed in its logs.

Why: an SMS 2.0 line says ``... 2000 Eastern Standard Time>``, not an offset, and merging two sites' logs by
time needs the offset. Times stay as written; the bias is only a sort key. The sign follows Windows (and the
CCM ``time="...+480"`` field): Pacific Standard Time is +480, Central Europe Standard Time is -60. A name not
in the table has no known bias (``None``): its lines merge by the time as written.
"""

from __future__ import annotations

import functools

_STANDARD_BIAS: dict[str, int] = {
    "Hawaiian": 600,
    "Alaskan": 540,
    "Pacific": 480,
    "Mountain": 420,
    "US Mountain": 420,
    "Central": 360,
    "Canada Central": 360,
    "Mexico": 360,
    "Central America": 360,
    "Eastern": 300,
    "US Eastern": 300,
    "SA Pacific": 300,
    "Atlantic": 240,
    "SA Western": 240,
    "Newfoundland": 210,
    "E. South America": 180,
    "SA Eastern": 180,
    "Greenland": 180,
    "Mid-Atlantic": 120,
    "Azores": 60,
    "GMT": 0,
    "Greenwich": 0,
    "W. Europe": -60,
    "Central Europe": -60,
    "Central European": -60,
    "Romance": -60,
    "W. Central Africa": -60,
    "E. Europe": -120,
    "GTB": -120,
    "FLE": -120,
    "Egypt": -120,
    "South Africa": -120,
    "Israel": -120,
    "Russian": -180,
    "Arab": -180,
    "Arabic": -180,
    "E. Africa": -180,
    "Iran": -210,
    "Arabian": -240,
    "Caucasus": -240,
    "Afghanistan": -270,
    "Ekaterinburg": -300,
    "West Asia": -300,
    "India": -330,
    "Nepal": -345,
    "Central Asia": -360,
    "SE Asia": -420,
    "China": -480,
    "Singapore": -480,
    "Taipei": -480,
    "W. Australia": -480,
    "Tokyo": -540,
    "Korea": -540,
    "Cen. Australia": -570,
    "AUS Central": -570,
    "AUS Eastern": -600,
    "E. Australia": -600,
    "Tasmania": -600,
    "West Pacific": -600,
    "Central Pacific": -660,
    "New Zealand": -720,
    "Fiji": -720,
}


@functools.lru_cache(maxsize=256)
def zone_bias(zone: str) -> int | None:
    """``"Pacific Daylight Time"`` -> 420; ``None`` for a name that is not in the table (or empty)."""
    for suffix, shift in ((" Standard Time", 0), (" Daylight Time", -60), (" Summer Time", -60)):
        if zone.endswith(suffix):
            base = _STANDARD_BIAS.get(zone[: -len(suffix)])
            return None if base is None else base + shift
    return None
