# Sourced by scripts/*.sh: create .venv and install loom-tui into it (only when pyproject changed).
VENV="${LOOM_VENV:-$PWD/.venv}"
PY="${PYTHON:-python3}"

# uv (put into the venv by pip, a few seconds) resolves and downloads in parallel and does not
# byte-compile what the run never imports: a fresh venv with the test extras in ~20 s, where pip
# alone took ~100 s. pip is the fallback (uv cannot reach PyPI, say, where pip's own configured
# index can); LOOM_NO_UV=1 skips uv.
_install() {
  local spec="$1"
  if [ "${LOOM_NO_UV:-}" != 1 ] && "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check uv >&2 \
     && "$VENV/bin/uv" pip install --quiet --native-tls --python "$VENV/bin/python" -e "$spec" >&2; then
    return 0
  fi
  [ "${LOOM_NO_UV:-}" != 1 ] && echo "uv could not install loom-tui; installing with pip" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$spec" >&2
}

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
    _install "$spec" || return 1
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
