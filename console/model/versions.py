"""SMS 2.0 releases and the one question the app keeps asking of them: is Q278357 fixed here?

The service-pack digit is the thousands digit of the build's last field (…1493.2000 is SP2,
…1493.3xxx is SP3, …1493.4xxx is SP4; research/sms-sender.md §2.2). Q278357 applies to 2.0
through SP3 and was first fixed in SP4, so "fixed" is simply ``service_pack >= 4``.
"""

from __future__ import annotations

import enum


class SiteVersion(enum.Enum):
    """One SMS 2.0 release; ``value`` is the label users type and files store."""

    RTM = "2.0"
    SP1 = "2.0 SP1"
    SP2 = "2.0 SP2"
    SP3 = "2.0 SP3"
    SP4 = "2.0 SP4"

    @property
    def label(self) -> str:
        return self.value

    @property
    def service_pack(self) -> int:
        return _SP[self]

    @property
    def build(self) -> str:
        """The full version string an SMS 2.0 site reports (SP3/SP4 use a representative build)."""
        return _BUILD[self]

    @property
    def fixes_q278357(self) -> bool:
        """True from SP4 on: the sending thread keeps its heartbeat fresh while it waits to retry."""
        return self.service_pack >= 4

    @classmethod
    def parse(cls, text: str) -> SiteVersion:
        """Accept the label ("2.0 SP3"), a short form ("SP3", "RTM") or a build ("2.00.1493.3000").

        Raises ValueError naming the accepted forms.
        """
        cleaned = " ".join(str(text).strip().split()).upper()
        for version in cls:
            if cleaned in {version.value.upper(), version.name, version.build}:
                return version
            if version is not cls.RTM and cleaned == version.name.replace("SP", "SP "):
                return version
        if cleaned.startswith("2.00."):
            return _from_build(cleaned)
        accepted = ", ".join(f'"{v.value}"' for v in cls)
        raise ValueError(f"unknown SMS version {text!r}; expected one of {accepted}")


_SP = {SiteVersion.RTM: 0, SiteVersion.SP1: 1, SiteVersion.SP2: 2, SiteVersion.SP3: 3, SiteVersion.SP4: 4}
_BUILD = {
    SiteVersion.RTM: "2.00.1239.0000",
    SiteVersion.SP1: "2.00.1380.1000",
    SiteVersion.SP2: "2.00.1493.2000",
    SiteVersion.SP3: "2.00.1493.3000",
    SiteVersion.SP4: "2.00.1493.4000",
}


def _from_build(build: str) -> SiteVersion:
    parts = build.split(".")
    if len(parts) == 4 and all(p.isdigit() for p in parts[1:]):
        if parts[2] == "1239":
            return SiteVersion.RTM
        if parts[2] == "1380":
            return SiteVersion.SP1
        if parts[2] == "1493" and parts[3][:1] in "234" and len(parts[3]) == 4:
            return {"2": SiteVersion.SP2, "3": SiteVersion.SP3, "4": SiteVersion.SP4}[parts[3][0]]
    raise ValueError(f"unknown SMS 2.0 build {build!r}")
