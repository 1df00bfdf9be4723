"""Dialogs every area opens: prompts, pickers, the error and help dialogs, describe."""
