"""Run the benchmark suite: ``python bench/run.py [--json PATH] [--only NAME...]``.

Every module ``bench/<name>.py`` (not starting with ``_``) is a benchmark: it has ``run() -> dict[str,
float]`` and may declare ``BASELINES = {metric: baseline_metric}`` — the metric measured in the same
run that a ratio compares against (speed is reported as ratios, never as wall-clock limits).
The JSON written is ``{metric: number, ..., "baselines": {metric: baseline_metric}}``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
import traceback
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))


def discover() -> dict[str, Path]:
    return {p.stem: p for p in sorted(HERE.glob("*.py")) if not p.stem.startswith("_") and p.stem != "run"}


def load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)):
        raise TypeError(f"bench/{path.name} has no run() function")
    return module


def table(results: dict[str, float], baselines: dict[str, str]) -> str:
    rows = [("metric", "value", "baseline", "ratio")]
    for metric, value in results.items():
        base = baselines.get(metric)
        ratio = ""
        if base and results.get(base):
            ratio = f"{value / results[base]:.2f}"
        rows.append((metric, f"{value:.4g}", base or "", ratio))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) if i in (0, 2) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    available = discover()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], prog="bench/run.py")
    p.add_argument("--json", metavar="PATH", help="also write the results as JSON")
    p.add_argument("--only", nargs="+", metavar="NAME", choices=sorted(available), help="run only these benchmarks")
    args = p.parse_args(argv)
    results: dict[str, float] = {}
    baselines: dict[str, str] = {}
    failed: list[str] = []
    for name in args.only or list(available):
        t0 = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            module = load(name, available[name])
            metrics = module.run()
        except Exception:  # one broken benchmark must not hide the others' numbers
            traceback.print_exc()
            failed.append(name)
            continue
        for metric, value in metrics.items():
            if not isinstance(value, (int, float)):
                raise TypeError(f"{name}: metric {metric} is not a number: {value!r}")
            results[metric] = float(value)
        baselines.update(getattr(module, "BASELINES", {}))
        print(f"  {name}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    print(table(results, baselines))
    if args.json:
        out = {**results, "baselines": {m: b for m, b in baselines.items() if m in results}}
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
