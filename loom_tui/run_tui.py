"""Start the full-screen console (kept apart from cli.py so headless commands never import Textual)."""

from __future__ import annotations

import argparse


def run_tui(args: argparse.Namespace) -> int:
    from loom_tui.app import LoomApp

    app = LoomApp(profile_name=args.profile, data_dir=args.data_dir, read_only=args.read_only, persona=getattr(args, "as_persona", None))
    app.run()
    return app.return_code or 0
