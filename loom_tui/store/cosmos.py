"""The Azure Cosmos DB adapter of the document store (``azure.cosmos.aio``).

Same meaning as :class:`loom_tui.store.sqlite.SqliteStore` (the contract suite in
``tests/store/test_contract.py`` runs against both); where Cosmos DB cannot behave the same, the
difference is written down here:

* **Queries** are Cosmos SQL with ``@parameters`` only.  Field paths (validated identifiers, see
  :func:`loom_tui.store.query.check_field`) become quoted property accessors ``c["a"]["b"]``
  rather than ``c.a.b`` so that fields named like SQL keywords (``value``, ``order``, ``top``)
  still parse.  In-partition queries also carry ``c["<partition key>"] = @pk`` in their WHERE
  clause besides the partition-key request option: real Cosmos DB would scope by the option alone,
  the local protocol server used by the tests only by the clause, and it costs nothing.
* **Ordering**: exactly the requested ``ORDER BY`` terms.  SQLite breaks ties by ``id``; Cosmos DB
  breaks them by its internal resource order (stable, so paging still has no gaps or duplicates),
  because adding ``c.id`` as a second term would need a composite index on every container the web
  console already created.  More than one :class:`Order` needs such a composite index on the
  container; without it Cosmos answers 400, raised as :class:`InvalidQuery`.
* **window(offset, limit)** uses ``SELECT TOP @n`` with ``n = offset + limit`` and drops the first
  ``offset`` rows here.  ``OFFSET .. LIMIT`` would be the obvious SQL, but the local protocol server
  cannot parse it; ``TOP`` works on both, and real Cosmos DB charges ``OFFSET`` by the rows it skips
  anyway, so the RU cost is the same (only the transfer grows with ``offset``; deep scrolling
  should page with continuation tokens instead).
* **Continuation tokens** are the SDK's ``by_page`` tokens wrapped in a small envelope that also
  names the query they belong to, so a garbled token or one from another query is refused with
  :class:`InvalidQuery` (the SDK would otherwise silently start over on some servers).  Pages are
  filled up to ``max_items`` (Cosmos may return short pages) so both adapters page alike.
* **Throttling (429)**: the SDK retries per the server's ``x-ms-retry-after-ms`` header, bounded by
  ``throttle_retries`` attempts and ``throttle_max_wait_s`` seconds of cumulated waiting; after
  that :class:`Throttled` is raised.
* **TLS**: ``verify_tls`` becomes the SDK's ``connection_verify``.  azure-cosmos itself never
  verifies certificates when the endpoint's host is ``localhost`` or ``127.0.0.1`` (its emulator
  convenience) — an SSH tunnel to a real account would go unverified.  Unless the profile says the
  endpoint IS the local emulator (``cosmos_emulator = true``), every request goes through a
  transport that insists on verification (:func:`tls_mode` says which applies; doctor shows it).
* **Request charge** of every call (all HTTP round trips it made, retries and query plans
  included) is read from ``x-ms-request-charge`` through a per-call ``raw_response_hook`` and
  recorded in :attr:`charges`.
"""

from __future__ import annotations

import asyncio
import json
import shlex
from collections import OrderedDict
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Iterable
from urllib.parse import urlparse

from loom_tui.domain.containers import CONTAINERS, indexing_policy

from .errors import Conflict, ContainersMissing, InvalidQuery, NotFound, PreconditionFailed, StoreError, StoreUnavailable, Throttled
from .port import BAD_ID_CHARS, DocumentStore, Page, one_partition, partition_of, spec
from .query import ALL, Query

# Cosmos DB system properties that never leave the adapter (``_etag`` and ``_ts`` do).
_HIDDEN = ("_rid", "_self", "_attachments")
_SYSTEM = ("_etag", "_ts") + _HIDDEN


from .cosmos_sql import ANCHORS, _anchor_of, _fingerprint, _keyset, _Sql, count_sql, select_sql, unwrap_token, wrap_token  # noqa: F401  (re-exported)


# -- documents ---------------------------------------------------------------------------------
def _clean(doc: dict) -> dict:
    """A returned document without Cosmos internals (``_etag`` and ``_ts`` stay)."""
    return {k: v for k, v in doc.items() if k not in _HIDDEN}


def _body(doc: dict) -> dict:
    """What gets written: the document without system fields, checked to be plain JSON."""
    body = {k: v for k, v in doc.items() if k not in _SYSTEM}
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InvalidQuery(f"document is not JSON: {exc}") from None
    return body


def _log_hooks() -> dict[str, Any]:
    from loom_tui.azure.request_log import pipeline_hooks

    return pipeline_hooks()


_LOG_HOOKS: dict[str, Any] = {}


class _Meter:
    """A per-call ``raw_response_hook``: adds up the RU of every HTTP response of one call."""

    def __init__(self) -> None:
        self.ru = 0.0

    def __call__(self, pipeline_response: Any) -> None:
        try:
            self.ru += float(pipeline_response.http_response.headers.get("x-ms-request-charge") or 0)
        except (AttributeError, ValueError):
            pass
        # a per-call hook replaces the client's: log the request line here too
        _LOG_HOOKS["raw_response_hook"](pipeline_response)


def _first_line(exc: Exception) -> str:
    text = getattr(exc, "message", None) or str(exc)
    for line in str(text).splitlines():
        line = line.strip()
        if line and not line.startswith(("Code:", "ActivityId")):
            return line[:300]
    return type(exc).__name__


def tls_mode(endpoint: str, verify_tls: bool, emulator: bool) -> str:
    """How the Cosmos DB endpoint's certificate is treated, in words (doctor prints it)."""
    if not verify_tls:
        return "not verified (cosmos_verify_tls = false)"
    host = urlparse(endpoint).hostname or ""
    if emulator:
        loop = " (azure-cosmos skips the check for this loopback host)" if host in ("localhost", "127.0.0.1") else ""
        return f"the local emulator (cosmos_emulator = true){loop}"
    return "verified" + (" (loopback endpoint, e.g. an SSH tunnel: verified all the same)" if host in ("localhost", "127.0.0.1") else "")


def _verifying_transport() -> Any:
    """An aiohttp transport that verifies TLS on every request, even where azure-cosmos asks it
    not to (it passes ``connection_verify=False`` for any localhost endpoint)."""
    from azure.core.pipeline.transport import AioHttpTransport

    class VerifyingTransport(AioHttpTransport):
        async def send(self, request: Any, **config: Any) -> Any:  # type: ignore[override]
            if config.get("connection_verify") is False:
                config["connection_verify"] = True
            return await super().send(request, **config)

    return VerifyingTransport()


class CosmosStore(DocumentStore):
    kind = "cosmos"

    def __init__(
        self,
        endpoint: str,
        credential: Any,
        database: str = "loom",
        verify_tls: bool = True,
        *,
        throttle_retries: int = 9,
        throttle_max_wait_s: int = 30,
        connection_retries: int = 2,
        max_concurrency: int = 16,
        emulator: bool = False,
    ) -> None:
        super().__init__()
        self.emulator = emulator
        if not endpoint:
            raise StoreUnavailable("no Cosmos DB endpoint configured")
        if credential is None:
            raise StoreUnavailable("no Cosmos DB credential: set cosmos_key or sign in to Azure")
        self.endpoint = endpoint
        self.database_name = database
        self.verify_tls = verify_tls
        self._credential = credential
        self._throttle_retries = max(1, throttle_retries)
        self._throttle_max_wait_s = max(1, throttle_max_wait_s)
        self._connection_retries = max(0, connection_retries)
        self._max_concurrency = max(1, max_concurrency)
        self.aggregate_concurrency = self._max_concurrency  # count_per_day's COUNT queries in flight
        self._client: Any = None
        self._db: Any = None
        self._containers: dict[str, Any] = {}
        self._single_order: set[str] = set()  # containers without the composite index a multi-field ORDER BY needs
        # keyset paging: (query fingerprint, offset) -> ORDER BY values of the row just before offset
        self._anchors: "OrderedDict[tuple, tuple]" = OrderedDict()
        self.docs_received = 0  # documents the server sent for window reads (the bench reads it)
        self.database_missing = False
        self.init_command = "loom store init"  # what a missing container's message tells to run

    @classmethod
    def from_profile(cls, profile: Any, credential: Any = None) -> "CosmosStore":
        """An account key in the profile wins; otherwise the signed-in AAD ``AsyncTokenCredential``."""
        store = cls(
            profile.cosmos_endpoint or "",
            profile.cosmos_key or credential,
            database=profile.cosmos_database or "loom",
            verify_tls=profile.cosmos_verify_tls,
            emulator=getattr(profile, "cosmos_emulator", False),
        )
        name = getattr(profile, "name", "") or ""
        store.init_command = f"loom store init --profile {shlex.quote(name)}" if name else "loom store init"
        return store

    def describe(self) -> str:
        parsed = urlparse(self.endpoint)
        return f"Cosmos DB {parsed.netloc or self.endpoint}/{self.database_name}"

    # -- plumbing --------------------------------------------------------------------------
    @asynccontextmanager
    async def _call(self, op: str, container: str | None = None, id: str | None = None) -> AsyncIterator[_Meter]:
        """Map SDK/transport errors to store errors and record the call's request charge."""
        from azure.core.exceptions import ClientAuthenticationError, ServiceRequestError, ServiceResponseError
        from azure.cosmos.exceptions import CosmosHttpResponseError

        meter = _Meter()
        try:
            yield meter
        except StoreError:
            raise
        except CosmosHttpResponseError as exc:
            raise self._map(exc, container, id) from exc
        except (ClientAuthenticationError, ServiceRequestError, ServiceResponseError, OSError, asyncio.TimeoutError) as exc:
            raise StoreUnavailable(f"{self.describe()} cannot be reached: {_first_line(exc)}") from exc
        finally:
            self.charges.record(op, meter.ru)

    def _map(self, exc: Any, container: str | None, id: str | None) -> StoreError:
        status = getattr(exc, "status_code", None)
        where = container or self.database_name
        if status == 404:
            if container is not None and id is not None:
                return NotFound(container, id)
            return StoreUnavailable(f"{self.describe()}: {where} does not exist ({_first_line(exc)})")
        if status == 409 and container is not None and id is not None:
            return Conflict(container, id)
        if status == 412 and container is not None and id is not None:
            return PreconditionFailed(container, id)
        if status == 429:
            return Throttled(
                f"{self.describe()} is throttling requests (429) and still was after"
                f" {self._throttle_retries} retries; try again shortly or raise the RU/s"
            )
        if status == 400:
            return InvalidQuery(f"{where}: Cosmos DB refused the request: {_first_line(exc)}")
        if status in (401, 403):
            return StoreUnavailable(f"{self.describe()} refused the credentials ({status}): {_first_line(exc)}")
        return StoreUnavailable(f"{self.describe()} failed ({status}): {_first_line(exc)}")

    def _c(self, container: str) -> Any:
        spec(container)
        if self._db is None:
            raise StoreUnavailable("the Cosmos DB store is not open")
        client = self._containers.get(container)
        if client is None:
            client = self._containers[container] = self._db.get_container_client(container)
        return client

    # -- lifecycle -------------------------------------------------------------------------
    def _new_client(self) -> Any:
        from azure.cosmos.aio import CosmosClient

        if not _LOG_HOOKS:
            _LOG_HOOKS.update(_log_hooks())
        extra: dict[str, Any] = {}
        if self.verify_tls and not self.emulator:
            extra["transport"] = _verifying_transport()
        return CosmosClient(
            self.endpoint,
            self._credential,
            **extra,
            # one log line per request (method, path, status, duration, request id); per-call RU
            # meters replace the response hook, so _Meter logs too
            **_LOG_HOOKS,
            connection_verify=self.verify_tls,
            retry_total=self._connection_retries,
            retry_throttle_total=self._throttle_retries,
            retry_throttle_backoff_max=self._throttle_max_wait_s,
        )

    async def open(self) -> None:
        """Read what exists; create nothing, writable or not (an account with local auth disabled
        refuses container creation through the data plane, and a typo in a profile must not create
        billable resources).  Read-only: missing containers read as empty.  Writable: every
        container must exist, else :class:`ContainersMissing` names them and ``loom store init``."""
        if self._db is not None:
            return
        client = self._new_client()
        try:
            async with self._call("open") as meter:
                await client.__aenter__()
                db = await self._open_existing(client, meter)
            if not self.read_only and (self.missing or self.database_missing):
                raise ContainersMissing(self.describe(), self.missing, self.init_command, database_missing=self.database_missing)
        except BaseException:
            await client.close()
            raise
        self._client, self._db = client, db

    async def _open_existing(self, client: Any, meter: "_Meter") -> Any:
        """What exists: the database (a missing one is an error when read-only; when writable it
        is :class:`ContainersMissing`), and the containers loom knows that are not there
        (:attr:`missing`, read as empty)."""
        from azure.cosmos.exceptions import CosmosResourceNotFoundError

        db = client.get_database_client(self.database_name)
        try:
            await db.read(raw_response_hook=meter)
        except CosmosResourceNotFoundError:
            if not self.read_only:
                self.database_missing, self.missing = True, sorted(CONTAINERS)
                return db
            raise StoreUnavailable(
                f"{self.describe()}: the database {self.database_name!r} does not exist; read-only mode creates "
                f"nothing (check cosmos_database, or create it with `{self.init_command}`)") from None
        self.database_missing = False
        existing = {c["id"] async for c in db.list_containers(raw_response_hook=meter)}
        self.missing = sorted(set(CONTAINERS) - existing)
        return db

    async def inventory(self) -> tuple[bool, list[str]]:
        """(does the database exist, the containers loom knows that it lacks), read through the
        data plane without creating anything and without opening the store."""
        client = self._new_client()
        keep = self.read_only
        try:
            async with self._call("inventory") as meter:
                await client.__aenter__()
                self.read_only = False
                await self._open_existing(client, meter)
            return (not self.database_missing, list(self.missing))
        finally:
            self.read_only = keep
            await client.close()

    async def init_with_key(self) -> list[str]:
        """Create the database and the missing containers through the DATA PLANE — only an account
        key (or the emulator's) may do that; an Entra identity is refused (403) whatever its role,
        and ``loom store init`` then goes through Azure Resource Manager.  Never called by
        :meth:`open`.  Returns what it created (``"database"`` first when it made it)."""
        from azure.cosmos import PartitionKey

        exists, missing = await self.inventory()
        made: list[str] = [] if exists else ["database"]
        client = self._new_client()
        try:
            async with self._call("init") as meter:
                await client.__aenter__()
                db = await client.create_database_if_not_exists(self.database_name, raw_response_hook=meter)

                async def make(name: str) -> None:
                    c = CONTAINERS[name]
                    policy = indexing_policy(name)
                    extra = {"indexing_policy": policy} if policy else {}
                    await db.create_container_if_not_exists(name, PartitionKey(path=c.partition_path), raw_response_hook=meter, **extra)

                await asyncio.gather(*(make(n) for n in missing))
        finally:
            await client.close()
        return made + missing

    async def close(self) -> None:
        client, self._client, self._db = self._client, None, None
        self._containers.clear()
        if client is not None:
            await client.close()

    async def drop_database(self) -> None:
        """Delete the whole database (tests and benchmarks clean up with it)."""
        if self._client is None:
            raise StoreUnavailable("the Cosmos DB store is not open")
        async with self._call("drop_database") as meter:
            await self._client.delete_database(self.database_name, raw_response_hook=meter)

    # -- point operations ------------------------------------------------------------------
    async def get(self, container: str, pk: str, id: str) -> dict | None:
        c = self._c(container)
        if container in self.missing:
            return None
        if not id or BAD_ID_CHARS & set(id):
            return None  # such an id can never be stored
        try:
            async with self._call("get", container, id) as meter:
                return _clean(await c.read_item(id, partition_key=pk, raw_response_hook=meter))
        except NotFound:
            return None

    async def create(self, container: str, doc: dict) -> dict:
        self._writable(f"create in {container}")
        self._forget(container)
        c = self._c(container)
        partition_of(container, doc)
        body = _body(doc)
        async with self._call("create", container, doc["id"]) as meter:
            return _clean(await c.create_item(body, raw_response_hook=meter))

    async def create_batch(self, container: str, docs: list[dict]) -> list[dict]:
        self._writable(f"create_batch in {container}")
        self._forget(container)
        c = self._c(container)
        pk = one_partition(container, docs)
        operations = [("create", (_body(d),)) for d in docs]
        from azure.cosmos.exceptions import CosmosBatchOperationError

        try:
            async with self._call("create_batch", container, docs[0]["id"]) as meter:
                results = await c.execute_item_batch(operations, partition_key=pk, raw_response_hook=meter)
        except CosmosBatchOperationError as exc:  # one operation failed: the whole batch was rolled back
            index = exc.error_index if isinstance(exc.error_index, int) and 0 <= exc.error_index < len(docs) else 0
            raise self._map(exc, container, docs[index]["id"]) from exc
        return [_clean(r.get("resourceBody", r) if isinstance(r, dict) else r) for r in results]

    async def upsert(self, container: str, doc: dict) -> dict:
        self._writable(f"upsert in {container}")
        self._forget(container)
        c = self._c(container)
        partition_of(container, doc)
        body = _body(doc)
        async with self._call("upsert", container, doc["id"]) as meter:
            return _clean(await c.upsert_item(body, raw_response_hook=meter))

    async def upsert_many(self, container: str, docs: Iterable[dict]) -> int:
        self._writable(f"upsert_many in {container}")
        self._forget(container)
        c = self._c(container)
        bodies = []
        for d in docs:  # refuse bad input before anything is written, like the SQLite adapter
            partition_of(container, d)
            bodies.append(_body(d))
        gate = asyncio.Semaphore(self._max_concurrency)

        async def one(body: dict, meter: _Meter) -> None:
            async with gate:
                await c.upsert_item(body, raw_response_hook=meter)

        async with self._call("upsert_many", container) as meter:
            tasks = [asyncio.ensure_future(one(b, meter)) for b in bodies]
            try:
                await asyncio.gather(*tasks)
            except BaseException:
                for t in tasks:  # the first failure stops the batch: no writes keep running behind it
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
                raise
        return len(bodies)

    async def replace(self, container: str, doc: dict, *, if_match: str | None = None) -> dict:
        self._writable(f"replace in {container}")
        self._forget(container)
        from azure.core import MatchConditions

        c = self._c(container)
        partition_of(container, doc)
        body = _body(doc)
        cond = {"etag": if_match, "match_condition": MatchConditions.IfNotModified} if if_match is not None else {}
        async with self._call("replace", container, doc["id"]) as meter:
            return _clean(await c.replace_item(doc["id"], body, raw_response_hook=meter, **cond))

    async def delete(self, container: str, pk: str, id: str, *, if_match: str | None = None) -> None:
        self._writable(f"delete in {container}")
        self._forget(container)
        from azure.core import MatchConditions

        c = self._c(container)
        if not id or BAD_ID_CHARS & set(id):
            raise NotFound(container, id)
        cond = {"etag": if_match, "match_condition": MatchConditions.IfNotModified} if if_match is not None else {}
        async with self._call("delete", container, id) as meter:
            await c.delete_item(id, partition_key=pk, raw_response_hook=meter, **cond)

    # -- queries ---------------------------------------------------------------------------
    def _items(self, c: Any, sql: str, params: list[dict], pk: str | None, meter: _Meter, **kw: Any) -> Any:
        scope = {"partition_key": pk} if pk is not None else {}
        return c.query_items(sql, parameters=params, raw_response_hook=meter, **scope, **kw)

    # -- ORDER BY on more than one field ---------------------------------------------------
    # Cosmos serves a multi-field ORDER BY only from a matching composite index, which the
    # containers the web console created do not have.  The first refusal marks the container;
    # from then on its queries order by their first field only (ties in Cosmos's own order) —
    # the rows are the same, only the order among equal first keys can differ.
    def _orderable(self, container: str, query: Query) -> Query:
        if len(query.order_by) > 1 and container in self._single_order:
            return Query(query.where, query.order_by[:1])
        return query

    def _composite_refused(self, container: str, query: Query, exc: InvalidQuery) -> bool:
        if len(query.order_by) > 1 and "composite index" in str(exc) and container not in self._single_order:
            self._single_order.add(container)
            return True
        return False

    async def _page(self, op: str, container: str, pk: str | None, query: Query, max_items: int, continuation: str | None) -> Page:
        try:
            return await self._page_once(op, container, pk, self._orderable(container, query), max_items, continuation)
        except InvalidQuery as exc:
            if not self._composite_refused(container, query, exc):
                raise
            return await self._page_once(op, container, pk, self._orderable(container, query), max_items, continuation)

    async def _page_once(self, op: str, container: str, pk: str | None, query: Query, max_items: int, continuation: str | None) -> Page:
        if max_items < 1:
            raise InvalidQuery("max_items must be at least 1")
        c = self._c(container)
        if container in self.missing:
            return Page([], None)
        sql, params = select_sql(container, pk, query)
        fp = _fingerprint(container, pk, sql, params)
        token = unwrap_token(continuation, fp) if continuation else None
        items: list[dict] = []
        async with self._call(op, container) as meter:
            # Cosmos may answer with short pages: keep asking until the page is full or done.
            while len(items) < max_items:
                pager = self._items(c, sql, params, pk, meter, max_item_count=max_items - len(items)).by_page(token)
                try:
                    page = await pager.__anext__()
                except StopAsyncIteration:
                    token = None
                    break
                items.extend([_clean(d) async for d in page])
                token = pager.continuation_token
                if not token:
                    break
        return Page(items, wrap_token(token, fp) if token else None)

    async def query(self, container: str, pk: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None) -> Page:
        return await self._page("query", container, pk, query, max_items, continuation)

    async def query_cross_partition(
        self, container: str, query: Query = ALL, *, max_items: int = 100, continuation: str | None = None
    ) -> Page:
        return await self._page("query_cross_partition", container, None, query, max_items, continuation)

    async def window(self, container: str, pk: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self._window(container, pk, query, offset, limit)

    async def window_cross_partition(self, container: str, query: Query, offset: int, limit: int) -> list[dict]:
        return await self._window(container, None, query, offset, limit)

    async def _window(self, container: str, pk: str | None, query: Query, offset: int, limit: int) -> list[dict]:
        if not isinstance(offset, int) or not isinstance(limit, int) or offset < 0 or limit < 0:
            raise InvalidQuery("offset and limit must be non-negative integers")
        if limit == 0:
            return []
        try:
            return await self._window_once(container, pk, self._orderable(container, query), offset, limit)
        except InvalidQuery as exc:
            if not self._composite_refused(container, query, exc):
                raise
            return await self._window_once(container, pk, self._orderable(container, query), offset, limit)

    async def _window_once(self, container: str, pk: str | None, query: Query, offset: int, limit: int) -> list[dict]:
        """A window: continued by keyset from a remembered page end when there is one (so a page
        deep in a sequential scroll costs what the first page costs), else ``TOP offset+limit``
        with the head dropped.  (The items list reads the back half in reverse order, so the tail
        is cheap too; see ItemService.window.)"""
        c = self._c(container)
        if container in self.missing:
            return []
        base_sql, base_params = select_sql(container, pk, query)
        fp = _fingerprint(container, pk, base_sql, base_params)
        anchor = self._anchors.get((container, pk, fp, offset)) if offset else None
        if anchor is not None:
            sql, params = select_sql(container, pk, query, top=limit, after=anchor)
            async with self._call("window", container) as meter:
                rows = [d async for d in self._items(c, sql, params, pk, meter)]
            self.docs_received += len(rows)
            if len(rows) == limit:  # a short page may have missed rows Cosmos orders after undefined values
                return self._remember((container, pk, fp), offset, query, [_clean(d) for d in rows])
        sql, params = select_sql(container, pk, query, top=offset + limit)
        async with self._call("window", container) as meter:
            rows = [d async for d in self._items(c, sql, params, pk, meter)]
        self.docs_received += len(rows)
        return self._remember((container, pk, fp), offset, query, [_clean(d) for d in rows[offset : offset + limit]])

    def _remember(self, where: tuple, offset: int, query: Query, rows: list[dict]) -> list[dict]:
        if rows:
            anchor = _anchor_of(query, rows[-1])
            if anchor is not None:
                key = (*where, offset + len(rows))
                self._anchors[key] = anchor
                self._anchors.move_to_end(key)
                while len(self._anchors) > ANCHORS:
                    self._anchors.popitem(last=False)
        return rows

    def _forget(self, container: str, pk: str | None = None) -> None:
        """A write through this store moves rows: page ends remembered for that partition go."""
        # (page ends of a cross-partition window, k[1] None, go with a write to any partition)
        for key in [k for k in self._anchors if k[0] == container and (pk is None or k[1] in (pk, None))]:
            del self._anchors[key]

    async def _count(self, op: str, container: str, pk: str | None, query: Query) -> int:
        c = self._c(container)
        if container in self.missing:
            return 0
        sql, params = count_sql(container, pk, query)
        async with self._call(op, container) as meter:
            values = [v async for v in self._items(c, sql, params, pk, meter)]
        return int(sum(v for v in values if isinstance(v, (int, float))))

    async def count(self, container: str, pk: str, query: Query = ALL) -> int:
        return await self._count("count", container, pk, query)

    async def count_cross_partition(self, container: str, query: Query = ALL) -> int:
        return await self._count("count_cross_partition", container, None, query)
