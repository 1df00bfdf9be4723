"""DLZ (key 5): the DLZ wizard (see :mod:`.screen`). The screen is :class:`.screen.DlzScreen`;
this package imports nothing itself, so that importing one of its modules does not import them
all (and no module imports itself round)."""
