"""One version string: pyproject.toml, read at run time and repeated nowhere by hand."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET

from packaging_paths import METAINFO_FILE, ROOT, pyproject_version

import ties


def test_package_version_is_the_pyproject_version() -> None:
    assert ties.__version__ == pyproject_version(), (
        "ties.__version__ differs from pyproject.toml: reinstall with "
        "`.venv/bin/pip install -e .` after changing the version"
    )


def test_ties_version_flag_prints_it() -> None:
    code = "import sys; from ties.cli import main; sys.exit(main())"
    out = subprocess.run(
        [sys.executable, "-c", code, "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert out.strip() == f"ties {pyproject_version()}"


def test_metainfo_newest_release_is_this_version() -> None:
    releases = ET.parse(METAINFO_FILE).getroot().findall("./releases/release")
    assert releases, "the metainfo lists no release"
    assert releases[0].get("version") == pyproject_version(), (
        "add a <release> for the new version at the top of the metainfo's <releases>"
    )
