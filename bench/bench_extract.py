"""Extraction speed and memory, as ratios against PyMuPDF itself in the same run.

    python bench/bench_extract.py [--pages 100] [--repeat 3]

Prints pages/s for
  * PyMuPDF: page.get_text("dict") + page.get_links() over every page (the floor we build on),
  * coitool: extraction + TEI writing, without language tagging and citation parsing,
  * coitool with citation parsing and language tagging (warm: models already loaded),
and the ratios (each comparison in a fresh child process, its runs interleaved); then the
peak resident memory of one `coitool extract --no-langid` process and the cold cost of a
full `coitool extract` (models loaded in that run), best of three CLI runs each.
Targets: extraction at >= 1/4 of PyMuPDF's speed (>= 0.15 for the default command, with
citations and languages), < 200 MB peak for 100 pages, tagging + citations adding <= 50 %
to extraction time. bench/bench_scaling.py checks that the cost per page does not grow
with the length of the report or its numbering scheme.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def best_of_interleaved(repeat: int, *funcs) -> list[float]:
    """Best time of each function, the functions taking turns so that load on the machine hits all alike."""
    best = [float("inf")] * len(funcs)
    for _ in range(repeat):
        for i, func in enumerate(funcs):
            start = time.perf_counter()
            func()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def pymupdf_baseline(path: Path) -> None:
    import pymupdf

    with pymupdf.open(path) as doc:
        for page in doc:
            page.get_text("dict")
            page.get_links()


def coitool_plain(path: Path) -> None:
    from toolkit.extract.pipeline import extract
    from toolkit.tei import document_to_tei, serialize

    serialize(document_to_tei(extract(path, languages=False, citations=False)))


def coitool_full(path: Path) -> None:
    from toolkit.extract.pipeline import extract
    from toolkit.tei import document_to_tei, serialize

    serialize(document_to_tei(extract(path)))


# Runs the CLI and reports the process's own high-water RSS (VmHWM starts afresh at exec, unlike
# ru_maxrss, which a forked child inherits from this already large benchmark process).
CHILD = """
import sys
from toolkit.cli import main
try:
    main(sys.argv[1:], prog_name="coitool")
except SystemExit as stop:
    code = stop.code
for line in open("/proc/self/status"):
    if line.startswith("VmHWM"):
        print(line.split()[1], file=sys.stderr)
sys.exit(code)
"""


def child_peak_mb(args: list[str]) -> tuple[float, float]:
    """Run `coitool ARGS`; return its wall time and its peak resident memory in MB."""
    start = time.perf_counter()
    env = {**os.environ, "COITOOL_LANGID_CACHE": "off"}  # cold means cold: no answers kept from the run before
    done = subprocess.run([sys.executable, "-c", CHILD, *args], check=True, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    return elapsed, int(done.stderr.strip().splitlines()[-1]) / 1024


def measure(path: Path, repeat: int, with_languages: bool) -> None:
    """Child process: print the interleaved best times as JSON.

    Each comparison runs in a fresh process, so the baseline and coitool share one clean
    heap; the language comparison loads the models first in its own process.
    """
    if with_languages:
        coitool_full(path)  # load the models once: the warm figures measure the work itself
        base, plain, full = best_of_interleaved(
            repeat, lambda: pymupdf_baseline(path), lambda: coitool_plain(path), lambda: coitool_full(path)
        )
        print(json.dumps({"base": base, "plain": plain, "full": full}))
    else:
        coitool_plain(path)
        base, plain = best_of_interleaved(repeat, lambda: pymupdf_baseline(path), lambda: coitool_plain(path))
        print(json.dumps({"base": base, "plain": plain}))


def run_child(path: Path, repeat: int, with_languages: bool) -> dict:
    args = [sys.executable, __file__, "--measure", str(path), "--repeat", str(repeat)]
    if with_languages:
        args.append("--languages")
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--languages", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options.measure, options.repeat, options.languages)
        return 0

    from toolkit.sample.generator import build_report

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench-report.pdf"
        truth = build_report(path, target_pages=options.pages)
        pages = truth.page_count
        print(f"report: {pages} pages, {len(truth.footnotes)} footnotes")

        speed = run_child(path, options.repeat, with_languages=False)
        base, plain = speed["base"], speed["plain"]
        print(f"{'PyMuPDF dict+links':34s} {pages / base:8.0f} pages/s")
        print(f"{'coitool extract (no langid)':34s} {pages / plain:8.0f} pages/s   ratio {base / plain:.2f} of PyMuPDF (target >= 0.25)")
        tagged = run_child(path, options.repeat, with_languages=True)
        extra = (tagged["full"] - tagged["plain"]) / tagged["plain"]
        print(f"{'coitool extract (+citations, lang)':34s} {pages / tagged['full']:8.0f} pages/s   adds {100 * extra:.0f}% (target <= 50%); "
              f"ratio {tagged['base'] / tagged['full']:.2f} of PyMuPDF (target >= 0.15)")

        out = Path(tmp) / "out.xml"
        runs = [child_peak_mb(["-q", "extract", "--no-langid", str(path), "-o", str(out)]) for _ in range(3)]
        wall_plain, peak = min(r[0] for r in runs), max(r[1] for r in runs)
        print(f"{'one CLI run, --no-langid':34s} {wall_plain:8.2f} s     peak RSS {peak:.0f} MB (target < 200 MB)")
        runs = [child_peak_mb(["-q", "extract", str(path), "-o", str(out)]) for _ in range(3)]
        wall_full, peak_full = min(r[0] for r in runs), max(r[1] for r in runs)
        print(f"{'one CLI run, full (cold models)':34s} {wall_full:8.2f} s     peak RSS {peak_full:.0f} MB; cold cost over --no-langid {100 * (wall_full - wall_plain) / wall_plain:.0f}%")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
