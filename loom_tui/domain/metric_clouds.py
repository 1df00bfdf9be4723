"""Which Azure Monitor metric the Capacity area reads per resource type, and in which clouds it
exists (pure data; the README's Capacity section shows the same table).

``documented``: the clouds whose Azure Monitor reference lists the metric for the type (the
service runs there and its platform metrics are published).  ``absent``: clouds where the metric
is known NOT to exist; Capacity does not ask there and the utilization column says why.  Any
other cloud (the air-gapped ones, whose references are not public; a custom cloud; the demo
Azure) is asked, and the column shows what Azure Monitor answered — a number, or why not.
"""

from __future__ import annotations

from dataclasses import dataclass

from loom_tui.errors import LoomError

from .capacity import COSMOS, FABRIC, KUSTO, METRICS, SYNAPSE_POOL

PUBLIC_CLOUDS = ("AzureCloud", "AzureUSGovernment", "AzureChinaCloud")
MICROSOFT_CLOUDS = PUBLIC_CLOUDS + ("USSec", "USNat")
EVERY_CLOUD = ("*",)  # ``absent`` everywhere: Microsoft's own clouds, custom clouds and the demo Azure


@dataclass(frozen=True)
class MetricCloud:
    label: str  # "Fabric capacity"
    metric: str  # the Azure Monitor metric name (REST)
    documented: tuple[str, ...]
    absent: tuple[str, ...] = ()
    why_absent: str = ""


AVAILABILITY: dict[str, MetricCloud] = {
    # Microsoft.Fabric/capacities has no metrics namespace in Azure Monitor (its supported-metrics
    # reference lists Microsoft.PowerBIDedicated/capacities, not Fabric); CU use lives in the
    # Fabric Capacity Metrics app, which is not an ARM API.
    FABRIC: MetricCloud("Fabric capacity", "", (), EVERY_CLOUD,
                        "Azure Monitor has no metric for Fabric capacities (CU use is in the Fabric Capacity Metrics app)"),
    SYNAPSE_POOL: MetricCloud("Synapse dedicated SQL pool", METRICS[SYNAPSE_POOL][0], PUBLIC_CLOUDS),
    KUSTO: MetricCloud("Data Explorer cluster", METRICS[KUSTO][0], PUBLIC_CLOUDS),
    COSMOS: MetricCloud("Cosmos DB account", METRICS[COSMOS][0], PUBLIC_CLOUDS),
}


class MetricUnavailable(LoomError, LookupError):
    """The type's metric does not exist in this cloud (the message says so, for the column; an
    operator-facing fact, not a bug: a LoomError)."""


def missing_in(type_key: str, cloud: str) -> str:
    """Why the type's utilization metric cannot be read in ``cloud``, or "" when it can be asked."""
    a = AVAILABILITY.get(type_key)
    if a is None or not (cloud in a.absent or a.absent == EVERY_CLOUD):
        return ""
    return a.why_absent if a.absent == EVERY_CLOUD else f"{a.why_absent}; not in {cloud}"
