"""Getting data in and out of a journal: backups, export, import. No Qt here."""
