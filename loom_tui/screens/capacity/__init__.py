"""The Capacity area (key 2): the estate's resources, their detail, auto-pause candidates and DR
posture.  The screen is :class:`.screen.CapacityScreen`; this package imports nothing itself, so
that importing one of its modules does not import them all (and no module imports itself round)."""
