"""loom-tui: a terminal console for CSA Loom operators."""

__version__ = "0.1.0"
