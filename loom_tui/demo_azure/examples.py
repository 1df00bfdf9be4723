"""The official example bodies (``x-ms-examples`` of the Azure REST API specifications) that the
tests keep in ``tests/fixtures/azure-rest`` (see ATTRIBUTION.md there).

They live beside the tests, not in the package: an installed loom has none, and the example
routes then answer 501 with an ARM error saying so.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent.parent.parent / "tests" / "fixtures" / "azure-rest"


class ExampleMissing(LookupError):
    pass


@lru_cache(maxsize=None)
def _load(name: str) -> dict[str, Any]:
    path = FIXTURES / name
    if not path.is_file():
        raise ExampleMissing(f"the official example {name} is not installed (it lives in the source tree's tests/fixtures)")
    return json.loads(path.read_text(encoding="utf-8"))


def fixture(name: str) -> dict[str, Any]:
    return copy.deepcopy(_load(name))


def example_body(name: str, status: str = "200") -> Any:
    return copy.deepcopy(_load(name)["responses"][status].get("body"))
