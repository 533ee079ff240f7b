#!/usr/bin/env bash
# Add Sender Console to the desktop menu of the current user (Linux, freedesktop.org).
# Uses the bundle in dist/ when built, else the sender-console command of the project's .venv.
# packaging/uninstall-desktop.sh removes exactly what this installs.
set -euo pipefail
cd "$(dirname "$0")/.."
app_id=org.senderconsole.SenderConsole
exec_path="$PWD/dist/sender-console/sender-console"
[ -x "$exec_path" ] || exec_path="$PWD/.venv/bin/sender-console"
apps="${XDG_DATA_HOME:-$HOME/.local/share}/applications"
icons="${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor"
mkdir -p "$apps" "$icons/scalable/apps" "$icons/256x256/apps"
cp resources/icons/sender-console.svg "$icons/scalable/apps/$app_id.svg"
cp resources/icons/sender-console.png "$icons/256x256/apps/$app_id.png"
sed "s|^Exec=.*|Exec=$exec_path|" "resources/$app_id.desktop" > "$apps/$app_id.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
echo "installed $apps/$app_id.desktop (Exec=$exec_path)"
