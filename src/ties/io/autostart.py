"""Start at login: the platform's own entry, written and removed by the "Start at login" setting.

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/io.github.ties.Ties.desktop``
  (``~/.config/autostart`` by default), as the XDG Autostart specification says.
- macOS: a LaunchAgent, ``~/Library/LaunchAgents/io.github.ties.Ties.plist``.
- Windows: a value named ``Ties`` under
  ``HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Run``.

Each starts ``ties --tray``: Ties opens minimised to the tray. No Qt here.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

APP_ID = "io.github.ties.Ties"
#: The option that starts Ties hidden in the tray (see ``ties.ui.app``).
TRAY_FLAG = "--tray"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "Ties"


def launch_command(db: Path | None = None) -> list[str]:
    """The command that starts Ties in the tray: the ``ties`` script, else this Python."""
    script = shutil.which("ties")
    cmd = [script] if script else [sys.executable, "-m", "ties"]
    if db is not None:
        cmd += ["--db", str(db)]
    return [*cmd, TRAY_FLAG]


def xdg_autostart_file(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    base = env.get("XDG_CONFIG_HOME") or str(Path(env.get("HOME", "~")).expanduser() / ".config")
    return Path(base) / "autostart" / f"{APP_ID}.desktop"


def launch_agent_file(home: Path | None = None) -> Path:
    return (home or Path.home()) / "Library" / "LaunchAgents" / f"{APP_ID}.plist"


def _desktop_exec(command: Sequence[str]) -> str:
    """An ``Exec=`` value: arguments quoted as the Desktop Entry spec asks (``%`` doubled)."""
    parts = []
    for arg in command:
        arg = arg.replace("%", "%%")
        if any(c in arg for c in " \t\n\"'\\><~|&;$*?#()`"):
            arg = '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`") + '"'
            arg = arg.replace("$", "\\$")
        parts.append(arg)
    return " ".join(parts)


def desktop_entry(command: Sequence[str]) -> str:
    """The autostart ``.desktop`` file's text."""
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Ties\n"
        "Comment=Ties in the tray: reminders and quick add\n"
        f"Exec={_desktop_exec(command)}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "NoDisplay=false\n"
    )


def launch_agent(command: Sequence[str]) -> bytes:
    """The macOS LaunchAgent's plist."""
    return plistlib.dumps({"Label": APP_ID, "ProgramArguments": list(command), "RunAtLoad": True})


def platform_kind(platform: str | None = None) -> str:
    """``"windows"``, ``"macos"`` or ``"xdg"`` (Linux, the BSDs)."""
    platform = platform or sys.platform
    if platform.startswith("win"):
        return "windows"
    if platform == "darwin":
        return "macos"
    return "xdg"


def enable(command: Sequence[str] | None = None, *, platform: str | None = None) -> str:
    """Write the platform's start-at-login entry; returns where (a path or the registry key)."""
    command = list(command or launch_command())
    kind = platform_kind(platform)
    if kind == "windows":
        _run_key_set(subprocess.list2cmdline(command))
        return rf"HKEY_CURRENT_USER\{RUN_KEY}\{RUN_VALUE}"
    if kind == "macos":
        target = launch_agent_file()
        data = launch_agent(command)
    else:
        target = xdg_autostart_file()
        data = desktop_entry(command).encode("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(target)
    return str(target)


def disable(*, platform: str | None = None) -> None:
    """Remove the start-at-login entry (nothing to do if there is none)."""
    kind = platform_kind(platform)
    if kind == "windows":
        _run_key_set(None)
        return
    target = launch_agent_file() if kind == "macos" else xdg_autostart_file()
    target.unlink(missing_ok=True)


def is_enabled(*, platform: str | None = None) -> bool:
    kind = platform_kind(platform)
    if kind == "windows":
        return _run_key_get() is not None
    return (launch_agent_file() if kind == "macos" else xdg_autostart_file()).exists()


if sys.platform == "win32":  # pragma: no cover - Windows only
    import winreg

    def _run_key_set(value: str | None) -> None:
        """Set (or, with None, delete) the Run key's value."""
        with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
            if value is None:
                with contextlib.suppress(FileNotFoundError):
                    winreg.DeleteValue(key, RUN_VALUE)
            else:
                winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, value)

    def _run_key_get() -> str | None:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                return str(winreg.QueryValueEx(key, RUN_VALUE)[0])
        except FileNotFoundError:
            return None

else:

    def _run_key_set(value: str | None) -> None:
        raise OSError("the Windows registry exists only on Windows")

    def _run_key_get() -> str | None:
        return None
