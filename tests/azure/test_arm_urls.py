"""Issue 21 item 4: ARM writes ``https://management.azure.com:443/…`` in some
``Azure-AsyncOperation`` and ``nextLink`` values; that is ARM's own host, so loom follows it (the
token still never goes to another host or port).  Issue 22 item 9: the URL an operation polls is
stored relative to the cloud's Resource Manager, so the next process (on the local profile: a
demo Azure on another port) can poll it."""

from __future__ import annotations

import pytest

from loom_tui.azure.clients import AzureClients
from loom_tui.azure.clouds import Cloud, get_cloud
from loom_tui.azure.errors import ArmError

PATH = "/subscriptions/s/providers/Microsoft.Kusto/locations/eastus/operationResults/1?api-version=2024-04-13"


def clients_for(cloud: Cloud) -> AzureClients:
    return AzureClients(credential=None, cloud=cloud)


@pytest.mark.parametrize("url", [
    "https://management.azure.com:443" + PATH,
    "https://MANAGEMENT.azure.com:443" + PATH,
    "https://management.azure.com" + PATH,
])
def test_the_default_port_is_arms_own_host(url: str) -> None:
    assert clients_for(get_cloud("AzureCloud")).url(url) == url


@pytest.mark.parametrize("url", [
    "https://management.azure.com:8443" + PATH,
    "http://management.azure.com" + PATH,
    "http://management.azure.com:443" + PATH,
    "https://management.azure.com.evil.example" + PATH,
    "https://evil.example:443" + PATH,
])
def test_another_host_port_or_scheme_is_refused(url: str) -> None:
    with pytest.raises(ArmError) as caught:
        clients_for(get_cloud("AzureCloud")).url(url)
    assert caught.value.arm_code == "ForeignHost"


def test_an_endpoint_with_an_explicit_default_port_accepts_links_without_it() -> None:
    cloud = Cloud("Lab", "https://login.lab.invalid", "https://arm.lab.invalid:443/", "", "core.lab.invalid", None)
    assert clients_for(cloud).url("https://arm.lab.invalid" + PATH).startswith("https://arm.lab.invalid/")


def test_urls_are_stored_relative_to_the_clouds_resource_manager() -> None:
    public = clients_for(get_cloud("AzureCloud"))
    assert public.relative("https://management.azure.com:443" + PATH) == PATH
    assert public.relative("https://management.azure.com" + PATH) == PATH
    assert public.relative(PATH) == PATH
    assert public.relative("https://evil.example" + PATH) == "https://evil.example" + PATH  # kept: refused when polled
    # a demo Azure on another port resolves the stored path against its own endpoint
    demo = clients_for(Cloud("DemoAzure", "", "https://127.0.0.1:50001/", "", "core.demo.invalid", None))
    assert demo.url(public.relative("https://management.azure.com:443" + PATH)) == "https://127.0.0.1:50001" + PATH
