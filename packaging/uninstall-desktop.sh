#!/usr/bin/env bash
# Remove exactly what install-desktop.sh installed for the current user: the menu entry, the two icons and the
# MIME type's package file (the MIME and desktop databases are then rebuilt from what is left).
# Nothing else is touched (your site database and logs stay; see README "Start it").
set -euo pipefail
app_id=org.senderconsole.SenderConsole
data="${XDG_DATA_HOME:-$HOME/.local/share}"
apps="$data/applications"
icons="$data/icons/hicolor"
mime="$data/mime"
removed=0
for f in "$apps/$app_id.desktop" "$icons/scalable/apps/$app_id.svg" "$icons/256x256/apps/$app_id.png" \
  "$mime/packages/$app_id.xml"; do
  if [ -e "$f" ]; then
    rm -f -- "$f"
    echo "removed $f"
    removed=$((removed + 1))
  fi
done
if [ -d "$mime/packages" ]; then
  command -v update-mime-database >/dev/null && update-mime-database "$mime" 2>/dev/null || true
fi
command -v update-desktop-database >/dev/null && update-desktop-database "$apps" 2>/dev/null || true
[ "$removed" -gt 0 ] || echo "nothing to remove: Sender Console's menu entry is not installed for ${USER:-$(id -un)}"
