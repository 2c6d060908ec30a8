"""Syncing one journal between devices through a folder another program carries.

Pure parts, no SQL and no Qt: :mod:`~ties.sync.hlc` (hybrid logical clocks),
:mod:`~ties.sync.rows` (journal rows as flat fields, and back),
:mod:`~ties.sync.merge` (per-field last-writer-wins) and
:mod:`~ties.sync.files` (the change files in the folder, ``docs/sync-format.md``).
The use case that ties them to a journal is :func:`ties.app.sync.sync_folder`.
"""
