"""The six SMS 2.0 sender types (research/sms-sender.md §2.1).

All but the Courier Sender are one binary (Sender.dll) and log to Sender.log; RAS senders show
*Per site* fixed at 1 and disabled; the Courier Sender moves parcels by hand and has no Advanced tab.
"""

from __future__ import annotations

import enum


class SenderType(enum.Enum):
    STANDARD = ("Standard Sender", "SMS_LAN_SENDER", "Sender.log")
    ASYNC_RAS = ("Asynchronous RAS Sender", "SMS_ASYNC_RAS_SENDER", "Sender.log")
    ISDN_RAS = ("ISDN RAS Sender", "SMS_ISDN_RAS_SENDER", "Sender.log")
    X25_RAS = ("X25 RAS Sender", "SMS_X25_RAS_SENDER", "Sender.log")
    SNA_RAS = ("SNA RAS Sender", "SMS_SNA_RAS_SENDER", "Sender.log")
    COURIER = ("Courier Sender", "SMS_COURIER_SENDER", "Coursend.log")

    def __init__(self, display_name: str, component: str, log_name: str) -> None:
        self.display_name = display_name
        self.component = component
        self.log_name = log_name

    @property
    def is_ras(self) -> bool:
        return self.name.endswith("_RAS")

    @property
    def has_advanced_tab(self) -> bool:
        return self is not SenderType.COURIER

    @classmethod
    def parse(cls, text: str) -> SenderType:
        cleaned = str(text).strip().upper()
        for kind in cls:
            if cleaned in {kind.name, kind.component, kind.display_name.upper()}:
                return kind
        accepted = ", ".join(kind.component for kind in cls)
        raise ValueError(f"unknown sender type {text!r}; expected one of {accepted}")
