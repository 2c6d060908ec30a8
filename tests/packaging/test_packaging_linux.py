"""The Linux desktop files: valid for the desktop's own validators, consistent, installable."""

from __future__ import annotations

import configparser
import os
import shutil
import stat
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from packaging_paths import (
    APP_ICON_DIR,
    APP_ID,
    DESKTOP_FILE,
    INSTALL_SCRIPT,
    METAINFO_FILE,
    PNG_SIZES,
)

needs_sh = pytest.mark.skipif(os.name != "posix", reason="the install script is a POSIX sh script")


def desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


@pytest.mark.skipif(not shutil.which("desktop-file-validate"), reason="desktop-file-utils missing")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP_FILE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower(), result.stdout


@pytest.mark.skipif(not shutil.which("appstreamcli"), reason="appstream tools missing")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO_FILE)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_file_and_metainfo_name_the_same_app() -> None:
    entry = desktop_entry(DESKTOP_FILE)
    root = ET.parse(METAINFO_FILE).getroot()
    assert entry["Icon"] == APP_ID
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert entry["Name"] == root.findtext("name")


def test_metainfo_shows_the_five_places() -> None:
    root = ET.parse(METAINFO_FILE).getroot()
    images = [img.text or "" for img in root.iter("image")]
    names = {url.rsplit("/", 1)[-1].split("-")[0] for url in images}
    assert names == {"today", "journal", "person", "coverage", "map"}
    assert all(url.startswith("https://") for url in images)


def test_every_icon_size_the_installer_copies_exists() -> None:
    from PySide6.QtGui import QImage

    for size in PNG_SIZES:
        image = QImage(str(APP_ICON_DIR / f"ties-{size}.png"))
        assert (image.width(), image.height()) == (size, size), size
    assert (APP_ICON_DIR / "ties.svg").is_file()


def fake_executable(tmp_path: Path) -> Path:
    exe = tmp_path / "bin dir" / "ties-gui"
    exe.parent.mkdir()
    exe.write_text("#!/bin/sh\nexit 0\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    return exe


@needs_sh
def test_install_script_installs_and_uninstalls_for_the_user(tmp_path: Path) -> None:
    exe = fake_executable(tmp_path)
    data = tmp_path / "share"
    subprocess.run(
        [str(INSTALL_SCRIPT), "--exec", str(exe), "--data-dir", str(data)],
        check=True,
        capture_output=True,
    )
    installed = data / "applications" / f"{APP_ID}.desktop"
    entry = desktop_entry(installed)
    assert entry["Exec"] == f'"{exe}"'  # quoted: the path has a space
    assert entry["TryExec"] == str(exe)
    assert (data / "metainfo" / METAINFO_FILE.name).read_bytes() == METAINFO_FILE.read_bytes()
    assert (data / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").is_file()
    for size in PNG_SIZES:
        assert (data / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    if shutil.which("desktop-file-validate"):
        assert subprocess.run(["desktop-file-validate", str(installed)]).returncode == 0

    subprocess.run(
        [str(INSTALL_SCRIPT), "--uninstall", "--data-dir", str(data)],
        check=True,
        capture_output=True,
    )
    leftovers = [p for p in data.rglob(f"{APP_ID}*")]
    assert leftovers == []


@needs_sh
def test_install_script_refuses_a_missing_executable(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(INSTALL_SCRIPT), "--exec", str(tmp_path / "nope"), "--data-dir", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.startswith("install-desktop: error: not an executable file")
    assert not (tmp_path / "applications").exists()
