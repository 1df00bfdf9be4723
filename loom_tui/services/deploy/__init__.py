"""The Setup area: the DLZ wizard's step machine and plan (pure), drafts, the runner."""
