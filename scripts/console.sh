#!/usr/bin/env bash
# Install what the console needs (a venv in .venv) and open it on the embedded store with the demo tenant.
# Usage: bash scripts/console.sh [loom args...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bootstrap_python
exec "$VENV/bin/loom" "$@"
