"""Ties: a private, offline journal of one person's relationships."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("ties")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
