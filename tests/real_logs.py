"""Where the two real ConfigMgr logs are: ``shared/reallogs`` beside the checkout (CI and the team's machines
have it), or ``SENDER_CONSOLE_REAL_LOGS``. They are third-party files without a licence, so they are read from
there, never copied into the repository; a checkout without them skips the tests that need them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REAL_LOGS = Path(os.environ.get("SENDER_CONSOLE_REAL_LOGS", ROOT.parent / "shared" / "reallogs"))
REAL_SMALL = REAL_LOGS / "github-maxmoonACR-MDTLOGFiles-smsts.log"
REAL_LARGE = REAL_LOGS / "github-ErnestoLeon87-log_reader-smsts.log"

needs_real_logs = pytest.mark.skipif(
    not (REAL_SMALL.is_file() and REAL_LARGE.is_file()),
    reason=f"the real logs are not at {REAL_LOGS} (set SENDER_CONSOLE_REAL_LOGS)",
)
