"""Accuracy and speed of both language identification engines on the labelled fragments.

Usage: python bench/bench_langid.py [--errors] [--engine lingua|langdetect] [--pages 100]

Prints, per engine, the time to tag a generated report of ``--pages`` pages (first in
the process, so model loading included, then again), accuracy per label and per length
bucket (words: <=3, 4-8, >8), and fragments per second once loaded.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from pathlib import Path

import random

from toolkit.lang.identify import get_identifier, word_count
from toolkit.lang.tag import tag_languages
from toolkit.document import Division, Document, Footnote, NoteAnchor, Paragraph, SourceInfo, Span, Text

FRAGMENTS = Path(__file__).resolve().parent.parent / "tests" / "data" / "langid_fragments.tsv"


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
        for key in (f"class {label_class(lang)}", f"words {length_bucket(text)}", "all"):
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["lingua", "langdetect"], action="append")
    parser.add_argument("--errors", action="store_true", help="list the wrong answers")
    parser.add_argument("--pages", type=int, default=100, help="size of the generated report to tag")
    args = parser.parse_args()
    rows = load_fragments()
    for engine in args.engine or ["lingua", "langdetect"]:
        timings = []
        for _ in range(2):
            doc = generated_report(rows, args.pages)
            start, cpu = time.perf_counter(), time.process_time()
            tag_languages(doc, engine=engine)
            timings.append((time.perf_counter() - start, time.process_time() - cpu))
        (first, first_cpu), (again, again_cpu) = timings
        print(
            f"tag_languages, {engine}, {args.pages} pages, {len(doc.footnotes)} notes: first {first:.2f} s wall / "
            f"{first_cpu:.2f} s CPU (includes model loading), again {again:.2f} s wall / {again_cpu:.2f} s CPU; "
            f"shares {doc.language_shares}"
        )
    print()
    texts = [text for _lang, _kind, text in rows]
    print(f"{len(rows)} labelled fragments from {FRAGMENTS.name}\n")
    results = {}
    for engine in args.engine or ["lingua", "langdetect"]:
        identifier = get_identifier(engine)
        start = time.perf_counter()
        identifier.detect_many(texts)  # first use: loads the models
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
    engines = list(results)
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
            f"{engine}: first pass {first_use:.2f} s (includes model loading); then detect_many {batch_rate:,.0f} fragments/s; "
            f"detect one by one {single_rate:,.0f} fragments/s"
        )


if __name__ == "__main__":
    main()
