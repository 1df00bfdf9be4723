"""The persistent MSAL token cache: encrypted where the platform offers it, else a 0600 file
only when the operator allowed it, else memory only — and the operator is told which.

msal-extensions encrypts with DPAPI (Windows), the Keychain (macOS) or libsecret (Linux).  On a
headless Linux jump box libsecret (PyGObject, a D-Bus session, an unlocked keyring) is usually
missing and ``build_encrypted_persistence`` fails at construction.  A plain file then holds refresh
tokens readable by anyone who can read the file, so it is used only with
``allow_unencrypted_token_cache = true`` in the profile or ``--allow-unencrypted-token-cache``, is
created and kept at mode 0600, and is announced once (a marker in the state directory).
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loom_tui import paths
from loom_tui.private_files import private_dir, private_umask, write_private

log = logging.getLogger("loom.azure.token_cache")

ENCRYPTED_NAME = "msal_token_cache.bin"
PLAIN_NAME = "msal_token_cache.json"
ANNOUNCED_MARKER = "token-cache-plaintext-announced"


@dataclass
class CacheHandle:
    cache: Any  # msal.SerializableTokenCache (a msal_extensions.PersistedTokenCache when persisted)
    kind: str  # "encrypted" | "file" | "memory"
    path: Path | None
    note: str | None = None  # something to tell the operator (once), or None

    def describe(self) -> str:
        if self.kind == "encrypted":
            return f"encrypted token cache at {self.path}"
        if self.kind == "file":
            return f"unencrypted token cache (mode 0600) at {self.path}"
        return "token cache in memory only: sign-in lasts for this run"


def _ensure_private(path: Path) -> None:
    """Create the file 0600 if missing; tighten it if someone loosened it."""
    private_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)


class _PrivateFilePersistence:
    """msal-extensions' ``FilePersistence`` that re-asserts mode 0600 on every save (it sets the
    mode only on creation)."""

    def __new__(cls, location: str):  # type: ignore[misc]
        from msal_extensions import FilePersistence

        class Private(FilePersistence):
            def save(self, content: str) -> None:
                super().save(content)
                _ensure_private(Path(self.get_location()))

        return Private(location)


def open_token_cache(*, allow_unencrypted: bool = False, directory: Path | None = None, try_encrypted: bool = True) -> CacheHandle:
    """The best cache this machine allows (see the module docstring)."""
    import msal
    from msal_extensions import PersistedTokenCache, build_encrypted_persistence

    directory = directory or paths.state_dir()
    private_dir(directory)  # 0700 even when the token cache is the first to create the state dir
    reason = "encryption was not tried"
    if try_encrypted:
        enc = directory / ENCRYPTED_NAME
        try:
            with private_umask():
                persistence = build_encrypted_persistence(str(enc))
            return CacheHandle(PersistedTokenCache(persistence), "encrypted", enc)
        except (ImportError, ValueError, RuntimeError, OSError) as exc:
            # first line only: the libsecret message runs on with install advice
            reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else 'unavailable'}"
            log.info("encrypted token cache unavailable (%s)", reason)
    if allow_unencrypted:
        plain = directory / PLAIN_NAME
        _ensure_private(plain)
        note = None
        marker = directory / ANNOUNCED_MARKER
        if not marker.exists():
            note = (f"The OS keyring is not available ({reason}); tokens are kept in {plain}, "
                    "unencrypted but readable only by you (mode 0600), as your profile allows.")
            write_private(marker, "announced\n")
        return CacheHandle(PersistedTokenCache(_PrivateFilePersistence(str(plain))), "file", plain, note)
    note = (f"The OS keyring is not available ({reason}), so the sign-in is kept in memory and lasts for this run only. "
            "To keep it across runs in a file only you can read (mode 0600), set allow_unencrypted_token_cache = true in the "
            "profile or pass --allow-unencrypted-token-cache.")
    return CacheHandle(msal.SerializableTokenCache(), "memory", None, note)
