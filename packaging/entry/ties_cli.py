"""PyInstaller entry point of the ``ties`` executable (command line, or the window)."""

from ties.cli import main

raise SystemExit(main())
