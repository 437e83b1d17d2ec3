"""Accuracy and speed of both language identification engines on the labelled fragments.

Usage: python bench/bench_langid.py [--errors] [--engine lingua|langdetect] [--pages 100]
                                    [--pdf report.pdf ...] [--extract-only] [--realtime]
                                    [--baseline-tree DIR]

Prints, per engine:
- cold start, each in a fresh process (median of three), against a process that only imports
  the identifier: the first fragment decided by function words, the first that needs the
  statistics, a batch of ten short fragments, and the tagging of a generated report of
  ``--pages`` pages; each with the time per fragment once warm in the same process; the
  models load in that process, with the answer cache off, and once more with every answer
  in the cache;
- cold start of a whole single-file extraction (``extract()`` as ``coitool extract`` runs it,
  a fresh process each, ``--repeat`` rounds of all variants taking turns; wall time of the
  best run, CPU time the median), for a
  generated report and each ``--pdf``: wall time and CPU time of the main process and of
  the model process, as the cost over the same extraction without language tagging, for
  models loaded in process (no model process, no cache), in the model process with an empty
  cache, and from a full cache (with and without the model process), and for another
  version's source tree (``--baseline-tree``, e.g. a worktree of main) in the same rounds;
  then a second extraction in the same process (warm) per fragment identified. On a shared
  machine, ``--realtime`` runs the extractions ahead of other work (see REALTIME);
- accuracy per label, per length bucket (words: <=3, 4-8, >8) and per kind (the 2-3-word
  windows of ordinary sentences);
- fragments per second once loaded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from toolkit.lang.identify import get_identifier, word_count
from toolkit.lang.tag import tag_languages
from toolkit.document import Division, Document, Footnote, NoteAnchor, Paragraph, SourceInfo, Span, Text

FRAGMENTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "langid_fragments.tsv"
# A real report read if present (never part of the project): an English evaluation with Dutch names.
REAL_REPORT = Path("/work/shared/realworld/pdfs/en_coronamelder_eval.pdf")


def load_fragments(path: Path = FRAGMENTS) -> list[tuple[str, str, str]]:
    """(lang, kind, text) rows of the labelled set."""
    with path.open(encoding="utf-8") as handle:
        rows = [line for line in handle if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [(row["lang"], row["kind"], row["text"]) for row in reader]


def length_bucket(text: str) -> str:
    n = word_count(text)
    return "<=3" if n <= 3 else ("4-8" if n <= 8 else ">8")


def label_class(lang: str) -> str:
    return lang if lang in ("nl", "en", "de", "ru", "und") else "other"


def accuracy_table(rows, guesses) -> dict[str, tuple[int, int]]:
    """Correct and total per label class, per length bucket and overall."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (lang, _kind, text), guess in zip(rows, guesses):
        ok = int(guess.lang == lang)
        keys = [f"class {label_class(lang)}", f"words {length_bucket(text)}", "all"]
        if _kind == "window":
            keys += ["kind window", f"window {label_class(lang)}"]
        for key in keys:
            table[key][0] += ok
            table[key][1] += 1
    return {key: (v[0], v[1]) for key, v in table.items()}


def generated_report(rows, pages: int, seed: int = 0) -> Document:
    """A Dutch report of about ``pages`` pages: 6 paragraphs of 3 sentences and 5 notes of 2 citations a page."""
    rng = random.Random(seed)
    by_lang = defaultdict(list)
    for lang, kind, text in rows:
        if kind in ("sentence", "title", "title_translated") and word_count(text) >= 4:
            by_lang[lang].append(text.rstrip("."))
    names = [text for lang, kind, text in rows if kind == "name"]

    def sentence(lang: str) -> str:
        return f"{rng.choice(by_lang[lang])} ({rng.randint(1, 999)})."

    blocks, notes, n = [], {}, 0
    for page in range(pages):
        paragraphs = []
        for _ in range(6):
            parts = [sentence("nl"), sentence("nl"), sentence("en" if rng.random() < 0.1 else "nl")]
            n += 1
            quote = f" Het “{rng.choice(by_lang['en'])}” werd genoemd." if rng.random() < 0.2 else ""
            paragraphs.append(Paragraph([Text(" ".join(parts) + quote), NoteAnchor(f"fn{n}")]))
            citations = []
            for _ in range(2):
                lang = rng.choice(["en", "en", "nl", "ru", "de"])
                title = Span("title", [Text(rng.choice(by_lang[lang]))])
                citations.append(Span("bibl", [Text(rng.choice(names) + ", "), title, Text(f", {rng.randint(1, 28)} mei 2024")]))
            notes[f"fn{n}"] = Footnote(n, [citations[0], Text("; "), citations[1], Text(".")])
        blocks.append(Division("section", str(page + 1), [Text(f"Paragraaf {page + 1}")], paragraphs))
    return Document(SourceInfo("generated.pdf", "0" * 64, pages, 0), "Generated", blocks=blocks, footnotes=notes)


# Run in a fresh interpreter: import, one first call (models load), the same call again.
# CPU time of the process (all threads), so that other work on the machine does not count.
_COLD = """
import json, sys, time
start = time.perf_counter()
from toolkit.lang.identify import get_identifier
imported = time.perf_counter()
engine, texts, pages = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3])
if pages:
    sys.path.insert(0, {bench!r})
    from bench_langid import generated_report, load_fragments
    from toolkit.lang.tag import tag_languages
    rows = load_fragments()
    def run():
        doc = generated_report(rows, pages)
        t = time.process_time(); tag_languages(doc, engine=engine); return time.process_time() - t, len(doc.footnotes)
else:
    identifier = get_identifier(engine)
    def run():
        t = time.process_time(); identifier.detect_many(texts); return time.process_time() - t, len(texts)
first, n = run()
again, _ = run()
print(json.dumps({{"import": imported - start, "first": first, "again": again, "n": n}}))
"""

COLD_CASES = (
    ("function words", ["in the"], 0),
    ("statistics", ["Haftbedingungen"], 0),
    ("10 short fragments", ["Russische Polizei", "om te", "Human Rights", "Dienstplicht", "vor dem", "Summary",
                            "Memorial", "rate is falling", "Inleiding", "Wehrpflicht"], 0),
)


def cold_start(engine: str, texts: list[str], pages: int, repeats: int = 3, cache: str = "off") -> dict[str, float]:
    """Median timings of ``repeats`` fresh processes (see _COLD), models loading in that process."""
    code = _COLD.format(bench=str(Path(__file__).resolve().parent))
    env = {**os.environ, "COITOOL_LANGID_CACHE": cache, "COITOOL_LANGID_PROCESS": "off"}
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", code, engine, json.dumps(texts), str(pages)], capture_output=True, text=True, check=True, env=env
        )
        runs.append(json.loads(out.stdout))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def print_cold_start(engines: list[str], pages: int, workdir: Path) -> None:
    print("cold start, fresh process each (median of 3), CPU seconds:")
    for engine in engines:
        for label, texts, n_pages in COLD_CASES + ((f"tag_languages, {pages}-page report", [], pages),):
            unit = "notes" if n_pages else "fragments"
            cache = str(workdir / f"cold-{engine}-{len(texts)}-{n_pages}.sqlite3")
            variants = [("", "off")] + ([(", cached", cache)] if engine == "lingua" else [])
            if engine == "lingua":
                cold_start(engine, texts, n_pages, repeats=1, cache=cache)  # fills the cache
            for suffix, setting in variants:
                t = cold_start(engine, texts, n_pages, cache=setting)
                print(
                    f"  {engine:10} {label + suffix:42} import {t['import']:.2f} s wall; first call {t['first']:.3f} s; "
                    f"again {t['again']:.4f} s = {1000 * t['again'] / t['n']:.3f} ms per {unit[:-1]} ({t['n']} {unit})"
                )
    print()


# A single-file extraction in a fresh interpreter, as `coitool extract` runs it: timings of
# extract() (wall and CPU of this process), the CPU of the model process (reaped at the end),
# and a second extraction of the same file in the same process (warm) with its tagging time
# per fragment identified.
_EXTRACT = """
import json, resource, sys, time
wall = time.perf_counter()
from toolkit.extract.pipeline import extract
from toolkit.lang import identify, tag
try:
    from toolkit.lang import modelproc
except ImportError:  # a version from before the model process (--baseline-tree)
    modelproc = None
pdf, languages = sys.argv[1], sys.argv[2] == "1"
counted = [0, 0.0]
real_tag, real_detect = tag.tag_languages, identify.RuleFirstIdentifier.detect_many
def detect_many(self, texts, **options):
    counted[0] += len(texts)
    return real_detect(self, texts, **options)
def tag_languages(doc, engine="lingua"):
    start = time.perf_counter(); real_tag(doc, engine); counted[1] += time.perf_counter() - start
identify.RuleFirstIdentifier.detect_many, tag.tag_languages = detect_many, tag_languages
extract(pdf, languages=languages)
wall, cpu = time.perf_counter() - wall, time.process_time()
proc = modelproc and modelproc.current()
requests = proc.requests if proc else 0
first_tag = counted[1]
counted[:] = [0, 0.0]
start = time.perf_counter()
extract(pdf, languages=languages)
warm = time.perf_counter() - start
if modelproc:
    modelproc.stop()
child = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": cpu, "model_cpu": child.ru_utime + child.ru_stime, "requests": requests,
                  "tag": first_tag, "warm": warm, "warm_tag": counted[1], "fragments": counted[0]}))
"""

# (label, language tagging?, model process?, cache: "off", "empty" or "full")
EXTRACT_VARIANTS = (
    ("no language tagging (baseline)", False, False, "off"),
    ("models loaded in process", True, False, "off"),
    ("model process, empty cache", True, True, "empty"),
    ("model process, full cache", True, True, "full"),
    ("in process, full cache", True, False, "full"),
)
PREVIOUS = "previous version, in process"


# --realtime: each extraction (and its model process) runs under SCHED_FIFO, ahead of every
# ordinary process, so that on a shared machine it sees the idle cores a user's machine has.
# Needs root (or CAP_SYS_NICE); the kernel's real-time throttling keeps the machine responsive.
REALTIME: list[str] = []


def extract_cold(pdf: Path, languages: bool, processes: bool, cache: Path | None, tree: Path | None = None) -> dict[str, float]:
    """One run of _EXTRACT in a fresh interpreter; ``tree``: the source tree of another version to run."""
    env = {**os.environ, "COITOOL_LANGID_CACHE": str(cache) if cache else "off", "COITOOL_LANGID_PROCESS": "on" if processes else "off"}
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    out = subprocess.run(
        [*REALTIME, sys.executable, "-c", _EXTRACT, str(pdf), "1" if languages else "0"],
        capture_output=True, text=True, check=True, env=env, cwd=tree or Path.cwd(), timeout=300,
    )
    return json.loads(out.stdout)


def print_extract_cold(pdfs: list[Path], repeat: int, workdir: Path, baseline_tree: Path | None) -> None:
    print(f"single-file extraction, fresh process each ({repeat} rounds of the variants taking turns;"
          " wall: best run, CPU: median), seconds:")
    variants = list(EXTRACT_VARIANTS)
    if baseline_tree is not None:
        variants.insert(1, (PREVIOUS, True, False, "off"))
    for pdf in pdfs:
        full = workdir / f"full-{pdf.stem}.sqlite3"
        extract_cold(pdf, True, True, full)  # fills the cache and remembers the document
        runs: dict[str, list[dict[str, float]]] = defaultdict(list)
        for round_ in range(repeat):
            for label, languages, processes, cache in variants:
                path = full if cache == "full" else (workdir / f"empty-{pdf.stem}-{round_}.sqlite3" if cache == "empty" else None)
                tree = baseline_tree if label == PREVIOUS else None
                runs[label].append(extract_cold(pdf, languages, processes, path, tree))
        # Wall time: the best run, the one least disturbed by other work on the machine; CPU: the median.
        med = {
            label: {key: (min if key == "wall" else statistics.median)(r[key] for r in rs) for key in rs[0]}
            for label, rs in runs.items()
        }
        base = med[variants[0][0]]
        reference = med[variants[1][0]]
        print(f"  {pdf.name} (language tagging's cost: over the baseline; % of {variants[1][0]!r}):")
        for label, *_ in variants:
            t = med[label]
            cost = "" if t is base else (
                f"; tagging {t['wall'] - base['wall']:+.2f} s wall ({(t['wall'] - base['wall']) / max(reference['wall'] - base['wall'], 1e-9):4.0%}),"
                f" {t['cpu'] + t['model_cpu'] - base['cpu']:+.2f} s CPU"
            )
            print(
                f"    {label:34} wall {t['wall']:.2f}  CPU {t['cpu']:.2f} + model process {t['model_cpu']:.2f}"
                f"  ({t['requests']:.0f} requests){cost}"
            )
        warm = med["models loaded in process"]
        print(
            f"    warm, second extraction in the same process: {warm['warm']:.2f} s wall, tagging {warm['warm_tag']:.3f} s"
            f" = {1000 * warm['warm_tag'] / max(warm['fragments'], 1):.3f} ms per fragment ({warm['fragments']:.0f} fragments)"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["lingua", "langdetect"], action="append")
    parser.add_argument("--errors", action="store_true", help="list the wrong answers")
    parser.add_argument("--pages", type=int, default=100, help="size of the generated report to tag")
    parser.add_argument("--pdf", type=Path, action="append", help="a report PDF for the extraction cold start (repeatable)")
    parser.add_argument("--extract-pages", type=int, default=45, help="size of the generated report PDF to extract")
    parser.add_argument("--repeat", type=int, default=5, help="fresh processes per extraction variant")
    parser.add_argument("--extract-only", action="store_true", help="only the extraction cold start")
    parser.add_argument("--baseline-tree", type=Path, help="source tree of another version (git worktree) to compare with")
    parser.add_argument("--realtime", action="store_true", help="run the extractions ahead of other processes (chrt; root)")
    args = parser.parse_args()
    # What is measured in this process is lingua itself, not the answers a run before kept.
    os.environ["COITOOL_LANGID_CACHE"] = "off"
    if args.realtime:
        REALTIME[:] = ["chrt", "--fifo", "10"]
    rows = load_fragments()
    engines = args.engine or ["lingua", "langdetect"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        from toolkit.sample.generator import build_report

        generated = workdir / f"generated-{args.extract_pages}-pages.pdf"
        build_report(generated, target_pages=args.extract_pages)
        pdfs = [generated] + (args.pdf or ([REAL_REPORT] if REAL_REPORT.is_file() else []))
        print_extract_cold(pdfs, args.repeat, workdir, args.baseline_tree)
        if args.extract_only:
            return
        print_cold_start(engines, args.pages, workdir)
    for engine in engines:
        doc = generated_report(rows, args.pages)
        tag_languages(doc, engine=engine)
        print(f"tag_languages, {engine}, {args.pages} pages: shares {doc.language_shares}")
    print()
    texts = [text for _lang, _kind, text in rows]
    print(f"{len(rows)} labelled fragments from {FRAGMENTS.name}\n")
    results = {}
    for engine in engines:
        identifier = get_identifier(engine)
        start = time.perf_counter()
        identifier.detect_many(texts)  # first pass over the set: loads what the tagging above did not
        first_use = time.perf_counter() - start
        start = time.perf_counter()
        guesses = identifier.detect_many(texts)
        batch = time.perf_counter() - start
        start = time.perf_counter()
        single = [identifier.detect(text) for text in texts]
        one_by_one = time.perf_counter() - start
        assert single == guesses, "detect and detect_many disagree"
        results[engine] = (accuracy_table(rows, guesses), first_use, len(texts) / batch, len(texts) / one_by_one)
        if args.errors:
            for (lang, kind, text), guess in zip(rows, guesses):
                if guess.lang != lang:
                    print(f"  {engine}: expected {lang} got {guess.lang} ({guess.confidence}) [{kind}] {text}")
    keys = sorted({key for table, *_ in results.values() for key in table}, key=lambda k: (k != "all", k))
    print(f"{'':14}" + "".join(f"{engine:>22}" for engine in engines))
    for key in keys:
        cells = []
        for engine in engines:
            ok, total = results[engine][0].get(key, (0, 0))
            cells.append(f"{ok:>4}/{total:<4} {100 * ok / total:6.1f}%  " if total else "")
        print(f"{key:14}" + "".join(f"{cell:>22}" for cell in cells))
    print()
    for engine in engines:
        _table, first_use, batch_rate, single_rate = results[engine]
        print(
            f"{engine}: first pass {first_use:.2f} s (models the tagging above did not need); then detect_many {batch_rate:,.0f} fragments/s; "
            f"detect one by one {single_rate:,.0f} fragments/s"
        )


if __name__ == "__main__":
    main()
