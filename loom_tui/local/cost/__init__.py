"""Cost on an embedded analytical engine (DuckDB, imported lazily: never at console start-up).

One internal table holds every cost row whatever its source (imported exports, cached live
Cost Management answers); the views of ``loom_tui.services.cost`` are SQL over it.

* ``formats``  which export a header is (FOCUS 1.0/1.0r2/1.1/1.2, EA / MCA cost details) and which
  of its columns (matched by name, case-insensitively) feed which field of the table.
* ``sqlexpr``  the SQL that normalises a field (dates, amounts, tags, Azure ids).
* ``diagnose`` the slow path: when DuckDB refuses a file, find the first bad line and column.
* ``db``       the DuckDB file: schema, one connection per operation, one transaction per import.
* ``importer`` ``import_paths``: files, folders, gzip; idempotent (content hash) and atomic.
"""
