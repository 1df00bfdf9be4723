"""Shared test set-up: every test gets its own data, config and state directories.

The data directory starts as a copy of a demo tenant seeded once per worker (see
``tests/support/seeded.py``), made just before the test's body runs; ``@pytest.mark.fresh_data``
leaves it empty (the test checks a first start), ``@pytest.mark.demo_today("2026-11-20")`` pins
the demo day (``LOOM_DEMO_TODAY``) the data is dated from.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.support.seeded import SeedCache

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
DEMO_SPEED = "20"
SEEDS = pytest.StashKey[SeedCache]()
COPIED = pytest.StashKey[Path]()  # the data directory a test got the seeded copy in
PASSED = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fresh_data: the test starts with an empty data directory (it checks a first start)")
    config.addinivalue_line("markers", "demo_today(day): pin LOOM_DEMO_TODAY (YYYY-MM-DD) for the test, its seeded data included")


@pytest.fixture(scope="session")
def seed_cache(tmp_path_factory: pytest.TempPathFactory) -> SeedCache:
    base = tmp_path_factory.getbasetemp()
    # pytest-xdist gives each worker base/popen-gwN: the run's workers share one cache beside them
    return SeedCache((base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "seeded-data")


@pytest.fixture(autouse=True)
def _isolated_dirs(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed_cache: SeedCache) -> None:
    request.node.stash[SEEDS] = seed_cache
    monkeypatch.setenv("LOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LOOM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("LOOM_STATE_DIR", str(tmp_path / "state"))
    # the demo Azure's simulated time, and loom's waits on it, run this many times real time
    # (subprocesses and tmux runs inherit it); a test that needs operator speed sets it to 1
    monkeypatch.setenv("LOOM_DEMO_SPEED", DEMO_SPEED)
    monkeypatch.delenv("LOOM_DEMO_TODAY", raising=False)
    day = request.node.get_closest_marker("demo_today")
    if day is not None:
        monkeypatch.setenv("LOOM_DEMO_TODAY", day.args[0])
    for var in ("AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_SUBSCRIPTION_ID", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The heaviest files first. Under ``--dist loadfile`` a file stays on one worker and files are
    handed out in collection order; in alphabetical order the longest (tests/ui's, up to ~3 min
    each) came last, and three workers sat idle while a fourth finished one (~45 s of a 9-minute
    pass, replayed from measured durations). A file's weight is its number of tests, a Pilot test
    (tests/ui: ~3 s each against ~0.5 s elsewhere) counting three; the order inside a file stays."""
    weight: dict[str, int] = {}
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        weight[path] = weight.get(path, 0) + (3 if path.startswith("tests/ui/") else 1)
    items.sort(key=lambda item: -weight[item.nodeid.split("::", 1)[0]])


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item):
    """Just before the body (every fixture has run, so a fixture's LOOM_DEMO_TODAY counts): the
    seeded data, unless the data directory exists already or the test wants it fresh."""
    target = os.environ.get("LOOM_DATA_DIR")
    if target and not Path(target).exists() and item.get_closest_marker("fresh_data") is None:
        item.stash[SEEDS].copy_into(Path(target), os.environ.get("LOOM_DEMO_TODAY"))
        item.stash[COPIED] = Path(target)
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    if call.when == "call":
        item.stash[PASSED] = outcome.get_result().passed


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item):
    """After a passing test (its fixtures torn down): its copy of the seeded data goes — a whole
    run kept ~15 MB per test, tens of GB (a failed test keeps it, to be looked at)."""
    yield
    copied = item.stash.get(COPIED, None)
    if copied is not None and item.stash.get(PASSED, False):
        shutil.rmtree(copied, ignore_errors=True)


def shared_fixture(*parts: str) -> Path:
    """A file under ../shared/fixtures (skips the test when shared/ is not beside the repo)."""
    path = SHARED.joinpath("fixtures", *parts)
    if not path.exists():
        pytest.skip(f"shared fixture missing: {path}")
    return path
