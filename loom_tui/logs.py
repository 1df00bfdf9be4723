"""The log file: rotating, in the user state directory, and scrubbed of secrets before it is written.

Operators send log files to support; a log that holds a bearer token or a device code is a breach.
So every record that reaches the file passes :class:`RedactingFilter`, which replaces anything
that looks like a credential (Authorization headers, OAuth tokens and codes, client secrets,
storage/Cosmos account keys, SAS signatures, JWTs) with ``[REDACTED]`` — whichever library logged
it (azure-core, msal, aiohttp, ours).  Values known to be secret at run time (a configured
``cosmos_key``) can be registered with :func:`register_secret` and are removed verbatim.

HTTP calls are logged as one line each (:func:`request_line`): method, URL path (never the query
string, which can carry ``sig=`` or ``code=``), status, duration and the request id.  The azure-core
policy and aiohttp trace hooks that produce it live in ``loom_tui.azure.request_log`` so importing this
module stays cheap (no Azure SDK import on the start-up path).
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

from loom_tui import paths
from loom_tui.private_files import narrow_file, private_dir, private_umask

LOG_FILE_NAME = "loom.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUPS = 3
DEFAULT_LEVEL = "warning"
LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
MASK = "[REDACTED]"
REQUEST_LOGGER = "loom.http"

_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# Names whose values are secrets wherever they appear: query strings, form bodies, JSON, repr()s.
_SECRET_NAMES = (
    "access_token", "refresh_token", "id_token", "device_code", "user_code", "code", "client_secret",
    "client_assertion", "assertion", "password", "passwd", "secret", "sig", "signature", "token",
    "accountkey", "account_key", "sharedaccesskey", "masterkey", "master_key", "cosmos_key", "api_key",
    "apikey", "x-ms-cosmos-key", "primarymasterkey", "secondarymasterkey", "key",
)
_NAMES = "|".join(re.escape(n) for n in sorted(_SECRET_NAMES, key=len, reverse=True))

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization / Proxy-Authorization headers in any rendering: "Authorization: Bearer x",
    # "'Authorization': 'Bearer x'", "authorization=type%3Dmaster%26sig%3D..."
    (re.compile(r"""(?i)((?:proxy-)?authorization['"]?\s*[:=]\s*['"]?)(?:(bearer|basic|pop|sharedkey)\s+)?[^'",\s}]+"""),
     lambda m: f"{m.group(1)}{(m.group(2) + ' ') if m.group(2) else ''}{MASK}"),  # type: ignore[list-item]
    # Connection-string parts: AccountKey=...; SharedAccessKey=...; SharedAccessSignature=...
    (re.compile(r"(?i)\b(AccountKey|SharedAccessKey|SharedAccessSignature|AccessKey|Password)=([^;\s'\"]+)"), rf"\1={MASK}"),
    # name=value (query strings, form bodies) and "name": "value" / 'name': 'value' (JSON, dict reprs)
    (re.compile(rf"""(?i)(?<![\w-])((?:{_NAMES}))(=)([^&\s'",;)}}]+)"""), rf"\1\2{MASK}"),
    (re.compile(rf"""(?i)(['"](?:{_NAMES})['"]\s*:\s*)(['"])(.*?)(?<!\\)\2"""), rf"\1\2{MASK}\2"),
    # JWT-looking strings (header.payload.signature, base64url, header starts with {" = eyJ)
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), MASK),
    # Cosmos/storage account keys: 64-byte base64 (88 chars ending in ==)
    (re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{86}==(?![A-Za-z0-9+/=])"), MASK),
]

_known: set[str] = set()
_known_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Redact this exact value from every later log line (e.g. a configured Cosmos key)."""
    if value and len(value) >= 6:
        with _known_lock:
            _known.add(value)


def redact(text: str) -> str:
    """``text`` with every credential-looking part replaced by ``[REDACTED]``."""
    if not text:
        return text
    for value in list(_known):
        if value in text:
            text = text.replace(value, MASK)
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)  # type: ignore[arg-type]
    return text


class RedactingFilter(logging.Filter):
    """Renders each record's message (and traceback) once and scrubs it before any handler writes it.

    Works on the rendered text, not on ``msg``/``args`` separately, because secrets usually arrive
    inside an argument (a header dict, a URL, an exception message)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def log_file() -> Path:
    return paths.state_dir() / LOG_FILE_NAME


def resolve_level(level: str | None) -> int:
    """``--log-level`` > ``LOOM_LOG_LEVEL`` > warning."""
    name = (level or os.environ.get("LOOM_LOG_LEVEL") or DEFAULT_LEVEL).lower()
    return LEVELS.get(name, logging.WARNING)


_handler: logging.Handler | None = None


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    """Every log file, the fresh one after a rotation included, is created 0600 (the stock handler
    opens it with the process umask: rotated logs became 0644)."""

    def _open(self):  # type: ignore[override]
        with private_umask():
            stream = super()._open()
        narrow_file(Path(self.baseFilename))
        return stream

    def doRollover(self) -> None:
        super().doRollover()
        for i in range(1, self.backupCount + 1):
            narrow_file(Path(f"{self.baseFilename}.{i}"))


def setup_logging(level: str | None = None) -> Path | None:
    """Send all logging to the rotating, redacted log file; returns its path (None if it can't be
    opened — the console still runs, logging is not worth failing for). Safe to call twice."""
    global _handler
    root = logging.getLogger()
    numeric = resolve_level(level)
    path = log_file()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        private_dir(path.parent)
        handler = _PrivateRotatingHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False)
        os.chmod(path, 0o600)  # the log names tenants and resources: owner only
    except OSError:
        return None
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.setLevel(numeric)
    root.addHandler(handler)
    root.setLevel(numeric)
    # azure-core's own HTTP logging dumps every header at INFO; our one-line request log replaces it
    # unless the operator asks for debug.
    logging.getLogger("azure.core.pipeline.policies.http_logging_policy").setLevel(
        logging.DEBUG if numeric <= logging.DEBUG else logging.WARNING
    )
    logging.captureWarnings(True)
    _handler = handler
    logging.getLogger("loom").debug("logging to %s at %s", path, logging.getLevelName(numeric))
    return path


def safe_path(url: str) -> str:
    """Scheme, host and path of a URL — the query string and any user:password are dropped."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable url)"
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    origin = f"{parts.scheme}://{host}" if parts.scheme else host
    return redact(f"{origin}{parts.path or '/'}")


def request_line(method: str, url: str, status: int | str | None, duration_s: float, request_id: str | None) -> str:
    """The one line logged per HTTP call: ``GET https://host/path -> 200 in 123 ms [req=...]``."""
    shown = status if status is not None else "no response"
    rid = request_id or "-"
    return f"{method.upper()} {safe_path(url)} -> {shown} in {duration_s * 1000:.0f} ms [req={rid}]"


def log_request(method: str, url: str, status: int | str | None, duration_s: float, request_id: str | None) -> None:
    logger = logging.getLogger(REQUEST_LOGGER)
    level = logging.INFO if isinstance(status, int) and status < 400 else logging.WARNING
    logger.log(level, "%s", request_line(method, url, status, duration_s, request_id))
