"""Encrypted files: round trips, wrong passphrases, tampering and weak headers."""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

import pytest

from ties.io import crypto


def _encrypt(data: bytes, passphrase: str = "correct horse", **kw: object) -> bytes:
    out = io.BytesIO()
    crypto.encrypt_stream(io.BytesIO(data), out, passphrase, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def _decrypt(blob: bytes, passphrase: str = "correct horse") -> bytes:
    out = io.BytesIO()
    crypto.decrypt_stream(io.BytesIO(blob), out, passphrase)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 5000])
def test_round_trip_across_chunk_boundaries(size: int) -> None:
    data = os.urandom(size)
    blob = _encrypt(data, chunk_size=1024)
    assert _decrypt(blob) == data
    assert blob.startswith(crypto.MAGIC)
    assert data[:16] not in blob[crypto.HEADER_LEN :] or size < 16


def test_real_cost_header_records_argon2id_by_default() -> None:
    header = crypto.Header.unpack(_encrypt(b"x")[: crypto.HEADER_LEN])
    assert header.kdf == (crypto.KDF_ARGON2ID if crypto.has_argon2() else crypto.KDF_SCRYPT)
    assert header.params == (
        crypto.DEFAULT_ARGON2 if crypto.has_argon2() else crypto.DEFAULT_SCRYPT
    )


def test_real_cost_scrypt_round_trip() -> None:
    blob = _encrypt(b"hello scrypt", kdf=crypto.KDF_SCRYPT)
    assert _decrypt(blob) == b"hello scrypt"


def test_salt_and_nonce_differ_per_file() -> None:
    a, b = _encrypt(b"same"), _encrypt(b"same")
    assert a[: crypto.HEADER_LEN] != b[: crypto.HEADER_LEN]
    assert a[crypto.HEADER_LEN :] != b[crypto.HEADER_LEN :]


def test_wrong_passphrase_is_a_clear_error() -> None:
    blob = _encrypt(b"secret journal")
    with pytest.raises(crypto.DecryptionError, match="wrong passphrase"):
        _decrypt(blob, "incorrect horse")


def test_every_flipped_bit_is_detected() -> None:
    blob = _encrypt(os.urandom(3000), chunk_size=1024)
    # one position in each region: magic, kdf params, salt, nonce prefix, chunks, tags
    for pos in (0, 12, 30, crypto.HEADER_LEN - 1, crypto.HEADER_LEN + 5, 1100, len(blob) - 1):
        damaged = bytearray(blob)
        damaged[pos] ^= 0x01
        with pytest.raises((crypto.DecryptionError, crypto.NotEncryptedError)):
            _decrypt(bytes(damaged))


def test_truncation_and_dropped_chunks_are_detected() -> None:
    blob = _encrypt(os.urandom(3000), chunk_size=1024)
    block = 1024 + crypto.TAG_LEN
    for cut in (crypto.HEADER_LEN, crypto.HEADER_LEN + block, len(blob) - 1):
        with pytest.raises(crypto.DecryptionError):
            _decrypt(blob[:cut])


def test_real_cost_header_lowering_the_cost_is_refused() -> None:
    blob = bytearray(_encrypt(b"x", kdf=crypto.KDF_ARGON2ID))
    # memory cost is the first parameter, right after magic (8), version (2), kdf (1)
    struct.pack_into(">I", blob, 11, 1024)
    with pytest.raises(crypto.DecryptionError, match="weaker"):
        _decrypt(bytes(blob))


def test_header_with_absurd_cost_is_refused() -> None:
    blob = bytearray(_encrypt(b"x", kdf=crypto.KDF_ARGON2ID))
    struct.pack_into(">I", blob, 15, 10_000)  # iterations
    with pytest.raises(crypto.DecryptionError, match="absurd"):
        _decrypt(bytes(blob))


def test_not_encrypted_file() -> None:
    with pytest.raises(crypto.NotEncryptedError):
        _decrypt(b"SQLite format 3\x00" + bytes(200))


def test_decrypt_file_writes_nothing_on_failure(tmp_path: Path) -> None:
    plain = tmp_path / "plain.bin"
    plain.write_bytes(os.urandom(5000))
    enc = crypto.encrypt_file(plain, tmp_path / "x.enc", "pw-long-enough")
    target = tmp_path / "out.bin"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_file(enc, target, "not pw-long-enough")
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.bin", "x.enc"]
    crypto.decrypt_file(enc, target, "pw-long-enough")
    assert target.read_bytes() == plain.read_bytes()


def test_empty_passphrase_refused(tmp_path: Path) -> None:
    with pytest.raises(crypto.JournalError):
        _encrypt(b"x", passphrase="")
