"""The DLZ area: the wizard's step machine and plan (pure), drafts, the runner."""
