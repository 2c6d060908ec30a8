"""Start at login: the XDG autostart file written and removed; the macOS LaunchAgent's text."""

from __future__ import annotations

import plistlib
from configparser import ConfigParser
from pathlib import Path

import pytest

from ties.io import autostart


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    return home


def test_xdg_autostart_file_written_and_removed(config_home: Path) -> None:
    command = ["/opt/my apps/ties", "--tray"]
    where = autostart.enable(command, platform="linux")
    path = config_home / "autostart" / "io.github.ties.Ties.desktop"
    assert where == str(path)
    assert autostart.is_enabled(platform="linux")
    entry = ConfigParser(interpolation=None)
    entry.read_string(path.read_text())
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Exec"] == '"/opt/my apps/ties" --tray'
    assert section["X-GNOME-Autostart-enabled"] == "true"
    autostart.disable(platform="linux")
    assert not path.exists()
    assert not autostart.is_enabled(platform="linux")
    autostart.disable(platform="linux")  # removing twice is fine


def test_without_xdg_config_home_it_goes_to_dot_config(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    assert autostart.xdg_autostart_file(env) == (
        tmp_path / ".config" / "autostart" / "io.github.ties.Ties.desktop"
    )


def test_percent_signs_are_doubled_in_exec() -> None:
    assert "Exec=/x/100%%/ties --tray" in autostart.desktop_entry(["/x/100%/ties", "--tray"])


def test_default_command_starts_in_the_tray() -> None:
    assert autostart.launch_command()[-1] == "--tray"


def test_macos_launch_agent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    autostart.enable(["/Applications/Ties.app/Contents/MacOS/ties", "--tray"], platform="darwin")
    path = tmp_path / "Library" / "LaunchAgents" / "io.github.ties.Ties.plist"
    agent = plistlib.loads(path.read_bytes())
    assert agent["RunAtLoad"] is True
    assert agent["ProgramArguments"][-1] == "--tray"
    autostart.disable(platform="darwin")
    assert not path.exists()
