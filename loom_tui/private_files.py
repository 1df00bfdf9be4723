"""Every file loom writes is the user's alone: files 0600, folders 0700, whoever creates them first.

Config (holds a Cosmos account key), its backup, logs and their rotations, the token cache, the
resume file and the local store all go through these helpers, and ``loom doctor`` checks the same
places (:func:`owned_paths`).  Permissions are set when a file is created (``os.open`` with mode
0600 under a 077 umask), never fixed afterwards, so there is no moment a secret is world-readable.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

FILE_MODE = 0o600
DIR_MODE = 0o700


@contextlib.contextmanager
def private_umask() -> Iterator[None]:
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def private_dir(path: Path) -> Path:
    """Create ``path`` and its missing parents as 0700 (an existing folder is left as it is: it
    may be the operator's own; ``loom doctor`` reports one that others can enter)."""
    path = Path(path)
    missing = []
    p = path
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    with private_umask():
        path.mkdir(parents=True, exist_ok=True, mode=DIR_MODE)
    for p in missing:
        _narrow(p, DIR_MODE)
    return path


def _narrow(path: Path, mode: int) -> None:
    try:
        st = path.stat()
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path, mode)
    except OSError:
        pass


def write_private(path: Path, data: bytes | str) -> Path:
    """Atomically replace ``path`` with ``data`` as a 0600 file (temp file in the same folder,
    fsync, rename): a crash leaves the old file or the new one, never half of one."""
    path = Path(path)
    private_dir(path.parent)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with private_umask():
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def narrow_file(path: Path) -> None:
    """Make an existing file of ours 0600 (a rotated log renamed by the logging module)."""
    _narrow(Path(path), FILE_MODE)


def loose(path: Path) -> list[str]:
    """Files and folders under ``path`` (itself included) that others can read or enter."""
    out: list[str] = []
    path = Path(path)
    if not path.exists():
        return out
    items = [path, *path.rglob("*")] if path.is_dir() else [path]
    for p in items:
        try:
            st = p.lstat()
        except OSError:
            continue
        if p.is_symlink():
            continue
        if st.st_mode & 0o077:
            out.append(f"{p} ({oct(st.st_mode & 0o777)[2:]})")
    return out
