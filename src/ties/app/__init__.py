"""Use cases that the command line and the window share (no Qt).

Both ``ties.cli`` and ``ties.ui`` call these, so a journal opens with the same
messages, exports and imports know the same formats and report alike, and
backups are taken and restored the same way wherever the person asked:

- :mod:`ties.app.journal` — which journal, opening or creating it, its messages.
- :mod:`ties.app.options` — the window's command-line options, declared once.
- :mod:`ties.app.formats` — the export and import format registries, the CSV mapping fields.
- :mod:`ties.app.exchange` — export and import use cases and the one import report text.
- :mod:`ties.app.backups` — backup, restore and recover use cases.
- :mod:`ties.app.sync` — syncing the journal through a folder (``ties sync``).
- :mod:`ties.app.inbox` — quick-add lines from a phone, read from the sync folder.
"""
