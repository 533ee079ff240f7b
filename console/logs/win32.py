"""Win32 error texts for the codes sender logs show (CMTrace's "Error Lookup", for our formats).

Why a table of our own: a Linux or macOS machine has no ``FormatMessage``, and the system's wording would not
say what the code means *for a sender* anyway. Each entry is the winerror.h constant name (a fact) and a
short explanation written for this project in our own words, aimed at someone reading Sender.log. Codes
also appear as HRESULTs in later logs (``80070020`` is Win32 error 32), so ``win32_code`` unwraps those.
"""

from __future__ import annotations

import re

WIN32_ERRORS: dict[int, tuple[str, str]] = {
    0: ("ERROR_SUCCESS", "no error; the step worked"),
    2: ("ERROR_FILE_NOT_FOUND", "a file the step needed is not there (deleted, or never copied)"),
    3: ("ERROR_PATH_NOT_FOUND", "a folder in the path is missing, e.g. an inbox or the share's folder"),
    5: ("ERROR_ACCESS_DENIED", "the sender's account may not use the share or file"),
    6: ("ERROR_INVALID_HANDLE", "the step used a file or connection handle that was already closed"),
    32: (
        "ERROR_SHARING_VIOLATION",
        "the remote file is still held open by another handle (Q278357: a thread "
        "that gave up after its heartbeat expired)",
    ),
    33: ("ERROR_LOCK_VIOLATION", "part of the file is locked by another process"),
    51: ("ERROR_REM_NOT_LIST", "the remote computer is not listening (server service stopped or not reachable)"),
    53: ("ERROR_BAD_NETPATH", "the server could not be reached on the network"),
    54: ("ERROR_NETWORK_BUSY", "the network or the server was too busy to answer; a later try may work"),
    58: ("ERROR_BAD_NET_RESP", "the server answered in a way the redirector did not understand"),
    59: ("ERROR_UNEXP_NET_ERR", "the network failed in the middle of the step (a dropped link, a reset)"),
    64: ("ERROR_NETNAME_DELETED", "the connection to the share was lost while it was in use"),
    65: ("ERROR_NETWORK_ACCESS_DENIED", "the server refused network access to the account"),
    67: ("ERROR_BAD_NET_NAME", "the server answered but has no such share (check the address's server name)"),
    86: ("ERROR_INVALID_PASSWORD", "the password of the connection account is wrong or has changed"),
    112: ("ERROR_DISK_FULL", "the destination disk is full"),
    121: ("ERROR_SEM_TIMEOUT", "the network did not answer in time (a slow or broken link)"),
    487: ("ERROR_INVALID_ADDRESS", "the address given for the destination is not valid"),
    1203: ("ERROR_NO_NET_OR_BAD_PATH", "no network provider accepted the path (no network, or a malformed name)"),
    1219: (
        "ERROR_SESSION_CREDENTIAL_CONFLICT",
        "the computer is already connected to that server under another account; disconnect it first",
    ),
    1222: ("ERROR_NO_NETWORK", "the network is not present or not started on the site server"),
    1231: ("ERROR_NETWORK_UNREACHABLE", "there is no route to the destination's network"),
    1311: ("ERROR_NO_LOGON_SERVERS", "no domain controller could be found to check the account"),
    1326: ("ERROR_LOGON_FAILURE", "the account name or password of the connection account is wrong"),
    1385: (
        "ERROR_LOGON_TYPE_NOT_GRANTED",
        "the account lacks the right to log on from the network on the destination server",
    ),
    1722: ("RPC_S_SERVER_UNAVAILABLE", "the remote server's RPC service cannot be reached (down or blocked)"),
    2250: ("ERROR_NOT_CONNECTED", "there was no network connection to close"),
}
"""Error look-up for the codes a sender log shows: constant name and what it means here, in our own words."""

_HRESULT = re.compile(r"^(?:0x)?8007([0-9a-f]{4})$", re.IGNORECASE)


def win32_code(value: int | str) -> int | None:
    """The Win32 code of ``32``, ``"32"``, ``"0x80070020"`` or ``"80070020"`` (an HRESULT of facility Win32)."""
    if isinstance(value, int):
        return value if value >= 0 else None
    text = value.strip()
    m = _HRESULT.match(text)
    if m:
        return int(m.group(1), 16)
    return int(text) if text.isdigit() else None


def win32_name(code: int) -> str | None:
    known = WIN32_ERRORS.get(code)
    return None if known is None else known[0]


def describe_win32_error(code: int) -> str:
    """``"32 ERROR_SHARING_VIOLATION: ..."`` or ``"Win32 error 1234"`` for codes not in the table."""
    known = WIN32_ERRORS.get(code)
    if known is None:
        return f"Win32 error {code}"
    name, meaning = known
    return f"{code} {name}: {meaning}"
