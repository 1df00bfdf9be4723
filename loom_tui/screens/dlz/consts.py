"""Which steps use which widgets and keys."""

CHOICE_STEPS = ("boundary", "mode", "subscription", "capacity")
# the step each key belongs to (elsewhere it is hidden from the footer and does nothing)
STEP_KEYS = {"check": ("permissions",), "validate": ("review",), "retry": ("deploying",), "another": ("done",),
             "deploy": ("review",), "template": ("review",), "parameter": ("review",)}
# ctrl+r / r: on the deploying step retry the deployment; on every other step read again what the
# wizard knows from Azure (subscriptions, hub and spokes, permissions) — ctrl+r refreshes everywhere
INPUT_STEPS = ("domain", "network")
FACT_FREE = ("intro", "boundary", "mode")  # steps that need nothing read from Azure (usable while it is read)
