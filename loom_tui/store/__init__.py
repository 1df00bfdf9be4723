"""The document store: one port, two adapters (embedded SQLite, Azure Cosmos DB).

Adapters are imported lazily by :func:`loom_tui.store.factory.open_store` so that the Azure SDK
is never loaded for the embedded default.
"""
