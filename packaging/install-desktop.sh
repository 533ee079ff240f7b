#!/usr/bin/env bash
# Add Sender Console to the desktop menu of the current user (Linux, freedesktop.org), and offer it for SMS logs
# (.log, .lo_) through a MIME type of its own, application/x-sms-log (resources/org.senderconsole.SenderConsole.xml).
# Uses the bundle in dist/ when built, else the sender-console command of the project's .venv.
# packaging/uninstall-desktop.sh removes exactly what this installs.
set -euo pipefail
cd "$(dirname "$0")/.."
app_id=org.senderconsole.SenderConsole
exec_path="$PWD/dist/sender-console/sender-console"
[ -x "$exec_path" ] || exec_path="$PWD/.venv/bin/sender-console"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"
mime="$data/mime"
mkdir -p "$apps" "$icons/scalable/apps" "$icons/256x256/apps" "$mime/packages"
cp resources/icons/sender-console.svg "$icons/scalable/apps/$app_id.svg"
cp resources/icons/sender-console.png "$icons/256x256/apps/$app_id.png"
cp "resources/$app_id.xml" "$mime/packages/$app_id.xml"
# Exec=sender-console log %F: the menu starts the console (no file); a file manager passes the logs to the viewer.
sed "s|^Exec=sender-console|Exec=$exec_path|" "resources/$app_id.desktop" > "$apps/$app_id.desktop"
command -v update-mime-database >/dev/null && update-mime-database "$mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" || true
echo "installed $apps/$app_id.desktop (Exec=$exec_path log %F) and the MIME type application/x-sms-log"
