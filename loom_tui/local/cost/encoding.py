"""What a cost file's bytes are, checked before anything reads them whole.

* The header line is read with a bound (:data:`MAX_HEADER` bytes): a 1 MB ``.csv.gz`` whose first
  "line" is a gigabyte is refused with the file and the limit named, not read into memory.
* Cost Management writes UTF-8 (with or without a BOM); Excel's "Unicode text" is UTF-16 with a
  BOM, which is accepted: such a file is copied, streamed and re-encoded, to a UTF-8 file beside the
  cost database and imported from there.
* Anything else (Latin-1, Windows-1252, UTF-16 without a BOM) is refused, naming the file, where
  the first undecodable byte is, and what to save it as.
"""

from __future__ import annotations

import codecs
import gzip
import os
import tempfile
from pathlib import Path
from typing import IO, cast

from .errors import CostFileError

MAX_HEADER = 1024 * 1024  # bytes: the longest header line taken (FOCUS 1.0 has ~50 short columns)
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1024 * 1024


def open_raw(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb")) if path.name.lower().endswith(".gz") else open(path, "rb")


def is_utf16(path: Path) -> bool:
    with open_raw(path) as fh:
        return fh.read(2) in _UTF16


def header_line(path: Path) -> str:
    """The first line, decoded; refuses one longer than :data:`MAX_HEADER` or not UTF-8."""
    with open_raw(path) as fh:
        line = fh.readline(MAX_HEADER + 1)
    if len(line) > MAX_HEADER:
        raise CostFileError(str(path), f"the first line is longer than {MAX_HEADER:,} bytes (the limit for a header): "
                                       "not a cost export", line=1)
    return decode(path, line, 1).lstrip("\ufeff")


def decode(path: Path, data: bytes, line: int | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CostFileError(str(path), f"is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start} of the line): "
                                       "Latin-1 or Windows-1252 perhaps; save it as UTF-8 (or UTF-16 with a BOM)",
                            line=line) from None


def utf8_copy(path: Path, folder: Path) -> Path:
    """A UTF-8 copy of a UTF-16 (BOM) file in ``folder``, streamed; the caller removes it."""
    fd, name = tempfile.mkstemp(prefix=".import-", suffix=".csv", dir=folder)
    try:
        with open_raw(path) as src, os.fdopen(fd, "wb") as out:
            reader = codecs.getreader("utf-16")(src)
            while True:
                try:
                    chunk = reader.read(_CHUNK)
                except UnicodeDecodeError as exc:
                    raise CostFileError(str(path), f"starts with a UTF-16 byte order mark but is not UTF-16 ({exc.reason})") from None
                if not chunk:
                    break
                out.write(chunk.encode("utf-8"))
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)
