# Sourced by scripts/*.sh: create .venv and install loom-tui into it (only when pyproject changed).
VENV="${LOOM_VENV:-$PWD/.venv}"
PY="${PYTHON:-python3}"

bootstrap_python() {
  local extra="${1:-}"
  local spec="."
  [ -n "$extra" ] && spec=".[${extra}]"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "creating $VENV" >&2
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.loom-installed-${extra:-base}"
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "installing loom-tui ${extra:+with $extra extras} into $VENV" >&2
    # the stamp only after a whole install: a failed one is tried again on the next run
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" >&2 || return 1
    touch "$stamp"
  fi
}

bootstrap_node() {
  # The local Cosmos DB protocol server for the Cosmos adapter tests (npm @vercel/cosmosdb-server).
  local dir="tests/support/cosmos"
  if [ -f "$dir/package.json" ] && { [ ! -d "$dir/node_modules" ] || [ "$dir/package.json" -nt "$dir/node_modules" ]; }; then
    echo "installing the Cosmos DB test server (npm) into $dir" >&2
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2 || npm install --no-audit --no-fund --loglevel=error >&2)
    touch "$dir/node_modules"
  fi
}
