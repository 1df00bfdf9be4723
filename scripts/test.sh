#!/usr/bin/env bash
# Install everything the tests need (a venv in .venv, the npm Cosmos DB protocol server) and run them all.
# Usage: bash scripts/test.sh [pytest args...]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/bootstrap.sh
bootstrap_python test
bootstrap_node
exec "$VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
