"""The subscriptions and tenants a signed-in user can see, through the run's :class:`AzureClients`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from .clients import AzureClients

T = TypeVar("T")


@dataclass(frozen=True)
class SubscriptionInfo:
    subscription_id: str
    display_name: str
    tenant_id: str
    state: str


async def list_subscriptions(clients: "AzureClients") -> list[SubscriptionInfo]:
    """Every subscription the credential can see (all pages), for the picker after sign-in; at the
    api-version this cloud offers (``api_versions.py``)."""
    from .api_versions import pick

    api = await pick(clients, "Microsoft.Resources/subscriptions")
    return [SubscriptionInfo(str(s.get("subscriptionId") or ""), str(s.get("displayName") or ""), str(s.get("tenantId") or ""),
                             str(s.get("state") or "")) async for s in clients.pages("/subscriptions", api)]


@dataclass(frozen=True)
class TenantInfo:
    tenant_id: str
    display_name: str
    default_domain: str


async def list_tenants(clients: "AzureClients") -> list[TenantInfo]:
    """Every tenant (directory) the signed-in account belongs to (all pages).  ARM's subscription
    list only covers the token's own tenant, so this is how the picker reaches the others."""
    from .api_versions import pick

    api = await pick(clients, "Microsoft.Resources/tenants")
    return [TenantInfo(str(t.get("tenantId") or ""), str(t.get("displayName") or ""), str(t.get("defaultDomain") or ""))
            async for t in clients.pages("/tenants", api)]
