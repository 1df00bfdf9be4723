#!/usr/bin/env bash
# Install everything the tests need (a venv in .venv, the npm Cosmos DB protocol server), check the
# code with ruff (F, E9) and run the tests.
# Usage: bash scripts/test.sh [pytest args...]
#
# Two passes: every test not marked `serial` in parallel (pytest-xdist, one file per worker at a
# time: `--dist loadfile`; LOOM_TEST_WORKERS workers, default 4 — most tests wait on a simulated
# Azure or a terminal, so more workers than cores pays), then the `serial` tests, which need the
# machine to themselves, one at a time.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bootstrap_python test || exit 1
bootstrap_node || exit 1

# Lint first (pyflakes' F rules and syntax errors, as pyproject's [tool.ruff] says): a failure ends the run
"$VENV/bin/ruff" check --select F,E9 loom_tui tests bench scripts || { echo "ruff check failed" >&2; exit 1; }

workers="${LOOM_TEST_WORKERS:-4}"
run() { "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"; }

run -n "$workers" --dist loadfile -m "not serial" "$@"
parallel=$?
run -m serial "$@"
serial=$?

# 5 = "no tests collected" (a -k or a path that selects nothing in one of the passes)
if [ "$parallel" -eq 5 ] && [ "$serial" -eq 5 ]; then exit 5; fi
[ "$parallel" -eq 5 ] && parallel=0
[ "$serial" -eq 5 ] && serial=0
[ "$parallel" -ne 0 ] && exit "$parallel"
exit "$serial"
