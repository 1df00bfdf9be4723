"""ARM-shaped answers: JSON bodies and ``{"error": {"code", "message"}}`` errors."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def arm_json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, body=json.dumps(body, separators=(",", ":")).encode(),
                        content_type="application/json", headers=headers)


def arm_error(status: int, code: str, message: str, headers: dict[str, str] | None = None,
              details: list[dict[str, Any]] | None = None) -> web.Response:
    err: dict[str, Any] = {"code": code, "message": message}
    if details:
        err["details"] = details
    return arm_json({"error": err}, status, headers)
