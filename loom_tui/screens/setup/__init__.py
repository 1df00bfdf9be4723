"""Setup (key 5): the DLZ wizard, step by step, with its draft saved after every step.

intro → boundary → mode → subscription & region → domain → capacity → network → permissions →
review (validate + what-if) → deploying (per-stage progress) → done.  ``enter`` goes on (Next is
refused with the reasons shown until the step is valid), ``esc`` goes back.  The step machine,
checks and runner are in :mod:`loom_tui.services.deploy`; this screen only renders and asks, in
workers.  On open the latest unfinished draft resumes at its step (a deployment that was running
resumes watching — or retrying — from the stage it had reached).

The screen is :class:`.screen.SetupScreen`; this package imports nothing itself, so that importing
one of its modules does not import them all (and no module imports itself round).
"""
