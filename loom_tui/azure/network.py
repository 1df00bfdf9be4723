"""Proxies and custom CA bundles of air-gapped networks, honoured the same way by every client.

Air-gapped sites reach Azure through an HTTPS proxy and a private root CA.  ``requests`` (used by
MSAL) reads ``HTTPS_PROXY``/``NO_PROXY`` and ``REQUESTS_CA_BUNDLE`` by itself; aiohttp (used by the
async SDK clients) reads the proxy variables only with ``trust_env=True`` and never reads
``REQUESTS_CA_BUNDLE``.  This module gives both the same answer so one setting covers every client.
"""

from __future__ import annotations

import os
import ssl
from functools import lru_cache
from typing import Any

CA_VARS = ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE")


def ca_bundle() -> str | None:
    """The operator's CA bundle file, from the first of ``REQUESTS_CA_BUNDLE``, ``SSL_CERT_FILE``,
    ``CURL_CA_BUNDLE`` that is set (the order ``requests`` uses)."""
    for var in CA_VARS:
        value = os.environ.get(var)
        if value:
            return value
    return None


@lru_cache(maxsize=8)
def _context(cafile: str | None, extra: str | None = None) -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    for f in (cafile, extra):
        if f:
            ctx.load_verify_locations(cafile=f)
    return ctx


def ssl_context(extra_ca: str | None = None) -> ssl.SSLContext:
    """A verifying TLS context that trusts the system roots plus the operator's bundle (plus
    ``extra_ca``: the demo Azure's own CA, for the clients pointed at it)."""
    return _context(ca_bundle(), extra_ca)


def sdk_client_kwargs() -> dict[str, Any]:
    """Keyword arguments for every azure-core client (``*.aio`` management clients, Cosmos):
    verify with the operator's bundle and let aiohttp read the proxy variables."""
    kw: dict[str, Any] = {}
    bundle = ca_bundle()
    if bundle:
        kw["connection_verify"] = bundle
    return kw


def aiohttp_session(**kw: Any):  # -> aiohttp.ClientSession
    """A plain aiohttp session for loom's own calls (ARM metadata): proxy from env, operator CA."""
    import aiohttp

    from loom_tui.azure.request_log import aiohttp_trace_config

    kw.setdefault("trace_configs", [aiohttp_trace_config()])
    return aiohttp.ClientSession(trust_env=True, connector=aiohttp.TCPConnector(ssl=ssl_context()), **kw)


def requests_session(verify: str | bool | None = None):  # -> requests.Session
    """The ``http_client`` handed to MSAL: a requests session (reads proxy variables itself) that
    verifies with ``verify`` (tests: a throwaway CA) or the operator's bundle."""
    import requests

    s = requests.Session()
    s.trust_env = True
    if verify is not None:
        s.verify = verify
    elif ca_bundle():
        s.verify = ca_bundle()  # type: ignore[assignment]
    return s
