"""Footnote areas, footnotes and their markers.

The footnote area of a page is the run of lines at its bottom set smaller than
the body text.  Its lines are split into notes where a line starts with the
next expected note number; an area that starts without one continues the
previous page's last note.  Markers are superscript digit runs in the body
(the superscript decided by size and baseline, see ``layout``) whose numbers
name a footnote; numbers that only look like markers stay text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.layout import Layout, LayoutStats, Line

TERMINAL = re.compile(r"[.!?)\]”\"’]\s*$")
LEADING_NUMBER = re.compile(r"^(\s*)(\d{1,4})(?=(\s|[^\d.,:/\-]|$))")
MARKER_TEXT = re.compile(r"^[\s\d,;–\-]*\d[\s\d,;–\-]*$")


@dataclass
class NotePart:
    """A line of a footnote, from span ``span`` character ``skip`` on."""

    line: Line
    span: int = 0
    skip: int = 0


@dataclass
class NoteDraft:
    n: int
    parts: list[NotePart] = field(default_factory=list)

    @property
    def pages(self) -> list[int]:
        return sorted({p.line.page for p in self.parts})

    @property
    def text(self) -> str:
        out = []
        for part in self.parts:
            spans = part.line.spans[part.span :]
            if not spans:
                continue
            out.append(spans[0].text[part.skip :] + "".join(s.text for s in spans[1:]))
        return " ".join(" ".join(out).split())


@dataclass
class FootnoteResult:
    notes: dict[int, NoteDraft]
    area_keys: set[tuple[int, int]]  # (page, line index) of every footnote-area line
    warnings: list[str]


def is_smaller(line: Line, stats: LayoutStats) -> bool:
    return line.size < stats.body_size - max(0.3, 0.04 * stats.body_size)


def note_start(line: Line, stats: LayoutStats) -> tuple[int, int, int, bool] | None:
    """(number, span index, characters to skip, strong evidence) if the line starts with a number."""
    spans = line.spans
    i = 0
    while i < len(spans) and not spans[i].text.strip():
        i += 1
    if i == len(spans):
        return None
    first = spans[i]
    if first.text.strip().isdigit() and (first.superscript or first.size < 0.8 * line.size):
        return int(first.text.strip()), i + 1, 0, True
    m = LEADING_NUMBER.match(first.text)
    if not m:
        return None
    number = int(m.group(2))
    end = m.end()
    rest = first.text[end:]
    strong = False
    if rest[:1].isalpha() and rest[:1].isupper():
        strong = True  # glued to its text: "322Ministerie"
    elif not rest.strip():
        following = next((s for s in spans[i + 1 :] if s.text.strip()), None)
        if following is None:
            strong = True  # a number alone on its line: an empty note
        else:
            strong = following.x0 - first.x1 > 0.5 * first.size or "\t" in first.text  # number, then a tab stop
    elif rest.startswith("\t") or rest.startswith("  "):
        strong = True
    skip = end + (len(rest) - len(rest.lstrip()))
    if skip >= len(first.text):
        return number, i + 1, 0, strong
    return number, i, skip, strong


def find_footnotes(
    layout: Layout, stats: LayoutStats, running: set[tuple[int, int]]
) -> FootnoteResult:
    notes: dict[int, NoteDraft] = {}
    area_keys: set[tuple[int, int]] = set()
    warnings: list[str] = []
    expected = 1
    last: NoteDraft | None = None
    runs = {page.number: bottom_run(page, stats, running) for page in layout.pages}
    note_size = footnote_size(runs, stats)
    for page in layout.pages:
        run = runs[page.number]
        if note_size is not None:
            # Keep the lines set in the note size; a caption just above the notes is body text.
            while run and abs(run[0].size - note_size) > 0.06 * note_size:
                run = run[1:]
        if not run:
            continue
        continuation_x = min((l.x0 for l in run), default=0.0)
        accepted = False
        for k, line in enumerate(run):
            start = note_start(line, stats)
            is_start = False
            if start:
                number, span, skip, strong = start
                complete = last is None or not last.parts or bool(TERMINAL.search(last.text)) or not last.text
                indented_less = line.x0 < continuation_x + 0.5 and any(l.x0 > continuation_x + 1 for l in run)
                if number == expected and (strong or complete or indented_less or k == 0 and last is None):
                    is_start = True
                elif last is None and strong and number > expected:
                    # Numbering that does not start at 1 (a chapter printed on its own, a report
                    # continuing an earlier one's numbering): the first clear note number sets it.
                    is_start = True
                elif expected < number <= expected + 3 and strong and complete:
                    warnings.append(f"footnote numbers jump from {expected - 1} to {number} on page {page.number}")
                    is_start = True
            if is_start:
                draft = NoteDraft(number)
                draft.parts.append(NotePart(line, span, skip))
                notes[number] = draft
                last = draft
                expected = number + 1
                accepted = True
            elif not accepted and not open_note(last):
                continue  # small text above the notes that is no footnote (a caption, a source line)
            elif last is not None:
                last.parts.append(NotePart(line, 0, 0))
                accepted = True
            else:
                break
            area_keys.add((page.number, line.index))
        if not accepted:
            continue
    return FootnoteResult(notes, area_keys, warnings)


def bottom_run(page, stats: LayoutStats, running: set[tuple[int, int]]) -> list[Line]:
    """The lines at the bottom of a page set smaller than the body, top to bottom."""
    run: list[Line] = []
    for line in reversed([l for l in page.lines if (page.number, l.index) not in running]):
        if not is_smaller(line, stats):
            break
        run.append(line)
    run.reverse()
    return run


def footnote_size(runs: dict[int, list[Line]], stats: LayoutStats) -> float | None:
    """The document's footnote font size: the usual size of bottom lines that start with a number."""
    sizes: dict[float, int] = {}
    for run in runs.values():
        for line in run:
            if note_start(line, stats):
                key = round(line.size * 2) / 2
                sizes[key] = sizes.get(key, 0) + 1
    if not sizes:
        return None
    best = max(sizes, key=sizes.get)
    # The exact size of those lines, not the rounded bucket.
    exact = [l.size for run in runs.values() for l in run if round(l.size * 2) / 2 == best]
    return sorted(exact)[len(exact) // 2]


def open_note(note: NoteDraft | None) -> bool:
    """May this note continue on the next page?  Not when its text already ends a sentence."""
    if note is None:
        return False
    text = note.text
    return bool(text) and not TERMINAL.search(text)


def marker_numbers(text: str) -> list[int]:
    if not MARKER_TEXT.match(text):
        return []
    return [int(x) for x in re.findall(r"\d+", text)]


@dataclass
class MarkerResult:
    # (page, line index, span index) -> note numbers the superscript span anchors
    anchors: dict[tuple[int, int, int], list[int]]
    markers_without_note: list[int]
    notes_without_marker: list[int]


def find_markers(body_lines: list[Line], notes: dict[int, NoteDraft]) -> MarkerResult:
    """Link superscript digit runs in the body to footnotes, in reading order."""
    anchors: dict[tuple[int, int, int], list[int]] = {}
    anchored: set[int] = set()
    orphans: list[int] = []
    next_expected = min(notes, default=1)
    for line in body_lines:
        for si, span in enumerate(line.spans):
            if not span.superscript:
                continue
            numbers = marker_numbers(span.text)
            if not numbers:
                continue
            mine = []
            for n in numbers:
                if n in notes and n not in anchored:
                    mine.append(n)
                    anchored.add(n)
                    next_expected = max(next_expected, n + 1)
                elif n not in notes and next_expected <= n <= next_expected + 3:
                    orphans.append(n)
            if mine and len(mine) == len(numbers):
                anchors[(line.page, line.index, si)] = mine
            elif mine:
                # Part of the run names notes, part does not: keep it all as anchors for the known ones.
                anchors[(line.page, line.index, si)] = mine
    missing = sorted(set(notes) - anchored)
    return MarkerResult(anchors, orphans, missing)
