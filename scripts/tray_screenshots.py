"""Screenshots of the tray menu and the quick-add window, for the README and docs/window.md.

    .venv/bin/python scripts/tray_screenshots.py   # → docs/screenshots/{tray-menu,quick-add}.png
    .venv/bin/python scripts/tray_screenshots.py --out /tmp/shots

Runs itself under Xvfb (``xvfb-run``) on a fresh sample journal: opens the
tray's menu as a right-click would (with the tray icon and its Today count
drawn beside it) and the quick-add window with a line typed in, and saves Qt's
grab of each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
LINE = 'received #career_guidance from @"Ana Ruiz" yesterday w2: CV review'


def shoot(out: Path) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QColor, QPainter, QPixmap
    from PySide6.QtWidgets import QApplication

    from ties.demo import write_demo
    from ties.ui.app import make_app
    from ties.ui.context import AppContext
    from ties.ui.main_window import MainWindow
    from ties.ui.tray import TrayAgent

    app = make_app()
    home = Path(tempfile.mkdtemp(prefix="ties-shots-"))
    store = write_demo(home / "sample.ties", people=60, entries=1500, seed=3, today=date.today())
    window = MainWindow(AppContext(store))
    agent = TrayAgent(window, available=False)
    agent.refresh()
    deadline = 200
    while agent.count is None and deadline:
        app.processEvents()
        QApplication.instance().thread().msleep(50)  # type: ignore[union-attr]
        deadline -= 1
    # The menu as a right-click on the tray icon opens it, with the icon drawn above.
    agent.menu.popup(QPoint(200, 200))
    for _ in range(20):
        app.processEvents()
    menu = agent.menu.grab()
    icon = agent.tray.icon().pixmap(48, 48)
    canvas = QPixmap(menu.width() + 24, menu.height() + 84)
    canvas.fill(QColor("#2b2f36"))
    painter = QPainter(canvas)
    painter.drawPixmap(canvas.width() - 12 - 48, 12, icon)
    painter.drawPixmap(12, 72, menu)
    painter.end()
    canvas.save(str(out / "tray-menu.png"))
    agent.menu.hide()
    # The quick-add window with a line typed in and its preview.
    agent.quick_add()
    win = agent.quick_window
    win.quick.line.setText(LINE)
    win.quick.line.setCursorPosition(len(LINE))
    for _ in range(60):
        app.processEvents()
        app.thread().msleep(20)
    popup = win.quick.completer.popup()
    if popup is not None:
        popup.hide()
    win.grab().save(str(out / "quick-add.png"))
    win.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    win.close()
    store.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-xvfb", action="store_true", help="use the current display")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if not args.no_xvfb and not os.environ.get("TIES_SHOTS_INNER"):
        if not shutil.which("xvfb-run"):
            print("xvfb-run is not installed; use --no-xvfb", file=sys.stderr)
            return 1
        env = dict(os.environ, TIES_SHOTS_INNER="1", TIES_HOME=tempfile.mkdtemp())
        env.pop("QT_QPA_PLATFORM", None)
        cmd = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, __file__]
        return subprocess.run([*cmd, "--out", str(args.out)], env=env).returncode
    shoot(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
