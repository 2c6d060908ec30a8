"""fold's shortcut for ASCII text gives what the full Unicode path gives."""

from __future__ import annotations

import random
import string
import unicodedata

from ties.store.search import fold


def _full(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def test_ascii_text_folds_as_the_full_path_does() -> None:
    rng = random.Random(21)
    samples = ["", " ", "Ana  Ruiz ", "ANA\truiz", "O'Brien-Smith", "\x0bx\x0cY\x1c"]
    samples += ["".join(rng.choice(string.printable) for _ in range(12)) for _ in range(5000)]
    for text in samples:
        assert fold(text) == _full(text), repr(text)


def test_other_text_still_loses_case_and_accents() -> None:
    assert fold("  Émile  ZOË ") == "emile zoe"
    assert fold("ﬁle") == "file"
