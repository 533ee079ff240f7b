"""The Win32 error table: every code senders log, constant names, explanations in our own words."""

from __future__ import annotations

import pytest

from console.logs.win32 import WIN32_ERRORS, describe_win32_error, win32_code, win32_name

REQUIRED = (2, 3, 5, 32, 53, 54, 59, 64, 67, 86, 112, 121, 1219, 1222, 1311, 1326, 1385, 1722)

# The system's own message texts (winerror.h / FormatMessage): our table must not copy them.
SYSTEM_TEXTS = (
    "The process cannot access the file because it is being used by another process.",
    "The network path was not found.",
    "The network name cannot be found.",
    "There is not enough space on the disk.",
    "Access is denied.",
    "The system cannot find the file specified.",
)


@pytest.mark.parametrize("code", REQUIRED)
def test_required_codes_are_explained(code: int) -> None:
    name, meaning = WIN32_ERRORS[code]
    assert name.startswith(("ERROR_", "RPC_S_"))
    assert len(meaning) > 15
    assert describe_win32_error(code) == f"{code} {name}: {meaning}"


def test_names_of_well_known_codes() -> None:
    assert win32_name(32) == "ERROR_SHARING_VIOLATION"
    assert win32_name(53) == "ERROR_BAD_NETPATH"
    assert win32_name(67) == "ERROR_BAD_NET_NAME"
    assert win32_name(1326) == "ERROR_LOGON_FAILURE"
    assert win32_name(1722) == "RPC_S_SERVER_UNAVAILABLE"
    assert win32_name(99999) is None


def test_texts_are_our_own_words() -> None:
    ours = {meaning.lower() for _, meaning in WIN32_ERRORS.values()}
    for text in SYSTEM_TEXTS:
        assert text.lower().rstrip(".") not in ours


def test_error_32_points_at_q278357() -> None:
    assert "Q278357" in describe_win32_error(32)


def test_unknown_code() -> None:
    assert describe_win32_error(9999) == "Win32 error 9999"


@pytest.mark.parametrize(
    ("value", "code"),
    [(32, 32), ("32", 32), ("0x80070020", 32), ("80070057", 0x57), ("0x80004005", None), ("abc", None), (-1, None)],
)
def test_win32_code_unwraps_hresults(value: int | str, code: int | None) -> None:
    assert win32_code(value) == code
