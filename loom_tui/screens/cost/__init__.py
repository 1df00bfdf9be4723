"""The Cost area (key 4): chargeback with a view switcher and drill-down, daily bars, month to
date against the forecast, anomalies and the idle finder.  The screen is :class:`.screen.CostScreen`;
this package imports nothing itself, so that importing one of its modules does not import them all."""
