"""Fixtures for the Azure layer: the local ARM server (on the test loop or in a thread) and a
``loom`` runner limited to the command modules this package owns."""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import pytest

from tests.support.arm_server import ArmServer
from tests.support.threaded import serve_in_thread


@pytest.fixture
async def arm() -> AsyncIterator[ArmServer]:
    server = ArmServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def arm_thread() -> Iterator[ArmServer]:
    with serve_in_thread(ArmServer()) as server:
        yield server


@pytest.fixture
def loom(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run ``loom ARGS`` in-process; returns (exit code, stdout, stderr)."""
    from loom_tui import cli

    # only the sign-in/cloud/profile commands: other areas' modules are not needed here
    monkeypatch.setattr(cli, "COMMAND_MODULES", tuple(m for m in ("cloud", "profile", "login") if _exists(m)))

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _exists(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(f"loom_tui.commands.{module}") is not None
