# Put this checkout's `loom` on PATH for the current shell:   source scripts/env.sh
# (bash scripts/console.sh creates .venv first; this only changes PATH.)
_loom_root="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)"
case ":$PATH:" in
  *":${LOOM_VENV:-$_loom_root/.venv}/bin:"*) ;;
  *) export PATH="${LOOM_VENV:-$_loom_root/.venv}/bin:$PATH" ;;
esac
unset _loom_root
