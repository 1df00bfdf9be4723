"""The tests' ARM server is the demo Azure's server (``loom_tui.demo_azure``) without a state: it
answers with the official example bodies of ``tests/fixtures/azure-rest``.  This module keeps the
old import path working."""

from loom_tui.demo_azure.examples import FIXTURES, example_body, fixture
from loom_tui.demo_azure.faults import RETRY_AFTER_VARIANTS, Fault
from loom_tui.demo_azure.server import DEFAULT_TENANTS, ArmServer, Call

__all__ = ["ArmServer", "Call", "DEFAULT_TENANTS", "FIXTURES", "Fault", "RETRY_AFTER_VARIANTS", "example_body", "fixture"]
