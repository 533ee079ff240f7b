"""Standard Sender settings (the Advanced tab) with their defaults and ranges, in one table.

Defaults and ranges: DESIGN.md §3 (help-page defaults 5/3/2/1; 999 maximum for both concurrency
limits per KB Q319166; 1–99 for retries and delay as ConfigMgr's tooling validates them).
Everything that shows or checks a value (the sheet's spin boxes, the ``sender`` command, the
settings store, scenario files) reads this table, so a range is written down exactly once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

HEARTBEAT_TIMEOUT_MIN = 5
"""The sender heartbeat time-out of SMS 2.0, in minutes (KB Q278357)."""


@dataclass(frozen=True)
class Field:
    """One setting: its attribute and file key, the label on the sheet, default and inclusive range."""

    key: str
    label: str
    default: int
    minimum: int
    maximum: int
    unit: str = ""

    def check(self, value: Any) -> int:
        """Return ``value`` as an int, or raise SettingError naming the field and the rule."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingError(self, value, f"must be a whole number from {self.minimum} to {self.maximum}")
        if not self.minimum <= value <= self.maximum:
            raise SettingError(self, value, f"must be from {self.minimum} to {self.maximum}")
        return value


class SettingError(ValueError):
    """A sender setting outside its type or range; ``str()`` is a complete user-facing sentence."""

    def __init__(self, field: Field, value: Any, rule: str) -> None:
        self.field = field
        self.value = value
        self.rule = rule
        super().__init__(f"{field.label} ({field.key}) {rule}; got {value!r}")


FIELDS: tuple[Field, ...] = (
    Field("all_sites", "All sites", 5, 1, 999),
    Field("per_site", "Per site", 3, 1, 999),
    Field("retries", "Number of retries", 2, 1, 99),
    Field("retry_delay_min", "Delay before retrying", 1, 1, 99, "minutes"),
)
FIELD_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}


@dataclass(frozen=True)
class SenderSettings:
    """The four values of the Advanced tab. Construction validates, so an instance is always in range."""

    all_sites: int = 5
    per_site: int = 3
    retries: int = 2
    retry_delay_min: int = 1

    def __post_init__(self) -> None:
        for f in FIELDS:
            f.check(getattr(self, f.key))

    def replace(self, **changes: Any) -> SenderSettings:
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, int]:
        return {f.key: getattr(self, f.key) for f in FIELDS}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, where: str = "sender settings") -> SenderSettings:
        """Build from a mapping; unknown keys and bad values raise ValueError naming ``where``."""
        unknown = sorted(set(data) - set(FIELD_BY_KEY))
        if unknown:
            raise ValueError(f"{where}: unknown key {unknown[0]!r}; expected {', '.join(FIELD_BY_KEY)}")
        try:
            return cls(**data)
        except SettingError as exc:
            raise ValueError(f"{where}: {exc}") from exc

    @classmethod
    def for_ras(cls, **values: int) -> SenderSettings:
        """RAS senders: Per site is fixed at 1 (the sheet shows it disabled)."""
        return cls(**{**values, "per_site": 1})
