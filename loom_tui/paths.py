"""Where loom-tui keeps its files (platformdirs), with the overrides operators expect."""

from __future__ import annotations

import os
from pathlib import Path

APP = "loom-tui"


def data_dir(override: str | os.PathLike | None = None) -> Path:
    """Embedded store and demo data: ``--data-dir`` > ``LOOM_DATA_DIR`` > the user data dir."""
    if override:
        return Path(override).expanduser()
    env = os.environ.get("LOOM_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_file() -> Path:
    """``LOOM_CONFIG`` > ``<user config dir>/config.toml``."""
    env = os.environ.get("LOOM_CONFIG")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"


def state_dir() -> Path:
    """Logs, saved sessions (resume after an SSH drop), token cache: ``LOOM_STATE_DIR`` overrides."""
    env = os.environ.get("LOOM_STATE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir(APP, appauthor=False))
