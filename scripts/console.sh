#!/usr/bin/env bash
# Install what the console needs (a venv in .venv) and open it on the embedded store with the demo tenant.
# Usage: bash scripts/console.sh [loom args...]
# The headless commands of the README (`loom workspaces list`, ...) need `loom` on PATH: this script
# says how (`source scripts/env.sh`) when it is not.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bootstrap_python
if [ "$(command -v loom 2>/dev/null || true)" != "$VENV/bin/loom" ]; then
  echo "loom is installed in $VENV/bin; to run the README's \`loom ...\` commands from this shell:" >&2
  echo "    source scripts/env.sh        # or: export PATH=\"$VENV/bin:\$PATH\"" >&2
fi
status=0
"$VENV/bin/loom" "$@" || status=$?
if [ "$(command -v loom 2>/dev/null || true)" != "$VENV/bin/loom" ] && [ -t 2 ]; then
  echo "(headless commands: source scripts/env.sh, then e.g. loom workspaces list)" >&2
fi
exit "$status"
