#!/bin/sh
# Put Ties in the application menu of the current user (no root needed).
#
#   packaging/linux/install-desktop.sh                 # use .venv/bin/ties-gui, else ties-gui on PATH
#   packaging/linux/install-desktop.sh --exec dist/ties/ties   # a PyInstaller build instead
#   packaging/linux/install-desktop.sh --uninstall
#
# Installs the .desktop file, the AppStream metainfo and the icons (SVG and PNG sizes)
# under ${XDG_DATA_HOME:-~/.local/share}; --data-dir DIR installs somewhere else (tests).
set -eu

APP_ID=io.github.ties.Ties
HERE=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
ROOT=$(CDPATH= cd -- "$HERE/../.." && pwd)
DATA_DIR=${XDG_DATA_HOME:-$HOME/.local/share}
EXEC=""
UNINSTALL=0

usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "install-desktop: error: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
        --exec) [ $# -ge 2 ] || die "--exec needs a path"; EXEC=$2; shift 2 ;;
        --data-dir) [ $# -ge 2 ] || die "--data-dir needs a path"; DATA_DIR=$2; shift 2 ;;
        --uninstall) UNINSTALL=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option: $1 (see --help)" ;;
    esac
done

SIZES="16 32 48 64 128 256 512"
APPS="$DATA_DIR/applications"
METAINFO="$DATA_DIR/metainfo"
ICONS="$DATA_DIR/icons/hicolor"

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$APPS" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$ICONS/index.theme" ]; then
        gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true
    fi
}

if [ "$UNINSTALL" -eq 1 ]; then
    rm -f "$APPS/$APP_ID.desktop" "$METAINFO/$APP_ID.metainfo.xml" \
        "$ICONS/scalable/apps/$APP_ID.svg"
    for size in $SIZES; do rm -f "$ICONS/${size}x${size}/apps/$APP_ID.png"; done
    refresh_caches
    echo "Removed Ties from the application menu ($DATA_DIR)."
    exit 0
fi

if [ -z "$EXEC" ]; then
    if [ -x "$ROOT/.venv/bin/ties-gui" ]; then
        EXEC="$ROOT/.venv/bin/ties-gui"
    elif command -v ties-gui >/dev/null 2>&1; then
        EXEC=$(command -v ties-gui)
    else
        die "no ties-gui found: run 'make run' once (it creates .venv) or pass --exec PATH"
    fi
fi
[ -x "$EXEC" ] || die "not an executable file: $EXEC"
EXEC=$(CDPATH= cd -- "$(dirname -- "$EXEC")" && pwd)/$(basename -- "$EXEC")
case "$EXEC" in
    *[\"\`\$\\]*) die "cannot put this path in a .desktop file: $EXEC" ;;
    *" "*) EXEC_FIELD="\"$EXEC\"" ;;
    *) EXEC_FIELD=$EXEC ;;
esac

mkdir -p "$APPS" "$METAINFO" "$ICONS/scalable/apps"
sed -e "s|^Exec=.*|Exec=$EXEC_FIELD|" -e "s|^TryExec=.*|TryExec=$EXEC|" \
    "$HERE/$APP_ID.desktop" > "$APPS/$APP_ID.desktop"
chmod 644 "$APPS/$APP_ID.desktop"
cp "$HERE/$APP_ID.metainfo.xml" "$METAINFO/$APP_ID.metainfo.xml"
cp "$ROOT/resources/icon/ties.svg" "$ICONS/scalable/apps/$APP_ID.svg"
for size in $SIZES; do
    mkdir -p "$ICONS/${size}x${size}/apps"
    cp "$ROOT/resources/icon/ties-$size.png" "$ICONS/${size}x${size}/apps/$APP_ID.png"
done
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$APPS/$APP_ID.desktop"
fi
refresh_caches
echo "Installed Ties in the application menu ($APPS/$APP_ID.desktop, runs $EXEC)."
