"""Where the packaging files live, shared by the packaging tests."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.ties.Ties"
LINUX = ROOT / "packaging" / "linux"
DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO_FILE = LINUX / f"{APP_ID}.metainfo.xml"
INSTALL_SCRIPT = LINUX / "install-desktop.sh"
SPEC_FILE = ROOT / "packaging" / "ties.spec"
APP_ICON_DIR = ROOT / "resources" / "icon"
RUNTIME_ICON_DIR = ROOT / "src" / "ties" / "resources" / "icons"
TRANSLATIONS_DIR = ROOT / "resources" / "translations"
SCREENSHOTS_DIR = ROOT / "docs" / "screenshots"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


def pyproject_version() -> str:
    """The one version string, as written in pyproject.toml."""
    with (ROOT / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["version"])
