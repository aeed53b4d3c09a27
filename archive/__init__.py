"""The newsarchive SQLite archive: schema, the one write path, every read, and the CLI.

- :mod:`archive.migrations`: the schema, as sqlite-utils ``Migrations`` steps.
- :mod:`archive.db`: opening an archive read-write (:func:`~archive.db.open_archive`) or
  read-only (:func:`~archive.db.open_readonly`), and the archive's exception classes.
- :mod:`archive.writer`: :class:`~archive.writer.ArchiveWriter`, the only writer;
  :mod:`archive.writer_rows`: the rows it writes inside its transactions.
- :mod:`archive.queries`: every read (SQL, search, one article, stats).
- :mod:`archive.export`: the JSONL export, with when each article and comment was seen.
- :mod:`archive.cli`: the ``newsarchive`` click CLI, a thin skin over the above (one
  module per command group in :mod:`archive.cli.commands`).
"""
