"""Route modules of the demo Azure, one per provider (or concern).

Every module here with a ``register(router, state)`` function is registered, in the order of its
``ORDER`` (default 50; lower first, since the first matching route answers), then by name.
``examples.py`` (ORDER 100: the official example bodies, the stateless test server) comes after
the estate's modules — with a state, only as a fallback for route names no module registered —
and ``generic.py`` (ORDER 200: any resource by id) last.  Without a state (the tests' plain ArmServer) only ``examples`` is
registered.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..router import Router
    from ..state import State


def modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(__path__) if not m.name.startswith("_"))


def register_all(router: "Router", state: "State | None") -> None:
    from . import examples

    if state is None:
        examples.register(router, None)
        return
    mods = [importlib.import_module(f"{__name__}.{name}") for name in modules()]
    for mod in sorted((m for m in mods if hasattr(m, "register")), key=lambda m: (getattr(m, "ORDER", 50), m.__name__)):
        mod.register(router, state)
    for route in router.routes:  # the demo cloud offers each type in some api-versions only
        route.handler = _gated(route.handler, state)


def _gated(handler, state: "State"):
    """A handler behind the demo cloud's api-version gate (``versions.py``): an api-version the
    cloud does not offer for the type is refused as ARM refuses it."""
    from ..responses import arm_error
    from ..versions import refusal

    async def run(req):
        refused = refusal(getattr(state, "cloud_versions", "public"), req.request.path, req.query.get("api-version"))
        if refused is not None:
            return arm_error(*refused)
        return await handler(req)

    return run
