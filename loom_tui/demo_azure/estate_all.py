"""The demo estate as seeded: the core (:mod:`.estate`) and each area's part (``estate_<area>.py``),
built in this order.  An area with a part of its own adds its builder to :data:`BUILDERS`."""

from __future__ import annotations

from . import estate, estate_admin, estate_dlz

BUILDERS = (estate_admin.build, estate_dlz.build)


def build_estate() -> estate.Estate:
    e = estate.build_core()
    for build in BUILDERS:
        build(e)
    return e
