"""PyInstaller entry point of the windowed ``ties-gui`` executable (no console on Windows)."""

from ties.cli import gui_main

raise SystemExit(gui_main())
