"""Regenerate the translation catalogue from the ``tr()`` strings of the window.

    .venv/bin/python scripts/update_translations.py            # update resources/translations/*.ts
    .venv/bin/python scripts/update_translations.py --release  # also compile .qm files for the app

It runs Qt's ``lupdate`` (``pyside6-lupdate``, shipped with PySide6-Essentials)
over ``src/ties/ui``. ``ties_en.ts`` is the English source catalogue; a new
language starts as a copy of it named ``ties_<lang>.ts`` (e.g. ``ties_de.ts``),
is translated in Qt Linguist (``pyside6-linguist``), and is kept current by
running this script again. ``--release`` compiles each catalogue into
``src/ties/resources/translations/<name>.qm``, where the window can load it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src" / "ties" / "ui"
CATALOGUES = ROOT / "resources" / "translations"
SOURCE_CATALOGUE = CATALOGUES / "ties_en.ts"
COMPILED = ROOT / "src" / "ties" / "resources" / "translations"


def qt_tool(name: str) -> str:
    """The PySide6 wrapper ``pyside6-<name>`` next to this Python, else on PATH."""
    scripts = Path(sys.executable).parent
    found = shutil.which(f"pyside6-{name}", path=str(scripts)) or shutil.which(f"pyside6-{name}")
    if not found:
        raise SystemExit(
            f"update_translations: error: pyside6-{name} not found (pip install PySide6)"
        )
    return found


def lupdate_command(catalogue: Path) -> list[str]:
    """The exact ``lupdate`` call that writes ``catalogue`` from the window's sources."""
    language = catalogue.stem.split("_", 1)[1] if "_" in catalogue.stem else "en"
    return [
        qt_tool("lupdate"),
        "-extensions",
        "py",
        "-source-language",
        "en",
        "-target-language",
        language,
        "-no-obsolete",
        "-locations",
        "relative",
        str(SOURCES),
        "-ts",
        str(catalogue),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="also compile .qm files")
    args = parser.parse_args(argv)
    CATALOGUES.mkdir(parents=True, exist_ok=True)
    catalogues = sorted({SOURCE_CATALOGUE, *CATALOGUES.glob("ties_*.ts")})
    for catalogue in catalogues:
        subprocess.run(lupdate_command(catalogue), check=True, cwd=ROOT)
    if args.release:
        COMPILED.mkdir(parents=True, exist_ok=True)
        for catalogue in catalogues:
            target = COMPILED / f"{catalogue.stem}.qm"
            subprocess.run([qt_tool("lrelease"), str(catalogue), "-qm", str(target)], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
