"""The demo Azure: a local Azure Resource Manager on 127.0.0.1 that the real async SDK clients
talk to through the same code paths as a real cloud (https, bearer token, paging, LROs, retries).

It serves the demo tenant's estate (``estate.py``) from SQLite in the data directory
(``state.py``; several loom processes share it, ``loom seed`` resets it) and, without a state, the
official example bodies for the tests (``routes/examples.py``: ``tests/support/arm_server.py``).
It imports nothing from ``services/``, ``screens/`` or ``commands/``.

Start it: ``launcher.start_demo_azure(data_dir, port=0) -> DemoAzureHandle`` (own thread and loop;
``.arm_endpoint``, ``.ca_bundle``, ``.secret``, ``.tenant_id``, ``.subscriptions``, ``.stop()``),
or ``loom demo-azure serve [--port N]`` in the foreground.  ``GET /metadata/endpoints`` answers the
cloud metadata document (``metadata.py``), so a profile can register it as a custom cloud.

Extending it (area helpers)
---------------------------
* **Routes**: add ``routes/<provider>.py`` with ``register(router, state)``; every module there is
  registered by itself (``routes/__init__.py``), ordered by its ``ORDER`` (default 50; the first
  matching route answers).  ``router.add(name, method, path_regex, handler)`` — ``name`` is what
  faults, latency and call records use (``server.inject(name, Fault("429", variant=...))``,
  ``server.delay(name, s)``, ``server.calls_to(name)``); a handler is
  ``async def handler(req: ArmRequest) -> web.StreamResponse`` (``req.body`` parsed JSON,
  ``req["sub"]`` path groups, ``req.query``, ``req.base``).  Path building blocks: ``router.SUB``,
  ``RG``, ``SCOPE``.  From ``routes/_arm.py``: ``register_type(router, state, name, "NS/type[/child]")``
  (GET one / list / list by subscription), ``accept(...)`` (answer 202 with Azure-AsyncOperation +
  Location and run an operation whose states come from timestamps), ``not_found``, ``page``.
  Errors: ``responses.arm_error(status, code, message)`` (``{"error": {"code", "message"}}``).
  A module that registers a route name the example routes also have (``cost.query``,
  ``budgets.*``, ``deployments.*``) replaces the example-body route in the demo Azure.
* **Estate data**: resources go in ``estate.py`` builders; an area adds its own
  ``estate_<area>.py`` with ``def build(estate: Estate) -> None`` listed in
  ``estate_all.BUILDERS`` (``estate_all.build_estate`` makes the whole), using ``estate.add(resource)``
  for ARM resources and ``estate.docs.append((kind, id, body))`` for anything else (read back with
  ``state.doc(kind, id)`` / ``state.docs(kind)``).  Bump ``state.ESTATE_VERSION`` so existing data
  dirs reseed.
* **State**: ``state.get/list/put/patch/delete`` (resources by ARM id, case-insensitive),
  ``state.start_operation(...)``, ``state.fail_action(action, target=..., at="request"|"operation")``
  (make an action fail, visible to every process on the data dir).
* **Shapes**: copy the official example of every route you serve into ``tests/fixtures/azure-rest``
  (ATTRIBUTION.md) and add its call to ``tests/demo_azure/test_shapes.py::CALLS`` (remove it from
  ``OWNED_ELSEWHERE``).
"""
