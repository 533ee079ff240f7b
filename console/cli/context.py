"""What every command needs: the resolved paths and the site database, with notices printed once."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cached_property
from typing import TextIO

from console.model.paths import AppPaths
from console.model.site_store import LoadResult, SiteStore


@dataclass
class CliContext:
    paths: AppPaths
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    @cached_property
    def store(self) -> SiteStore:
        """One store per command: it remembers what it read, so its save merges with changes made meanwhile."""
        return SiteStore(self.paths.sites_file)

    def load_sites(self) -> LoadResult:
        """Load (or seed) the site database; a bad file's notice goes to stderr."""
        result = self.store.load()
        if result.notice:
            self.stderr.write(f"sender-console: notice: {result.notice}\n")
        return result
