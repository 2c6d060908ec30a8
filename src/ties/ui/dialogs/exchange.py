"""Backup, restore, export and import dialogs (placeholder until the backup/export issue lands)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from ties.ui.context import AppContext


def _not_yet(parent: QWidget | None, what: str) -> None:
    QMessageBox.information(parent, what, f"{what} is not available in this version yet.")


def backup_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    _not_yet(parent, "Backup")


def restore_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    _not_yet(parent, "Restore")


def export_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    _not_yet(parent, "Export")


def import_dialog(ctx: AppContext, parent: QWidget | None = None) -> None:
    _not_yet(parent, "Import")
