"""Cost code below the screens never pulls Textual in, and nothing loads DuckDB at start-up."""

from __future__ import annotations

import subprocess
import sys


def _loaded(code: str) -> list[str]:
    code += "; import sys; print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'duckdb'}))"
    return eval(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip())


def test_services_and_engine_do_not_import_textual():
    mods = ["loom_tui.services.cost.service", "loom_tui.services.cost.records", "loom_tui.local.cost.importer", "loom_tui.commands.cost"]
    assert "textual" not in _loaded("; ".join(f"import {m}" for m in mods))


def test_duckdb_is_not_loaded_by_the_console_or_the_cli_parser():
    assert "duckdb" not in _loaded("import loom_tui.app, loom_tui.cli; loom_tui.cli.build_parser()")
    assert "duckdb" not in _loaded("import loom_tui.services.cost.service, loom_tui.local.cost.importer")
