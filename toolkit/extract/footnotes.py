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

from toolkit.extract.layout import Layout, Line
from toolkit.extract.stats import LayoutStats
from toolkit.text import URL, is_abbreviation

# Source lines under figures and tables: never a footnote.
CAPTION_START = re.compile(r"^\s*(Bron|Bronnen|Source|Sources|Quelle|Figuur|Figure|Tabel|Table|Grafiek|Abbildung)\s*[\d.:]")

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


@dataclass
class NoteGeometry:
    """How this document sets its notes: where numbers stand, whether the text hangs indented."""

    start_x: float | None  # x of the note numbers
    hanging: bool  # continuation lines indented past the numbers
    right: float  # right edge of the note text

    def at_number_column(self, line: Line) -> bool:
        return self.start_x is None or line.x0 <= self.start_x + 0.3 * line.size


def note_geometry(runs: dict[int, list[Line]], stats: LayoutStats) -> NoteGeometry:
    starts: list[float] = []
    others: list[float] = []
    rights: list[float] = []
    for run in runs.values():
        for line in run:
            start = note_start(line, stats)
            (starts if start and start[3] else others).append(line.x0)
            rights.append(line.x1)
    if not starts:
        return NoteGeometry(None, False, max(rights, default=stats.right))
    starts.sort()
    start_x = starts[len(starts) // 2]
    size = stats.body_size
    indented = [x for x in others if x > start_x + 0.3 * size]
    hanging = len(indented) > 0.5 * len(others) if others else False
    rights.sort()
    return NoteGeometry(start_x, hanging, rights[int(0.95 * (len(rights) - 1))] if rights else stats.right)


def superscript_numbers(layout: Layout, stats: LayoutStats) -> set[int]:
    """Numbers printed as superscripts in body-size lines: the note numbers the text refers to."""
    found: set[int] = set()
    for page in layout.pages:
        for line in page.lines:
            if is_smaller(line, stats):
                continue
            for span in line.spans:
                if span.superscript:
                    found.update(marker_numbers(span.text))
    return found


ENDS_CITATION = re.compile(r"(?:[.!?;)\]”\"’]|" + URL.pattern + r")\s*$", re.I)


def looks_complete(text: str) -> bool:
    """Does a note's text end where a note can end (a full stop, ';', ')', a URL), not on 'd.d.'?"""
    if not ENDS_CITATION.search(text):
        return False
    last = text.rstrip().rsplit(None, 1)[-1]
    return not (last.endswith(".") and is_abbreviation(last))


def find_footnotes(
    layout: Layout, stats: LayoutStats, running: set[tuple[int, int]]
) -> FootnoteResult:
    """Split each page's footnote area into notes, numbered on through the document.

    A line starts note N (the next expected number) on strong evidence (a small or raised
    number, a tab stop after it, a number glued to its text), or, for a plain "N text",
    when the previous note line stopped short of the right edge although "N" would have
    fitted, or when the previous note looks finished and the body cites N. A line at the
    continuation indent of a hanging-indent layout never starts a note.
    """
    notes: dict[int, NoteDraft] = {}
    area_keys: set[tuple[int, int]] = set()
    warnings: list[str] = []
    expected = 1
    last: NoteDraft | None = None
    previous_line: Line | None = None
    runs = {page.number: bottom_run(page, stats, running) for page in layout.pages}
    note_size = footnote_size(runs, stats)
    if note_size is not None:
        # Keep the lines set in the note size; a caption just above the notes is body text.
        for number, run in runs.items():
            while run and (abs(run[0].size - note_size) > 0.06 * note_size or CAPTION_START.match(run[0].text)):
                run = run[1:]
            runs[number] = run
    geometry = note_geometry(runs, stats)
    cited = superscript_numbers(layout, stats)
    for page in layout.pages:
        run = runs[page.number]
        for line in run:
            start = note_start(line, stats)
            is_start = False
            if start:
                number, span, skip, strong = start
                raised = strong and span > 0 and line.spans[span - 1].superscript
                if geometry.hanging and not geometry.at_number_column(line) and not raised:
                    start = None  # text at the continuation indent: "4 december 2024." inside a note
            if start:
                complete = last is None or not last.text or looks_complete(last.text)
                room = previous_line is None or ended_short(previous_line, line, geometry)
                if number == expected:
                    is_start = strong or room or (complete and number in cited) or last is None
                elif last is None and strong and number > expected:
                    # Numbering that does not start at 1 (a chapter printed on its own, a report
                    # continuing an earlier one's numbering): the first clear note number sets it.
                    is_start = True
                elif expected < number <= expected + 3 and strong and (complete or room) and number in cited:
                    warnings.append(f"footnote numbers jump from {expected - 1} to {number} on page {page.number}")
                    is_start = True
            if is_start:
                draft = NoteDraft(number)
                draft.parts.append(NotePart(line, span, skip))
                notes[number] = draft
                last = draft
                expected = number + 1
            elif last is not None:
                last.parts.append(NotePart(line, 0, 0))  # the note goes on (also from the previous page)
            else:
                continue  # small text before the first note: not a footnote
            previous_line = line
            area_keys.add((page.number, line.index))
    return FootnoteResult(notes, area_keys, warnings)


def ended_short(previous: Line, line: Line, geometry: NoteGeometry) -> bool:
    """Would the first word of ``line`` have fitted after ``previous``? Then ``previous`` ended its note."""
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None:
        return True
    word = first.text.split()[0]
    width = first.width * len(word) / max(len(first.text), 1)
    return geometry.right - previous.x1 > width + 0.6 * previous.size


def bottom_run(page, stats: LayoutStats, running: set[tuple[int, int]]) -> list[Line]:
    """The block of lines at the bottom of a page set smaller than the body, top to bottom.

    It ends upwards at the first body-size line or at a gap of several note lines: small
    text far above the notes (a source line under a figure) is not part of the notes.
    """
    run: list[Line] = []
    for line in reversed([l for l in page.lines if (page.number, l.index) not in running]):
        if not is_smaller(line, stats):
            break
        if run and run[-1].y0 - line.y1 > 2.5 * line.size:
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
    """Link superscript digit runs in the body to footnotes, in reading order.

    Markers run in the notes' order, so a number is taken only at or a little after the
    next expected one. A superscript glued to a unit or a number (m², 10³) that competes
    with a later superscript of the same number, before the next note's marker, is an
    exponent: the later one is the marker.
    """
    candidates: list[tuple[tuple[int, int, int], list[int], bool]] = []
    for line in body_lines:
        for si, span in enumerate(line.spans):
            if span.superscript and (numbers := marker_numbers(span.text)):
                before = line.spans[si - 1].text[-1:] if si > 0 else ""
                exponent_like = before.isalnum() and len(numbers) == 1 and numbers[0] <= 3
                candidates.append(((line.page, line.index, si), numbers, exponent_like))
    anchors: dict[tuple[int, int, int], list[int]] = {}
    anchored: set[int] = set()
    orphans: list[int] = []
    next_expected = min(notes, default=1)
    for position, (key, numbers, exponent_like) in enumerate(candidates):
        if exponent_like and later_marker_for(candidates, position, numbers[0]):
            continue
        if numbers[0] != next_expected and any(next_expected in c[1] for c in candidates[position + 1 : position + 40]):
            continue  # out of order while the expected marker is still to come: not a marker
        mine = []
        for n in numbers:
            if n in notes and n not in anchored and next_expected <= n <= next_expected + 3:
                mine.append(n)
                anchored.add(n)
                next_expected = n + 1
            elif n not in notes and next_expected <= n <= next_expected + 3:
                orphans.append(n)
        if mine:
            anchors[key] = mine
    missing = sorted(set(notes) - anchored)
    return MarkerResult(anchors, orphans, missing)


def later_marker_for(candidates, position: int, n: int) -> bool:
    """Is there a later superscript n that is not exponent-like, before any superscript n + 1?"""
    for _, numbers, exponent_like in candidates[position + 1 :]:
        if n + 1 in numbers:
            return False
        if n in numbers and not exponent_like:
            return True
    return False
