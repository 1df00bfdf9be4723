"""Resource Manager clients for any cloud, and the subscriptions a signed-in user can see.

``cloud_setting=AzureClouds.*`` covers only public, China and US Government, so every client is
built with the cloud's own ``base_url`` and ``credential_scopes`` instead — which is also how the
tests point the real SDK clients at the local ARM server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .clouds import Cloud
from .network import sdk_client_kwargs


def client_kwargs(cloud: Cloud, **extra: Any) -> dict[str, Any]:
    """``base_url``, ``credential_scopes`` and the network settings for an ``azure-mgmt-*`` client."""
    from loom_tui.request_log import RequestLogPolicy

    kw = {"base_url": cloud.arm_endpoint, "credential_scopes": [cloud.arm_scope], "per_call_policies": [RequestLogPolicy()],
          **sdk_client_kwargs()}
    kw.update(extra)
    return kw


@dataclass(frozen=True)
class SubscriptionInfo:
    subscription_id: str
    display_name: str
    tenant_id: str
    state: str


async def list_subscriptions(credential: Any, cloud: Cloud, **extra: Any) -> list[SubscriptionInfo]:
    """Every subscription the credential can see (all pages), for the picker after sign-in."""
    from azure.mgmt.resource.subscriptions.aio import SubscriptionClient

    async with SubscriptionClient(credential, **client_kwargs(cloud, **extra)) as client:
        return [
            SubscriptionInfo(s.subscription_id or "", s.display_name or "", s.tenant_id or "", str(getattr(s.state, "value", s.state) or ""))
            async for s in client.subscriptions.list()
        ]


@dataclass(frozen=True)
class TenantInfo:
    tenant_id: str
    display_name: str
    default_domain: str


async def list_tenants(credential: Any, cloud: Cloud, **extra: Any) -> list[TenantInfo]:
    """Every tenant (directory) the signed-in account belongs to (all pages).  ARM's subscription
    list only covers the token's own tenant, so this is how the picker reaches the others."""
    from azure.mgmt.resource.subscriptions.aio import SubscriptionClient

    async with SubscriptionClient(credential, **client_kwargs(cloud, **extra)) as client:
        return [
            TenantInfo(t.tenant_id or "", t.display_name or "", t.default_domain or "")
            async for t in client.tenants.list()
        ]
