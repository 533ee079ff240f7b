"""One site's Standard Sender: its settings and version, its outbox, thread ids and send request numbers.

Every site of a scenario with addresses runs its own sender (DESIGN.md §4): a hop is sent by the sender of
the site that holds the request, with that site's settings (``SiteSpec.sender`` or the defaults 5/3/2/1; the
[sender] table for the scenario's sending site) and its version (which decides Q278357). The concurrency
limits, the thread ids (main thread 188, sending threads from 200), the request sequence and the busy-site
list are each sender's own. The engine keeps them in one simulation (one clock, one heap); the sender of the
scenario's [sender] site has ``index`` 0 and is the only one a scenario without addresses has.
"""

from __future__ import annotations

from console.engine.outbox import Outbox
from console.engine.state import Lane
from console.model.sender_settings import SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

MAIN_THREAD_ID = 188
FIRST_THREAD_ID = 200


class SiteSender:
    __slots__ = (
        "active",
        "busy",
        "code",
        "idle_logged",
        "index",
        "lanes",
        "next_seq",
        "next_tid",
        "outbox",
        "settings",
        "site",
        "version",
    )

    def __init__(self, index: int, site: Site, settings: SenderSettings) -> None:
        self.index = index
        self.site = site
        self.code = site.code
        self.settings = settings
        self.version: SiteVersion = site.version
        self.outbox = Outbox()
        self.active = 0  # sending threads of this sender
        self.next_tid = FIRST_THREAD_ID
        self.next_seq = 1  # the 4-character sequence of this sender's next request ID
        self.idle_logged = True
        self.lanes: dict[str, Lane] = {}
        self.busy: set[Lane] = set()  # lanes in a busy-site skip

    def apply(self, settings: SenderSettings) -> None:
        self.settings = settings
        for lane in self.lanes.values():
            lane.update_cap()
