"""Scoring citation parsing against hand-labelled notes (tests/data/citations_labelled.txt).

Each line of the data file is ``part<TAB>id<TAB>note`` (``part`` is ``dev`` or ``heldout``;
``#`` starts a comment line). The note is written as printed, with light markup for what
a reader sees and what the parser must find:

- ``<https://…|text>``: a link annotation over ``text`` (as the extractor makes it);
- ``[[ … ]]``: one citation, from its first to its last character (without the note's
  final full stop or the ";" between citations, without "Zie ook"); ``[[! … ]]`` for a
  confidential source;
- inside a citation: ``{T:…}`` its title, ``{S:…}`` its source (the publisher or author that
  names it first), ``{D=2024-11-21:…}`` its date and ``{A=2025-01-03:…}`` its access date, with
  their ISO values.

Scores (:func:`score`): a citation is found when a ``bibl`` covers exactly its characters
(white space and punctuation at either end aside); F1 over found citations; titles exact
over the labelled titles of all citations (a citation not found has its title wrong); dates
over all labelled dates and access dates; sources likewise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.document import Inline, Span, Text

DATA = Path(__file__).parent / "data" / "citations_labelled.txt"
# Development parts (the parser is tuned on them) and held-out parts (only ever scored).
PARTS = ("dev", "dev-b", "heldout", "heldout-b")
EDGE = " \t.,;:"


@dataclass
class Field:
    start: int
    end: int
    value: str | None = None  # the ISO value of a date


@dataclass
class GoldCitation:
    start: int
    end: int
    confidential: bool = False
    title: Field | None = None
    source: Field | None = None
    date: Field | None = None
    access: Field | None = None


@dataclass
class LabelledNote:
    part: str
    ident: str
    text: str
    links: list[tuple[int, int, str]] = field(default_factory=list)
    citations: list[GoldCitation] = field(default_factory=list)

    def content(self) -> list[Inline]:
        """The note as the extractor gives it: text with its links as ref spans."""
        out: list[Inline] = []
        pos = 0
        for start, end, uri in sorted(self.links):
            if start > pos:
                out.append(Text(self.text[pos:start]))
            out.append(Span("ref", [Text(self.text[start:end])], {"target": uri}))
            pos = end
        if pos < len(self.text):
            out.append(Text(self.text[pos:]))
        return out


def parse_markup(part: str, ident: str, markup: str) -> LabelledNote:
    note = LabelledNote(part, ident, "")
    chars: list[str] = []
    stack: list[tuple[str, int, str | None]] = []  # open (kind, start, value)
    fields: list[tuple[str, Field]] = []
    i = 0
    while i < len(markup):
        if markup.startswith("[[", i):
            confidential = markup.startswith("[[!", i)
            stack.append(("cite!" if confidential else "cite", len(chars), None))
            i += 3 if confidential else 2
        elif markup.startswith("]]", i):
            kind, start, _ = stack.pop()
            assert kind.startswith("cite"), (ident, markup)
            note.citations.append(GoldCitation(start, len(chars), confidential=kind == "cite!"))
            i += 2
        elif markup[i] == "{" and markup[i + 1 : i + 2] in ("T", "S", "D", "A"):
            m = re.match(r"\{([TSDA])(?:=([\d-]+))?:", markup[i:])
            assert m, (ident, markup[i:])
            stack.append((m.group(1), len(chars), m.group(2)))
            i += m.end()
        elif markup[i] == "}":
            kind, start, value = stack.pop()
            assert kind in "TSDA", (ident, markup)
            fields.append((kind, Field(start, len(chars), value)))
            i += 1
        elif markup.startswith("<http", i):
            end = markup.index("|", i)
            stack.append(("link", len(chars), markup[i + 1 : end]))
            i = end + 1
        elif markup[i] == ">" and stack and stack[-1][0] == "link":
            _, start, uri = stack.pop()
            note.links.append((start, len(chars), uri))
            i += 1
        else:
            chars.append(markup[i])
            i += 1
    assert not stack, (ident, stack)
    note.text = "".join(chars)
    names = {"T": "title", "S": "source", "D": "date", "A": "access"}
    for kind, found in fields:
        owner = next(c for c in note.citations if c.start <= found.start and found.end <= c.end)
        setattr(owner, names[kind], found)
    note.citations.sort(key=lambda c: c.start)
    return note


def load(path: Path = DATA) -> list[LabelledNote]:
    notes = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        part, ident, markup = line.split("\t", 2)
        notes.append(parse_markup(part, ident, markup))
    return notes


# -- what the parser made ------------------------------------------------------------------


@dataclass
class FoundCitation:
    start: int
    end: int
    attrs: dict
    parts: dict[str, list[tuple[str, dict]]]  # kind -> [(text, attrs)]


def found_citations(content: list[Inline]) -> list[FoundCitation]:
    out: list[FoundCitation] = []
    pos = 0

    def walk(nodes, bibl: FoundCitation | None) -> None:
        nonlocal pos
        for node in nodes:
            if isinstance(node, Text):
                pos += len(node.text)
            elif isinstance(node, Span):
                start = pos
                if node.kind == "bibl":
                    current = FoundCitation(start, 0, dict(node.attrs), {})
                    walk(node.children, current)
                    current.end = pos
                    out.append(current)
                    continue
                walk(node.children, bibl)
                if bibl is not None and node.kind in ("title", "orgName", "author", "date"):
                    bibl.parts.setdefault(node.kind, []).append((text_between(start, pos), dict(node.attrs)))

    flat: list[str] = []

    def text_between(a: int, b: int) -> str:
        return "".join(flat)[a:b]

    def collect(nodes) -> None:
        for node in nodes:
            if isinstance(node, Text):
                flat.append(node.text)
            elif isinstance(node, Span):
                collect(node.children)

    collect(content)
    walk(content, None)
    return out


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


@dataclass
class Scores:
    notes: int = 0
    gold: int = 0
    found: int = 0
    matched: int = 0
    titles: int = 0
    titles_right: int = 0
    dates: int = 0
    dates_right: int = 0
    sources: int = 0
    sources_right: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def share(self, right: int, total: int) -> float:
        return right / total if total else 1.0

    def line(self, name: str) -> str:
        return (f"{name}: {self.notes} notes, {self.gold} citations; citation F1 {self.f1:.3f} "
                f"(precision {self.precision:.3f}, recall {self.recall:.3f}); titles exact "
                f"{self.share(self.titles_right, self.titles):.3f} ({self.titles}); dates "
                f"{self.share(self.dates_right, self.dates):.3f} ({self.dates}); sources "
                f"{self.share(self.sources_right, self.sources):.3f} ({self.sources})")


def score(notes: list[LabelledNote], parse) -> Scores:
    result = Scores()
    for note in notes:
        result.notes += 1
        found = found_citations(parse(note.content()))
        by_span = {trimmed(note.text, f.start, f.end): f for f in found}
        result.gold += len(note.citations)
        result.found += len(found)
        for gold in note.citations:
            f = by_span.get(trimmed(note.text, gold.start, gold.end))
            where = f"{note.ident}: {note.text[gold.start:gold.end]!r}"
            if f is not None:
                result.matched += 1
            else:
                result.failures.append(f"{where}: not found as one bibl")
            if gold.title is not None:
                result.titles += 1
                want = note.text[gold.title.start : gold.title.end]
                got = [t for t, _ in f.parts.get("title", [])] if f else []
                if got[:1] == [want]:
                    result.titles_right += 1
                elif f is not None:
                    result.failures.append(f"{where}: title {got[:1]} != {want!r}")
            for kind, gold_date in (("published", gold.date), ("access", gold.access)):
                if gold_date is None:
                    continue
                result.dates += 1
                dates = [(a.get("when"), a.get("type")) for _, a in f.parts.get("date", [])] if f else []
                wanted_type = "access" if kind == "access" else None
                if (gold_date.value, wanted_type) in dates:
                    result.dates_right += 1
                elif f is not None:
                    result.failures.append(f"{where}: {kind} date {dates} != {gold_date.value}")
            if gold.source is not None:
                result.sources += 1
                want = note.text[gold.source.start : gold.source.end]
                got = [t for kind in ("orgName", "author") for t, _ in (f.parts.get(kind, []) if f else [])]
                if want in got[:2]:
                    result.sources_right += 1
                elif f is not None:
                    result.failures.append(f"{where}: source {got} != {want!r}")
        spans = {trimmed(note.text, g.start, g.end) for g in note.citations}
        for f in found:
            if trimmed(note.text, f.start, f.end) not in spans:
                result.failures.append(f"{note.ident}: extra bibl {note.text[f.start:f.end]!r}")
    return result


def main() -> None:
    from toolkit.enrich.citations import parse_note

    notes = load()
    for part in PARTS:
        scores = score([n for n in notes if n.part == part], parse_note)
        print(scores.line(part))
        if part.startswith("dev"):
            for failure in scores.failures:
                print("  ", failure)


if __name__ == "__main__":
    main()
