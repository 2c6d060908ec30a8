"""scripts/screenshots.py drives the real window under Xvfb and honours the dark scheme."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging_paths import METAINFO_FILE, ROOT

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(not shutil.which("xvfb-run"), reason="xvfb-run not installed"),
]


def test_dark_screenshots_of_every_place(tmp_path: Path) -> None:
    from PySide6.QtGui import QImage

    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "screenshots.py"), "--out", str(tmp_path),
         "--schemes", "dark"],
        check=True,
        capture_output=True,
        timeout=300,
    )  # fmt: skip
    names = {p.name for p in tmp_path.glob("*.png")}
    for place in ("today", "journal", "person", "coverage", "map"):
        assert f"{place}-dark.png" in names
    image = QImage(str(tmp_path / "today-dark.png"))
    assert (image.width(), image.height()) == (1280, 800)
    # the status bar corner: window background, dark in the dark scheme
    assert image.pixelColor(image.width() - 40, image.height() - 40).lightness() < 100


def test_metainfo_screenshots_are_ones_the_script_writes() -> None:
    text = METAINFO_FILE.read_text(encoding="utf-8")
    for place in ("today", "journal", "person", "coverage", "map"):
        assert f"/docs/screenshots/{place}-" in text
    for url in text.split("docs/screenshots/")[1:]:
        name = url.split("<", 1)[0]
        assert (ROOT / "docs" / "screenshots" / name).is_file(), name
