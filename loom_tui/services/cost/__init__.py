"""Cost & chargeback (issue 10): what the Cost screen and ``loom cost`` ask for.

* ``model``     typed rows (dataclasses) crossing the service boundary; periods and dimensions
* ``periods``   timeframes: mtd, last-month, 7d, 30d, custom
* ``views``     SQL over the cost table (chargeback, daily, resources, movers, series)
* ``analysis``  anomalies (new / stopped service, spike, steady growth) and the month forecast
* ``idle``      the idle finder (workspaces and what bills while they sit idle)
* ``export``    any view as CSV, JSON or Markdown
* ``service``   ``CostService``: the async API (DuckDB work runs in a thread)
"""
