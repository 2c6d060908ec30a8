"""Fixtures for the io tests."""

from __future__ import annotations

import pytest

from ties.io import crypto


@pytest.fixture(autouse=True)
def cheap_kdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Lower the key-derivation cost so the suite stays fast.

    Tests whose name contains ``real_cost`` keep the shipped parameters.
    """
    if "real_cost" in request.node.name:
        return
    monkeypatch.setattr(crypto, "DEFAULT_ARGON2", (8 * 1024, 1, 1))
    monkeypatch.setattr(crypto, "MIN_ARGON2", (8 * 1024, 1, 1))
    monkeypatch.setattr(crypto, "DEFAULT_SCRYPT", (12, 8, 1))
    monkeypatch.setattr(crypto, "MIN_SCRYPT", (12, 8, 1))
