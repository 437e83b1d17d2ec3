"""Every 2- and 3-word window of the ordinary sentences in data/langid_sentences.tsv.

The windows are part of the labelled set (data/langid_fragments.tsv, kind ``window``), cut
mechanically so that none is chosen by hand: split a sentence at white space, strip
punctuation from both ends of each word, and take every run of two and of three
consecutive words. A window that also occurs in a sentence of another language is
dropped (it has no single right answer), one that is already a row of the set or an
earlier window is kept once. ``python tests/langid_windows.py`` rewrites the window rows;
a test checks that the file holds exactly these.
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA = Path(__file__).parent / "data"
SENTENCES = DATA / "langid_sentences.tsv"
FRAGMENTS = DATA / "langid_fragments.tsv"
WINDOW_KIND = "window"
WINDOW_SIZES = (2, 3)
_EDGE_PUNCTUATION = ".,;:!?\"“”„«»()"
_SECTION = "# --- windows: cut by tests/langid_windows.py from tests/data/langid_sentences.tsv; do not edit by hand"


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Rows of a tab-separated file whose comment lines start with #."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def sentence_words(sentence: str) -> list[str]:
    return [w for w in (token.strip(_EDGE_PUNCTUATION) for token in sentence.split()) if w]


def cut_windows(sentences: list[tuple[str, str]], known: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(lang, window) for every window of every (lang, sentence), in order, as described above."""
    cut: list[tuple[str, str]] = []
    langs: dict[str, set[str]] = {}
    for lang, sentence in sentences:
        ws = sentence_words(sentence)
        for size in WINDOW_SIZES:
            for i in range(len(ws) - size + 1):
                window = " ".join(ws[i : i + size])
                cut.append((lang, window))
                langs.setdefault(window, set()).add(lang)
    seen = set(known)
    windows = []
    for lang, window in cut:
        if len(langs[window]) == 1 and window not in seen:
            seen.add(window)
            windows.append((lang, window))
    return windows


def expected_windows() -> list[tuple[str, str]]:
    sentences = [(row["lang"], row["sentence"]) for row in read_tsv(SENTENCES)]
    others = {row["text"] for row in read_tsv(FRAGMENTS) if row["kind"] != WINDOW_KIND}
    return cut_windows(sentences, others)


def rewrite() -> int:
    """Replace the window rows of the labelled set with a fresh cut; returns how many."""
    lines = FRAGMENTS.read_text(encoding="utf-8").splitlines()
    keep = lines[: lines.index(_SECTION)] if _SECTION in lines else lines
    windows = expected_windows()
    text = "\n".join(keep + [_SECTION] + [f"{lang}\t{WINDOW_KIND}\t{w}" for lang, w in windows]) + "\n"
    FRAGMENTS.write_text(text, encoding="utf-8")
    return len(windows)


if __name__ == "__main__":
    print(f"{rewrite()} windows written to {FRAGMENTS}")
