"""The Capacity area (key 2): the estate's resources, their detail, auto-pause candidates and DR posture."""

from .screen import CapacityScreen

__all__ = ["CapacityScreen"]
