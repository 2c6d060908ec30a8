"""The real program under Xvfb: ``--screenshots`` saves a picture of every place."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(not shutil.which("xvfb-run"), reason="xvfb-run not installed"),
]

RUN = "import sys; from ties.ui.app import run; sys.exit(run(sys.argv[1:]))"
PLACES = ("today", "journal", "people", "person", "coverage", "map", "search")


def test_window_saves_a_screenshot_of_each_place(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    from ties.demo import write_demo

    journal = tmp_path / "sample.ties"
    write_demo(journal, people=80, entries=1500, seed=5).close()
    env = {**os.environ, "TIES_HOME": str(tmp_path / "home")}
    env.pop("QT_QPA_PLATFORM", None)
    out = tmp_path / "shots"
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", sys.executable, "-c", RUN,
         "--db", str(journal), "--screenshots", str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    for place in PLACES:
        image = QImage(str(out / f"{place}.png"))
        assert not image.isNull(), place
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 37)}  # fmt: skip
        assert len(colours) > 3, f"{place}.png is blank"
    assert QImage(str(out / "journal.png")).size().toTuple() == (1280, 800)
    # the lock was released when the window closed
    assert not (tmp_path / "sample.ties.lock").exists()
