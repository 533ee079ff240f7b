"""Send request IDs shaped like ``2_4O7PRI`` (KB Q278357) and ``1_C6CT01`` (KB Q276259).

The SMS 2.0 samples read as: priority digit, a 4-character sequence, the sending site's code. In both
2.0 samples the sequence is ``_`` plus three base-36 digits, so the first 46,655 requests of a run get
that form (``2_001PRI``...). INFERRED: past that, the sequence uses all four characters as base-36 digits
(``21000PRI``), the ConfigMgr shape ``202SQCS1``; IDs stay unique up to 36**4 - 1 requests.
"""

from __future__ import annotations

_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SHORT = 36**3
MAX_SEQUENCE = 36**4 - 1


def _base36(n: int, width: int) -> str:
    out = []
    for _ in range(width):
        n, r = divmod(n, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


def request_id(priority: int, sequence: int, site_code: str) -> str:
    if not 1 <= priority <= 3:
        raise ValueError(f"priority must be 1, 2 or 3; got {priority}")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"sequence must be from 1 to {MAX_SEQUENCE}; got {sequence}")
    seq = "_" + _base36(sequence, 3) if sequence < _SHORT else _base36(sequence, 4)
    return f"{priority}{seq}{site_code}"
