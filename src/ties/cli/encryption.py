"""Subcommands for an encrypted journal: encrypt, decrypt, passphrase.

A passphrase never comes from a command-line argument (other users see those in
the process list): every command reads it from ``--passphrase-file PATH``, else
``$TIES_PASSPHRASE``, else a prompt that does not echo (see
:func:`ties.cli.common.passphrase_reader`). A new passphrase for
``ties passphrase`` comes from ``--new-passphrase-file``, ``$TIES_NEW_PASSPHRASE``
or a prompt asked twice.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ties.app.journal import open_journal
from ties.cli.common import (
    CommandError,
    add_json_flag,
    journal_path,
    passphrase_reader,
    print_json,
    prompt_passphrase,
    read_file_passphrase,
)
from ties.store.encryption import MIN_PASSPHRASE, NO_RECOVERY


def _new_passphrase(args: argparse.Namespace, path: Path, *, file_option: str, env: str) -> str:
    file = getattr(args, file_option, None)
    if file:
        passphrase = read_file_passphrase(file)
    elif os.environ.get(env):
        passphrase = os.environ[env]
    else:
        passphrase = prompt_passphrase(f"New passphrase for {path}: ", path)
        if prompt_passphrase("The same passphrase again: ", path) != passphrase:
            raise CommandError("the two passphrases differ; nothing was changed")
    if len(passphrase) < MIN_PASSPHRASE:
        raise CommandError(
            f"the new passphrase is shorter than {MIN_PASSPHRASE} characters; nothing was changed"
        )
    return passphrase


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "encrypt",
        parents=[common],
        help="encrypt the journal with a passphrase (SQLCipher)",
        description="Encrypt the journal with a new passphrase, read from --passphrase-file, "
        "$TIES_PASSPHRASE or a prompt asked twice. The encrypted copy is written beside the "
        "journal, checked and swapped in; the plain journal is kept as a .bak file beside it "
        f"until you delete it. {NO_RECOVERY}",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_encrypt)

    p = sub.add_parser(
        "decrypt",
        parents=[common],
        help="remove the journal's encryption",
        description="Write the encrypted journal back as a plain SQLite file. The encrypted "
        "journal is kept as a .bak file beside it.",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_decrypt)

    p = sub.add_parser(
        "passphrase",
        parents=[common],
        help="change the encrypted journal's passphrase",
        description="Re-encrypt the journal with a new passphrase, read from "
        "--new-passphrase-file, $TIES_NEW_PASSPHRASE or a prompt asked twice. The journal "
        "under its old passphrase is kept as a .bak file beside it.",
    )
    p.add_argument(
        "--new-passphrase-file",
        metavar="PATH",
        help="read the new passphrase from the first line of PATH",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_passphrase)


def _existing(args: argparse.Namespace) -> Path:
    path = journal_path(args)
    if not path.is_file() or path.stat().st_size == 0:
        raise CommandError(f"there is no journal at {path}")
    return path


def _report(args: argparse.Namespace, path: Path, backup: Path, encrypted: bool, note: str) -> None:
    if getattr(args, "json", False):
        print_json({"journal": str(path), "backup": str(backup), "encrypted": encrypted})
        return
    print(note)
    print(f"The journal as it was is kept as {backup}; delete it once you have checked.")


def _open_key(args: argparse.Namespace, path: Path) -> object:
    """Open the journal (asking its passphrase) and return its key; None when plain."""
    with open_journal(path, create=False, unlock=passphrase_reader(args)) as store:
        return store.cipher_key


def cmd_encrypt(args: argparse.Namespace) -> int:
    from ties.store import conversion, encryption

    path = _existing(args)
    encryption.require()
    if _open_key(args, path) is not None:
        raise CommandError(f"{path} is encrypted already; use 'ties passphrase' to change it")
    passphrase = _new_passphrase(args, path, file_option="passphrase_file", env="TIES_PASSPHRASE")
    backup = conversion.encrypt(path, passphrase)
    del passphrase
    _report(
        args,
        path,
        backup,
        True,
        f"Encrypted {path}. {NO_RECOVERY}\n"
        "The backup below is NOT encrypted: delete it to keep your notes private.",
    )
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from ties.store import conversion, encryption

    path = _existing(args)
    key = _open_key(args, path)
    if not isinstance(key, encryption.CipherKey):
        raise CommandError(f"{path} is not encrypted")
    backup = conversion.decrypt(path, key)
    _report(args, path, backup, False, f"Removed the encryption of {path}: it is a plain file now.")
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    from ties.store import conversion, encryption

    path = _existing(args)
    key = _open_key(args, path)
    if not isinstance(key, encryption.CipherKey):
        raise CommandError(f"{path} is not encrypted; use 'ties encrypt' first")
    passphrase = _new_passphrase(
        args, path, file_option="new_passphrase_file", env="TIES_NEW_PASSPHRASE"
    )
    backup = conversion.rekey(path, key, passphrase)
    del passphrase
    _report(
        args,
        path,
        backup,
        True,
        f"Changed the passphrase of {path}. {NO_RECOVERY}\n"
        "The backup below opens with the OLD passphrase.",
    )
    return 0
