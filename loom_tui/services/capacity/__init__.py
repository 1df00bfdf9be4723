"""The Capacity area: the Loom estate's Azure resources, their state, cost and load; pause,
resume, scale; auto-pause; DR posture.  Pure rules live in their own modules (scope, view,
summary, metrics, autopause, dr); the modules that call Azure take the shared clients."""
