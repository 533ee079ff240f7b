"""Site codes and server names: the two naming rules that sites and addresses share.

A module of its own so that ``addresses`` (which validates an address's server) and ``sites`` (whose
database holds the addresses) can both use them without importing each other.
"""

from __future__ import annotations

import re
import sys

_CODE = re.compile(r"^[A-Z0-9]{3}$")
SERVER_FORBIDDEN = '"/\\[];:|=+*?,<>'
"""The characters the address dialog's help lists as prohibited in a site server name (research §1.5)."""
MAX_SERVER_NAME = 15


def check_site_code(code: str) -> str:
    """Return the upper-cased code, or raise ValueError saying what a code must look like."""
    cleaned = str(code).strip().upper()
    if not _CODE.match(cleaned):
        raise ValueError(f"site code {code!r} must be exactly three letters or digits (e.g. PRI)")
    return sys.intern(cleaned)  # one object per code: a scenario names each site in thousands of sends


class ServerNameError(ValueError):
    """A server name Windows (and so the site and address dialogs) would refuse; ``str()`` states the rule."""


def check_server_name(server: str) -> str:
    """Upper-cased, leading backslashes dropped; 1-15 characters, none of " / \\ [ ] : ; | = + * ? , < >.

    The set is the one the address dialog's help lists (research §1.5); a name of spaces only is empty.
    """
    cleaned = str(server).strip().lstrip("\\").strip()
    if not cleaned:
        raise ServerNameError("server name must not be empty")
    if len(cleaned) > MAX_SERVER_NAME:
        raise ServerNameError(f"server name {cleaned!r} is longer than {MAX_SERVER_NAME} characters")
    bad = sorted(set(cleaned) & set(SERVER_FORBIDDEN))
    if bad:
        raise ServerNameError(f"server name {cleaned!r} contains {''.join(bad)!r}, which Windows names cannot hold")
    return cleaned.upper()
