"""Headless subcommands of ``loom`` (one module per noun)."""
