#!/usr/bin/env bash
# Set-up and run in one step, on a fresh Debian/Ubuntu machine or an existing checkout.
#   bash run.sh app [ARGS...]    start Sender Console (the demo hierarchy is seeded on first start)
#   bash run.sh test [ARGS...]   ruff, the import contracts, then the test suite headless (Qt offscreen)
# It installs the Debian libraries Qt needs (when missing, with apt-get as root or via sudo),
# creates .venv, installs the project with its test extra, and re-installs only when
# pyproject.toml changes.
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-}
[ $# -gt 0 ] && shift
case "$mode" in
  app|test) ;;
  *) echo "usage: bash run.sh app|test [ARGS...]" >&2; exit 2 ;;
esac

# Qt offscreen (tests, screenshots) and Qt on an X11 desktop (xcb plugin); research/baseline.md §2.
debs_offscreen="libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libglib2.0-0 libdbus-1-3 libx11-6 fonts-dejavu-core"
debs_desktop="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxkbcommon-x11-0 libx11-xcb1 libxcb-xinerama0"
want="$debs_offscreen"
[ "$mode" = app ] && want="$want $debs_desktop"
# desktop-file-validate: the tests check the .desktop entry with it.
[ "$mode" = test ] && want="$want desktop-file-utils"
apt_install() {
  echo "run.sh: installing Debian packages: $*" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=""
if command -v dpkg-query >/dev/null 2>&1; then
  for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
  done
fi
# shellcheck disable=SC2086
[ -n "$missing" ] && apt_install $missing

if [ ! -x .venv/bin/python ]; then
  # Debian's python3 needs python3-venv (ensurepip) before it can make a venv.
  if ! python3 -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    python3 -m venv .venv
  fi
fi
stamp=.venv/.sender-console-installed
want_stamp=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[test]"
  echo "$want_stamp" > "$stamp"
fi

if [ "$mode" = test ]; then
  export QT_QPA_PLATFORM=offscreen
  # Lint, format and layer checks first: CI fails on any of them as on a failing test.
  .venv/bin/ruff check --quiet console tests packaging
  .venv/bin/ruff format --check --quiet console tests packaging
  .venv/bin/lint-imports --no-logo --no-cache
  exec .venv/bin/python -m pytest "$@"
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run.sh: no display found; the window opens offscreen (use --screenshot FILE.png to see it)" >&2
  export QT_QPA_PLATFORM=offscreen
fi
exec .venv/bin/sender-console "$@"
