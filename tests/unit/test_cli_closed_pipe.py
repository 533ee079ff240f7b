"""``sender-console ... | head -0``: a reader that goes away is not an error (exit 0, nothing on stderr).

Run in a child process with stdout a pipe whose read end is already closed, both with PYTHONUNBUFFERED set
(each write meets the closed pipe) and unset (the output stays in the buffer until the final flush, the
default on Debian 12's Python 3.11).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

COMMANDS = [
    ["sites"],
    ["sites", "--json"],
    ["sender", "LAB"],
    ["sender", "LAB", "--json"],
    ["simulate", "q278357-sp3"],
    ["scenarios"],
    ["--help"],
    ["sites", "--help"],
    ["--version"],
]


def _run_into_closed_pipe(argv: list[str], config: Path, unbuffered: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = str(ROOT)
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        return subprocess.run(
            [sys.executable, "-m", "console", *argv, "--config-dir", str(config)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            cwd=ROOT,
            timeout=60,
            text=True,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_closed_pipe_exits_0_quietly(tmp_path: Path, argv: list[str], unbuffered: bool) -> None:
    done = _run_into_closed_pipe(argv, tmp_path / "cfg", unbuffered)
    stderr = "\n".join(line for line in done.stderr.splitlines() if not line.startswith("warning: Q278357"))
    assert (done.returncode, stderr) == (0, "")
