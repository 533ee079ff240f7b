#!/usr/bin/env bash
# Build the one-folder bundle into dist/sender-console/ and smoke-test it offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m pip install -q -e ".[package]"
.venv/bin/python -m PyInstaller --noconfirm --clean packaging/sender-console.spec
tmp=$(mktemp -d)
QT_QPA_PLATFORM=offscreen dist/sender-console/sender-console --config-dir "$tmp" properties LAB \
  --screenshot "$tmp/smoke.png"
test -s "$tmp/smoke.png" && echo "bundle OK: dist/sender-console/sender-console ($(du -sh dist/sender-console | cut -f1))"
