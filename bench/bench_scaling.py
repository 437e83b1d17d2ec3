"""Does extraction cost grow linearly with the work? Per-page time and memory at 100 and 1,000 pages.

    python bench/bench_scaling.py [--small 100] [--large 1000] [--schemes document,chapter,page]
                                  [--repeat 2] [--keep DIR]

For each footnote numbering scheme the sample generator offers (numbered on through the
document, anew per chapter, anew per page), a report of about --small and one of about
--large pages is generated (kept in --keep DIR, if given, and reused on the next run). Each
pair is then timed in one fresh child process, the two extractions taking turns (best of
--repeat), so machine load hits both alike: extraction with TEI writing, without language
tagging and citations (the layout stages whose cost could grow with the document), and the
default command in full. Printed per scheme: milliseconds per page for both sizes and their
ratio (target: large <= 1.2 x small), and the peak resident memory of one `coitool extract
--no-langid` process per size, with the memory per page above a two-page report's
(target: about the same per page at both sizes).
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_extract import best_of_interleaved, child_peak_mb, coitool_full, coitool_plain  # noqa: E402


def report(folder: Path, scheme: str, pages: int) -> tuple[Path, int, int]:
    """The generated report for a scheme and size, built once: (path, pages, notes)."""
    from toolkit.sample import ReportTruth, build_report

    path = folder / f"scaling-{scheme}-{pages}.pdf"
    truth_path = path.with_suffix(".truth.json")
    if not path.exists() or not truth_path.exists():
        truth = build_report(path, style="default", target_pages=pages, numbering=scheme)
        truth_path.write_text(truth.to_json(), encoding="utf-8")
    truth = ReportTruth.from_json(truth_path.read_text(encoding="utf-8"))
    notes = len(truth.notes) if getattr(truth, "notes", None) else len(truth.footnotes)
    return path, truth.page_count, notes


def measure(small: Path, large: Path, repeat: int, full: bool) -> None:
    """Child process: best times of the two extractions, taking turns; JSON on stdout."""
    work = coitool_full if full else coitool_plain
    work(small)  # imports and, for the full command, the language models: paid before timing
    times = best_of_interleaved(repeat, lambda: work(small), lambda: work(large))
    print(json.dumps(times))


def run_child(small: Path, large: Path, repeat: int, full: bool) -> list[float]:
    args = [sys.executable, __file__, "--measure", str(small), str(large), "--repeat", str(repeat)]
    if full:
        args.append("--full")
    return json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--large", type=int, default=1000)
    parser.add_argument("--schemes", default="document,chapter,page")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="folder for the generated reports, reused when present")
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--full", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(*options.measure, options.repeat, options.full)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        folder = options.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        from toolkit.sample import build_report

        tiny = Path(tmp) / "tiny.pdf"
        build_report(tiny, chapters=1)
        out = Path(tmp) / "out.xml"
        _, base_mb = min(child_peak_mb(["-q", "extract", "--no-langid", str(tiny), "-o", str(out)]) for _ in range(2))
        print(f"baseline: extracting a one-chapter report takes {base_mb:.0f} MB peak")
        print(f"{'scheme':10s} {'pages':>11s} {'notes':>12s} {'ms/page (no langid)':>22s} {'ratio':>6s} "
              f"{'ms/page (full)':>17s} {'ratio':>6s} {'peak MB':>11s} {'MB/page':>13s}")
        for scheme in options.schemes.split(","):
            start = time.perf_counter()
            small, small_pages, small_notes = report(folder, scheme, options.small)
            large, large_pages, large_notes = report(folder, scheme, options.large)
            built = time.perf_counter() - start
            plain = run_child(small, large, options.repeat, full=False)
            full = run_child(small, large, options.repeat, full=True)
            per_page = [plain[0] / small_pages, plain[1] / large_pages]
            per_page_full = [full[0] / small_pages, full[1] / large_pages]
            peaks = [child_peak_mb(["-q", "extract", "--no-langid", str(p), "-o", str(out)])[1] for p in (small, large)]
            mb_page = [(peaks[0] - base_mb) / small_pages, (peaks[1] - base_mb) / large_pages]
            print(f"{scheme:10s} {small_pages:>5d}/{large_pages:<5d} {small_notes:>5d}/{large_notes:<6d} "
                  f"{1000 * per_page[0]:>10.1f} /{1000 * per_page[1]:>9.1f}  {per_page[1] / per_page[0]:>5.2f} "
                  f"{1000 * per_page_full[0]:>8.1f} /{1000 * per_page_full[1]:>6.1f}  {per_page_full[1] / per_page_full[0]:>5.2f} "
                  f"{peaks[0]:>5.0f}/{peaks[1]:<5.0f} {mb_page[0]:>6.3f}/{mb_page[1]:<6.3f}"
                  + (f"   (reports built in {built:.0f} s)" if built > 1 else ""))
        print("targets: ratio of ms/page large/small <= 1.2 for every scheme; MB/page about equal at both sizes")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
