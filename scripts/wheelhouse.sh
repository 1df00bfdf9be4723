#!/usr/bin/env bash
# Build a wheelhouse for an air-gapped install: loom-tui and every dependency as wheels, in one folder.
#
#   bash scripts/wheelhouse.sh                       # for this machine's python3 (or $PYTHON)
#   bash scripts/wheelhouse.sh --python-version 3.12 --platform manylinux2014_x86_64   # another target
#   bash scripts/wheelhouse.sh --out /media/usb/wheelhouse
#
# Then, on the host without an index:
#   python3 -m venv loom && loom/bin/pip install --no-index --find-links wheelhouse loom-tui
#
# For another target only binary wheels can be used (nothing can be compiled for a foreign
# platform); pip says which dependency lacks one.  The last step proves the folder is complete:
# it resolves loom-tui from the wheelhouse alone, with the index disabled.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="dist/wheelhouse"
PY="${PYTHON:-python3}"
PYV=""
PLAT=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) OUT="$2"; shift 2 ;;
    --python) PY="$2"; shift 2 ;;
    --python-version) PYV="$2"; shift 2 ;;
    --platform) PLAT="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "wheelhouse.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

PIP=("$PY" -m pip --disable-pip-version-check)
mkdir -p "$OUT"
rm -f "$OUT"/loom_tui-*.whl   # never ship a stale build of loom-tui itself

echo "building loom-tui into $OUT" >&2
# from a clean copy of the sources: an in-tree build reuses build/lib, where deleted modules linger
SRC="$(mktemp -d)"
trap 'rm -rf "$SRC"' EXIT
tar --exclude=__pycache__ --exclude='*.pyc' -cf - pyproject.toml README.md loom_tui $(ls LICENSE* 2>/dev/null) | tar -xf - -C "$SRC"
"${PIP[@]}" wheel --quiet --no-deps --wheel-dir "$OUT" "$SRC"
WHEEL="$(ls "$OUT"/loom_tui-*.whl | head -n1)"

if [ -z "$PYV$PLAT" ]; then
  echo "collecting dependencies for $("$PY" -c 'import sys, sysconfig; print(f"python {sys.version.split()[0]} on {sysconfig.get_platform()}")')" >&2
  "${PIP[@]}" wheel --quiet --wheel-dir "$OUT" "$WHEEL"
  CHECK=("${PIP[@]}" install --dry-run --ignore-installed --quiet --no-index --find-links "$OUT" "$WHEEL")
else
  TARGET=(--only-binary=:all: --implementation cp)
  [ -n "$PYV" ] && TARGET+=(--python-version "$PYV")
  [ -n "$PLAT" ] && TARGET+=(--platform "$PLAT")
  echo "collecting binary wheels for python ${PYV:-(this)} on ${PLAT:-(this platform)}" >&2
  "${PIP[@]}" download --quiet --dest "$OUT" "${TARGET[@]}" "$WHEEL"
  CHECK=("${PIP[@]}" install --dry-run --ignore-installed --quiet --no-index --find-links "$OUT" "${TARGET[@]}" --target "$(mktemp -d)" "$WHEEL")
fi

echo "checking that $OUT alone satisfies loom-tui (index disabled, no pip config)" >&2
env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null "${CHECK[@]}"
echo "wheelhouse ready: $OUT ($(ls "$OUT"/*.whl | wc -l) wheels)" >&2
