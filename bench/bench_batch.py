"""Batch throughput: one worker, two workers and a local Dask cluster on the same reports, in one run.

    python bench/bench_batch.py [--files 200] [--langid] [--keep DIR]

--files generated reports (seeds 1..N, one chapter, the shortest the generator makes: about
ten pages each; kept in --keep DIR, if given, and reused on the next run) go through
`coitool extract DIR --out-dir … --manifest …` three times, as separate processes:
`--jobs 1`, `--jobs 2` and `--dask local --jobs 2` (two worker processes, one thread each).
Without --langid the runs use --no-langid (language tagging would dominate, and measure
lingua rather than the batch). Printed for each: wall time, files/s and pages/s (pages
from the manifest), then the scaling of two workers against one (target: >= 1.7 on two
cores) and the cost of Dask against the process pool with the same workers (target:
<= 10 %). Wall times include starting the workers (and the cluster): that is what a user
waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

COITOOL = str(Path(sys.executable).with_name("coitool"))
SCALING_TARGET = 1.7  # two workers on two cores, minus the supervisor's and the OS's share
DASK_COST_TARGET = 0.10  # the scheduler's round trips and serialisation per file


def generate(path: Path) -> None:
    from toolkit.sample.generator import build_report

    seed = int(path.stem.split("-")[-1])
    build_report(path, seed=seed, chapters=1, target_pages=3)


def reports(folder: Path, count: int) -> None:
    """report-0001.pdf … in ``folder``, built once (two processes)."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = [folder / f"report-{seed:04d}.pdf" for seed in range(1, count + 1)]
    missing = [p for p in missing if not p.exists()]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(generate, missing))


def run(folder: Path, work: Path, name: str, extra: list[str], langid: bool) -> dict:
    out, manifest = work / name, work / f"{name}.jsonl"
    args = [COITOOL, "-q", "extract", str(folder), "--out-dir", str(out), "--manifest", str(manifest), "--silent", *extra]
    if not langid:
        args.append("--no-langid")
    start = time.perf_counter()
    subprocess.run(args, check=True)
    seconds = time.perf_counter() - start
    lines = [json.loads(line) for line in manifest.read_text().splitlines()]
    assert all(line["status"] == "ok" for line in lines), [line for line in lines if line["status"] != "ok"][:1]
    pages = sum(line.get("pages") or 0 for line in lines)
    return {"name": name, "seconds": seconds, "files": len(lines), "pages": pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--langid", action="store_true", help="tag languages too (default: --no-langid)")
    parser.add_argument("--keep", type=Path, help="folder for the generated reports, reused when present")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp) / "reports"
        started = time.perf_counter()
        reports(folder, options.files)
        print(f"{options.files} reports in {folder} ({time.perf_counter() - started:.0f} s to generate the missing ones)")
        work = Path(tmp) / "work"
        work.mkdir()
        runs = [
            run(folder, work, "jobs1", ["--jobs", "1"], options.langid),
            run(folder, work, "jobs2", ["--jobs", "2"], options.langid),
            run(folder, work, "dask2", ["--dask", "local", "--jobs", "2"], options.langid),
        ]
        for r in runs:
            print(f"{r['name']:>6}: {r['seconds']:7.1f} s  {r['files'] / r['seconds']:6.2f} files/s  "
                  f"{r['pages'] / r['seconds']:7.1f} pages/s  ({r['files']} files, {r['pages']} pages)")
        one, two, dask = (r["seconds"] for r in runs)
        scaling = one / two
        cost = dask / two - 1
        print(f"scaling, 2 workers vs 1: {scaling:.2f} x (target >= {SCALING_TARGET}; {os.cpu_count()} cores)")
        print(f"Dask cost vs the process pool (2 workers): {cost * 100:+.1f} % (target <= {DASK_COST_TARGET * 100:.0f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
