"""The Cost area (key 4): chargeback with a view switcher and drill-down, daily bars, month to
date against the forecast, anomalies and the idle finder.  See :mod:`.screen`."""

from .screen import CostScreen

__all__ = ["CostScreen"]
