"""Screenshots of the real window for the README and the AppStream metainfo.

    .venv/bin/python scripts/screenshots.py                 # → docs/screenshots/*-{light,dark}.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --schemes dark

Writes a fresh sample journal (``ties demo``) into a temp folder, then starts the
window under Xvfb (``xvfb-run``; with ``--no-xvfb`` on the current display) once
per colour scheme and saves every place (Today, Journal, People, a person's
page with the reciprocity timeline, Coverage, Map, and the search box) as
``<place>-<scheme>.png``. It goes through :func:`ties.ui.app.run` with
``--screenshots``, the window's own flag, so the pictures show the real program.

Qt's platform theme under Xvfb ignores a request for a dark scheme, so for
``dark`` the palette is set on the application before the window is built.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Qt is imported only in the window process
    from PySide6.QtGui import QPalette

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
SCHEMES = ("light", "dark")
XVFB_SCREEN = "1600x1000x24"
#: Longest wait for background work (map layout, reports) before a grab.
IDLE_TIMEOUT_S = 20.0


def dark_palette() -> QPalette:
    """A dark palette for Qt's Fusion style, like the one Qt uses on dark desktops."""
    from PySide6.QtGui import QColor, QPalette

    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colours = {
        role.Window: "#2b2d31",
        role.WindowText: "#e6e6e6",
        role.Base: "#1f2023",
        role.AlternateBase: "#26282c",
        role.ToolTipBase: "#3a3d42",
        role.ToolTipText: "#f0f0f0",
        role.PlaceholderText: "#8e939b",
        role.Text: "#e6e6e6",
        role.Button: "#34363b",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ff6b6b",
        role.Light: "#45484e",
        role.Midlight: "#3b3e43",
        role.Mid: "#4a4d53",
        role.Dark: "#1a1b1e",
        role.Shadow: "#000000",
        role.Highlight: "#3d7fc4",
        role.HighlightedText: "#ffffff",
        role.Link: "#79b2ff",
        role.LinkVisited: "#b79cff",
    }
    for r, colour in colours.items():
        p.setColor(r, QColor(colour))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7b7f86"))
    return p


def _wait_until_idle() -> None:
    """Let background jobs (map layout, reports) finish and their results paint."""
    from PySide6.QtCore import QEventLoop, QThreadPool, QTimer

    def spin(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    spin(250)
    pool = QThreadPool.globalInstance()
    deadline = time.monotonic() + IDLE_TIMEOUT_S
    while pool.activeThreadCount() and time.monotonic() < deadline:
        spin(50)
    spin(400)  # results arrive through signals, then the map settles its layout


def window_process(journal: Path, out: Path, scheme: str) -> int:
    """Inside Xvfb: build the real window on ``journal`` and save each place."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    import ties.ui.screenshots as shots
    from ties.ui import app as ui_app

    app = QApplication([sys.argv[0], "-platform", "xcb"] if os.environ.get("DISPLAY") else [])
    app.styleHints().setColorScheme(
        Qt.ColorScheme.Dark if scheme == "dark" else Qt.ColorScheme.Light
    )
    if scheme == "dark" and app.palette().color(app.palette().ColorRole.Window).lightness() > 127:
        app.setPalette(dark_palette())
    shots._settle = lambda ms=250: _wait_until_idle()  # wait for jobs, not a fixed time
    original = shots.take_all
    shots.take_all = lambda window, folder, suffix="": original(window, folder, f"-{scheme}")
    return ui_app.run(["--db", str(journal), "--screenshots", str(out), "--color-scheme", scheme])


def write_sample(journal: Path, env: dict[str, str]) -> None:
    code = "import sys; from ties.cli import main; sys.exit(main())"
    subprocess.run([sys.executable, "-c", code, "demo", "--db", str(journal)], check=True, env=env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the PNGs")
    parser.add_argument("--schemes", nargs="+", choices=SCHEMES, default=list(SCHEMES))
    parser.add_argument("--no-xvfb", action="store_true", help="use the current display")
    parser.add_argument("--window-process", nargs=2, metavar=("JOURNAL", "SCHEME"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.window_process:
        journal, scheme = args.window_process
        return window_process(Path(journal), args.out, scheme)

    if not args.no_xvfb and not shutil.which("xvfb-run"):
        parser.error("xvfb-run not found (apt install xvfb), or pass --no-xvfb")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ties-screenshots-") as tmp:
        env = {**os.environ, "TIES_HOME": str(Path(tmp) / "home")}
        env.pop("TIES_DB", None)
        env.pop("QT_QPA_PLATFORM", None)
        journal = Path(tmp) / "sample.ties"
        write_sample(journal, env)
        for scheme in args.schemes:
            command = [sys.executable, str(Path(__file__).resolve()), "--out", str(args.out),
                       "--window-process", str(journal), scheme]  # fmt: skip
            if not args.no_xvfb:
                command = ["xvfb-run", "-a", "-s", f"-screen 0 {XVFB_SCREEN}", *command]
            subprocess.run(command, check=True, env=env, timeout=600)
    for path in sorted(args.out.glob("*.png")):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
