"""The subscriptions and tenants a signed-in user can see, through the run's :class:`AzureClients`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, AsyncIterator, TypeVar

if TYPE_CHECKING:
    from .clients import AzureClients

T = TypeVar("T")


@dataclass(frozen=True)
class SubscriptionInfo:
    subscription_id: str
    display_name: str
    tenant_id: str
    state: str


async def _all(pager: AsyncIterator[Any]) -> list[Any]:
    """Every element of an SDK pager; ARM's refusals become ``ArmError`` (code and message in full)."""
    from azure.core.exceptions import DecodeError, HttpResponseError

    from .errors import ArmError

    try:
        return [x async for x in pager]
    except DecodeError:
        raise
    except HttpResponseError as exc:
        raise ArmError.from_sdk(exc) from exc


async def list_subscriptions(clients: "AzureClients") -> list[SubscriptionInfo]:
    """Every subscription the credential can see (all pages), for the picker after sign-in."""
    subs = await _all(clients.subscriptions().subscriptions.list())
    return [SubscriptionInfo(s.subscription_id or "", s.display_name or "", s.tenant_id or "", str(getattr(s.state, "value", s.state) or ""))
            for s in subs]


@dataclass(frozen=True)
class TenantInfo:
    tenant_id: str
    display_name: str
    default_domain: str


async def list_tenants(clients: "AzureClients") -> list[TenantInfo]:
    """Every tenant (directory) the signed-in account belongs to (all pages).  ARM's subscription
    list only covers the token's own tenant, so this is how the picker reaches the others."""
    found = await _all(clients.subscriptions().tenants.list())
    return [TenantInfo(t.tenant_id or "", t.display_name or "", t.default_domain or "") for t in found]
