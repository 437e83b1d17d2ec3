"""Footnote areas and footnotes, page by page (and column by column).

The note area of a page (or of a column, on a page set in columns) is the block of lines
at its foot set in the document's note size, below the body; where the document draws
or types a separator rule, the area starts under it (and may then be set in any size).
A page without body text above such a block (a summary set in small type) has no area.

An area is split into notes at lines that start with a label ("12", "12.", "12)",
"[12]", a raised "¹²", "*", "a"; followed by a tab, a gap, text or nothing) when the
label is plausible where it stands: the next in the numbering, a restart of it (a new
chapter, page or bound document), or a label a marker on the page names. How strong the
evidence must be depends on the label's form and on what the document's notes look
like (where labels stand, whether note text hangs indented). Lines before the first
label continue the previous area's last note: from the foot of the previous column or
page, never from further back. Markers are matched to the notes of their page as each
page is read (:mod:`.markers`), so a page whose notes cannot be matched gets warnings
and the next page starts clean.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from itertools import groupby
from dataclasses import dataclass, field

from toolkit.document import note_key
from toolkit.extract.layout import Layout, Line, Page, Rule
from toolkit.extract.markers import (
    LABEL,
    MarkerLinks,
    first_label,
    label_kind,
    label_kinds,
    link_page,
    marker_candidates,
    next_labels,
    slots_of,
)
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats, heaviest, page_measures, same_size
from toolkit.text import MONTHS, URL, is_abbreviation

log = logging.getLogger(__name__)

# Source lines under figures and tables: never a footnote.
CAPTION_START = re.compile(r"^\s*(Bron|Bronnen|Source|Sources|Quelle|Figuur|Figure|Tabel|Table|Grafiek|Abbildung)\s*[\d.:]")
# A separator typed as text: a row of underscores or dashes.
TYPED_RULE = re.compile(r"^\s*[_\-–—‐]{5,}\s*$")
# A label at the start of a line's first span: [12], (12), 12, 12., 12) and what follows it.
LEADING_LABEL = re.compile(
    rf"^(?P<lead>\s*)(?:\[(?P<bracket>{LABEL})\]|\((?P<paren>{LABEL})\)|(?P<plain>{LABEL})(?P<punct>[.)])?)"
)
# Suffixes that make a number an ordinal or a measure, not a glued label: 1st, 2nd, 3e, 4de, 5th, 10km.
ORDINAL = re.compile(r"(?:st|nd|rd|th|e|er|de|ste|ème|eme|km|kg|cm|mm|ml|%)(?![^\W\d_])", re.I)
ENDS_CITATION = re.compile(r"(?:[.!?;)\]”\"’]|" + URL.pattern + r")\s*$", re.I)


@dataclass
class LabelStart:
    """A line that opens with a note label."""

    label: str
    span: int  # the note text starts at this span ...
    skip: int  # ... after this many characters of it
    form: str  # "raised" | "plain" | "dot" | "paren" | "bracket"
    gap: bool = False  # a tab stop or a wide gap after the label
    glued: bool = False  # the text glued to a number: "322Ministerie"
    alone: bool = False  # nothing else on the line

    @property
    def strong(self) -> bool:
        """Evidence of a label on its own, whatever the document does."""
        return self.form in ("raised", "bracket", "paren") or self.gap or self.glued or self.alone


def label_start(line: Line) -> LabelStart | None:
    """The label a line opens with, if it opens with one."""
    spans = line.spans
    i = 0
    while i < len(spans) and not spans[i].text.strip():
        i += 1
    if i == len(spans):
        return None
    first = spans[i]
    token = first.text.strip()
    rest_index = _next_text(spans, i + 1)
    if first.superscript or first.size < RULES.marker_small * line.size:
        m = re.fullmatch(rf"[\[(]?({LABEL})[\])]?\.?", token)
        if m is None:
            return None
        gap = rest_index is not None and (_gap(first, spans[rest_index], line) or "\t" in first.text)
        return LabelStart(_normal(m.group(1)), i + 1, 0, "raised", gap=gap, alone=rest_index is None)
    m = LEADING_LABEL.match(first.text)
    if m is None:
        return None
    label = m.group("bracket") or m.group("paren") or m.group("plain")
    form = "bracket" if m.group("bracket") else "paren" if m.group("paren") else {".": "dot", ")": "paren"}.get(m.group("punct") or "", "plain")
    after = first.text[m.end():]
    if after[:1].isalnum() or (after[:1] and after[:1] in "\"“„«(/"):
        # Text glued to a label: a number wider than the note indent ("322Ministerie",
        # "101https://…", "104«Meduza»", "108idem") is good evidence before a capital and
        # weak evidence before anything else; a symbol ("*Ministerie") is good evidence; an
        # ordinal ("1st", "3e") or a letter glued to a word is no label at all.
        if form != "plain":
            # "1)Ministerie", "[1]Ministerie", "1.Ministerie": the label's own punctuation marks
            # it off (but "2.022", "1.2.3" are numbers).
            if after[:1].isdigit():
                return None
            return LabelStart(_normal(label), i, m.end(), form)
        if label_kind(label) == "letter" or (label.isdigit() and ORDINAL.match(after)):
            return None
        return LabelStart(_normal(label), i, m.end(), form, glued=after[:1].isupper() or label_kind(label) == "symbol")
    if after.strip():
        skip = m.end() + len(after) - len(after.lstrip())
        gap = after.startswith("\t") or after.startswith("  ")
        if label_kind(label) == "letter" and not gap and form == "plain":
            return None  # "a new ...": a word, not a label
        if form == "plain" and not gap and label.isdigit() and _starts_with_month(after):
            return None  # "13 maart 2024: …": a date opening a line of a note
        if label.isdigit() and re.match(r"[-–]\d", after):
            return None  # "27-29. …": a range of pages going on from the line before
        return LabelStart(_normal(label), i, skip, form, gap=gap)
    if rest_index is None:
        return LabelStart(_normal(label), i + 1, 0, form, alone=True)
    rest = spans[rest_index].text
    if form == "plain" and re.match(r"[.)](\s|$)", rest) and rest_index == i + 1:
        # "64" + ". Id. at 208": the label's full stop in a span of its own.
        skip = 1 + len(rest[1:]) - len(rest[1:].lstrip())
        return LabelStart(_normal(label), rest_index, skip, "dot" if rest[0] == "." else "paren")
    gap = _gap(first, spans[rest_index], line) or "\t" in first.text
    # A label set in a font of its own (bold, another face) is marked off like a tab stop.
    own_font = first.font != spans[rest_index].font and not first.text.endswith(" ")
    if label_kind(label) == "letter" and not (gap or own_font) and form == "plain":
        return None
    return LabelStart(_normal(label), i + 1, 0, form, gap=gap or own_font)


def text_x(line: Line, start: LabelStart) -> float:
    """Where the note text after a label starts on its line (estimated within a span)."""
    if start.span >= len(line.spans):
        return line.x1
    span = line.spans[start.span]
    offset = start.skip + len(span.text[start.skip :]) - len(span.text[start.skip :].lstrip())
    return span.x0 + span.width * offset / max(len(span.text), 1)


def _starts_with_month(text: str) -> bool:
    word = text.split(None, 1)[0].strip(".,:;").lower() if text.strip() else ""
    return word in MONTHS


def _normal(label: str) -> str:
    return str(int(label)) if label.isdigit() else label


def _next_text(spans, start: int) -> int | None:
    for k in range(start, len(spans)):
        if spans[k].text.strip():
            return k
    return None


def _gap(a, b, line: Line) -> bool:
    return b.x0 - a.x1 > RULES.tab_gap * line.size


# -- the document's notes: size and geometry --------------------------------------------------


@dataclass
class NoteStyle:
    """How this document sets its notes, learnt from all pages."""

    size: float | None  # the note size; None when the document shows no note labels
    form: str  # the commonest label form
    label_dx: float | None  # where labels start, from the area's left edge
    after_dx: float | None  # where the text after a label starts (right-aligned labels end there)
    text_dx: float | None  # where the other lines of a note stand

    def distinct_columns(self, em: float) -> bool:
        """Do labels and the text of note lines stand at different x (a hanging or a first-line indent)?"""
        return self.label_dx is not None and self.text_dx is not None and abs(self.label_dx - self.text_dx) > RULES.label_column * em

    def at_label_column(self, line: Line, start: LabelStart, left: float) -> bool:
        """Does the label stand where the document's labels stand, aligned left or right?"""
        if self.label_dx is None:
            return True
        tolerance = RULES.label_column * line.size
        if abs(line.x0 - left - self.label_dx) <= tolerance:
            return True
        return self.after_dx is not None and abs(text_x(line, start) - left - self.after_dx) <= tolerance


@dataclass
class NotePart:
    """A line of a footnote, from span ``span`` character ``skip`` on."""

    line: Line
    span: int = 0
    skip: int = 0


@dataclass
class NoteDraft:
    label: str
    key: str
    parts: list[NotePart] = field(default_factory=list)
    start_page: int = 0

    @property
    def pages(self) -> list[int]:
        return sorted({p.line.page for p in self.parts})

    def text(self) -> str:
        out = []
        for part in self.parts:
            spans = part.line.spans[part.span :]
            if spans:
                out.append(spans[0].text[part.skip :] + "".join(s.text for s in spans[1:]))
        return " ".join(" ".join(out).split())


@dataclass
class FootnoteResult:
    notes: list[NoteDraft]  # in the order they are printed
    area_keys: set[tuple[int, int]]  # (page, line index) of every line of a note area
    links: MarkerLinks
    warnings: list[str]
    longest_area: int = 0  # characters of the longest note area
    orphans: list = field(default_factory=list)  # marker slots no note took
    problem_pages: set[int] = field(default_factory=set)  # pages whose notes did not all match

    def warn(self, page: int, message: str) -> None:
        """A problem with the notes of one page: counted, and reported with its page number."""
        self.problem_pages.add(page)
        self.warnings.append(f"page {page}: {message}")


def looks_complete(text: str) -> bool:
    """Does a note's text end where a note can end (a full stop, ';', ')', a URL), not on 'd.d.'?"""
    if not ENDS_CITATION.search(text):
        return False
    last = text.rstrip().rsplit(None, 1)[-1]
    return not (last.endswith(".") and is_abbreviation(last))


# -- areas ----------------------------------------------------------------------------------


@dataclass
class _Unit:
    """A column (or page) of one page: its lines in reading order, and its note area."""

    page: Page
    lines: list[Line]
    area: list[Line] = field(default_factory=list)
    body_above: bool = False  # body text stands above the area
    ruled: bool = False  # a separator rule stands above the area
    left: float = 0.0  # the left and right edges of the unit's text
    right: float = 0.0
    stats: LayoutStats | None = None  # the measures of its part of the document
    note_size: float | None = None
    style: NoteStyle | None = None


def _units(page: Page, running: set[tuple[int, int]]) -> list[_Unit]:
    lines = [l for l in page.lines if (page.number, l.index) not in running]
    if not page.columns:
        return [_Unit(page, lines)]
    columns = sorted({l.column for l in lines}, key=lambda c: (c == -1, c))
    return [_Unit(page, [l for l in lines if l.column == c]) for c in columns]


def _is_small(line: Line, stats: LayoutStats) -> bool:
    return line.size < stats.body_size * (1 - RULES.same_size)


def _bottom_run(unit: _Unit) -> list[Line]:
    """The lines at the foot of a unit set smaller than the body, top to bottom."""
    stats = unit.stats
    run: list[Line] = []
    for line in reversed(unit.lines):
        if not _is_small(line, stats) and not TYPED_RULE.match(line.text):
            break
        if run and run[-1].y0 - line.y1 > RULES.note_area_gap * line.size:
            break
        run.append(line)
    run.reverse()
    return run


def _separator(unit: _Unit, stats: LayoutStats, longest: float | None = RULES.rule_max) -> float | None:
    """The y of the lowest separator rule in the lower half of a unit, drawn or typed, if any.

    A separator is thin, starts at the column's left edge and is shorter than the column
    (a table's or a frame's rules span it); ``longest`` is its longest share of the column,
    None for a rule of any length.
    """
    if not unit.lines:
        return None
    x0 = min(l.x0 for l in unit.lines)
    width = max(l.x1 for l in unit.lines) - x0
    bottom = unit.lines[-1].y1
    middle = (unit.lines[0].y0 + bottom) / 2
    found = [
        rule.y for rule in unit.page.rules
        if rule.thickness <= RULES.rule_thickness * stats.body_size and middle <= rule.y <= bottom
        and RULES.rule_min * width <= rule.x1 - rule.x0 and (longest is None or rule.x1 - rule.x0 <= longest * width)
        and abs(rule.x0 - x0) <= RULES.rule_indent * stats.body_size
        and not _underlines(rule, unit.lines)
    ]
    found += [line.baseline for line in unit.lines if line.y0 >= middle and TYPED_RULE.match(line.text)]
    return max(found, default=None)


def _underlines(rule: Rule, lines: list[Line]) -> bool:
    """Does the rule underline text (a link, an emphasis) rather than separate it?"""
    for line in lines:
        reach = RULES.underline_reach * line.size
        if line.baseline - reach <= rule.y <= line.y1 + reach and rule.x0 < line.x1 and line.x0 < rule.x1:
            return True
    return False


def _candidate_area(unit: _Unit, note_size: float | None) -> list[Line]:
    """The lines that may be notes: the small lines at the foot, cut at a separator rule."""
    stats = unit.stats
    run = _bottom_run(unit)
    if note_size is not None:
        # The note size only: a caption or a table set in another small size above the notes is not.
        while run and (not same_size(run[0].size, note_size) or CAPTION_START.match(run[0].text)):
            run = run[1:]
    rule_y = _separator(unit, stats)
    if rule_y is None and not run:
        # Notes in the body size may stand under a rule across the column (or wider than
        # ragged text), where the first line under it opens with a label a marker above names.
        rule_y = _separator(unit, stats, longest=None)
    if rule_y is not None:
        reach = RULES.rule_reach * stats.line_pitch
        slack = RULES.rule_slack * stats.body_size
        if run and run[0].y0 >= rule_y - slack:
            unit.ruled = run[0].y0 - rule_y <= reach
        elif run and run[-1].y0 >= rule_y - slack:
            run = [l for l in run if l.y0 >= rule_y - slack]  # small text above the rule is not notes
            unit.ruled = True
        else:
            below = [l for l in unit.lines if l.y0 >= rule_y - slack]
            start = label_start(below[0]) if below else None
            if start is not None and below[0].y0 - rule_y <= reach and (
                start.strong or start.label in _named_above(unit, rule_y - slack)
            ):
                run = below  # notes set in the body size, under a rule
                unit.ruled = True
    if run:
        top = run[0].y0
        unit.body_above = any(l.y0 < top and not _is_small(l, stats) and len(l.text.split()) >= 2 for l in unit.lines)
    return run


def _named_above(unit: _Unit, y: float) -> set[str]:
    """The labels that the markers in the unit's lines above ``y`` name."""
    return {label for c in marker_candidates([l for l in unit.lines if l.y1 <= y]) for label in c.labels}


def _note_size(units: list[_Unit], runs: list[list[Line]]) -> float | None:
    """The document's note size: the usual size of foot lines that open with a label.

    Labels that a superscript in the same page's body names count first: small text
    that opens with "(1)" in a table or a list is not what decides the note size.
    """
    marked: Counter[float] = Counter()
    anywhere: Counter[float] = Counter()
    for unit, run in zip(units, runs):
        if not run:
            continue
        in_run = {id(l) for l in run}
        named = {label for c in marker_candidates([l for l in unit.lines if id(l) not in in_run]) for label in c.labels}
        for line in run:
            start = label_start(line)
            if start is None or not _is_small(line, unit.stats):
                continue
            anywhere[line.size] += 1
            if start.label in named:
                marked[line.size] += 1
    return heaviest(marked or anywhere)


def _note_style(units: list[_Unit], note_size: float | None) -> NoteStyle:
    forms: dict[str, int] = {}  # the forms of strong labels
    every: dict[str, int] = {}  # the forms of every line start that looks like a label
    label_dx: list[float] = []
    after_dx: list[float] = []
    text_dx: list[float] = []
    for unit in units:
        if not unit.area:
            continue
        left = unit.left
        for line in unit.area:
            start = label_start(line)
            if start is not None:
                every[start.form] = every.get(start.form, 0) + 1
            if start is not None and start.strong:
                forms[start.form] = forms.get(start.form, 0) + 1
                label_dx.append(line.x0 - left)
                after_dx.append(text_x(line, start) - left)
            elif start is None:
                text_dx.append(line.x0 - left)
    median = lambda xs: sorted(xs)[len(xs) // 2] if xs else None  # noqa: E731
    form = max(forms, key=forms.get) if forms else "plain"
    dots = every.get("dot", 0)
    if dots > sum(every.values()) - dots:
        form = "dot"  # "12." is weak alone, but most of the document's notes open that way
    return NoteStyle(note_size, form, median(label_dx), median(after_dx), median(text_dx))


# -- splitting areas into notes ------------------------------------------------------------------


@dataclass
class _Sequence:
    """Where the numbering stands: the last note of each scheme, and the numbering run."""

    last: NoteDraft | None = None
    last_of: dict[str, NoteDraft] = field(default_factory=dict)  # by scheme: number, letter, roman, symbol
    run: int = 1
    keys: set[str] = field(default_factory=set)

    def relation(self, label: str, unit_start: bool) -> str:
        """"first", "next", "restart", "jump" or "other" for a label after the notes so far.

        A label follows the last note of its own scheme, so a "*" note among numbered notes
        does not break their numbering; a label that may belong to two schemes ("i": a
        roman numeral or a letter) follows in either.
        """
        if self.last is None:
            return "first"
        kinds = label_kinds(label)
        seen = [k for k in kinds if k in self.last_of]
        for kind in seen:
            if label in next_labels(self.last_of[kind].label, kind):
                return "next"
        if label in {first_label(k) for k in kinds}:
            return "restart"
        previous = self.last_of.get("number")
        if "number" in kinds and previous is not None and 0 < int(label) - int(previous.label) <= 3:
            return "jump"
        if "symbol" in kinds and unit_start:
            return "restart"  # symbols start over on every page in most schemes
        return "other"  # (a scheme not seen before starts with its first label: a restart)

    def follow(self, note: NoteDraft) -> None:
        self.last = note
        for kind in label_kinds(note.label):
            self.last_of[kind] = note

    def key(self, label: str, restart: bool) -> str:
        if restart:
            self.run += 1
        key = note_key(label, self.run)
        while key in self.keys:  # a label seen twice in a run: the numbering restarted unannounced
            self.run += 1
            key = note_key(label, self.run)
        self.keys.add(key)
        return key


def find_footnotes(layout: Layout, stats: LayoutStats, running: set[tuple[int, int]]) -> FootnoteResult:
    """Split every page's note areas into notes and match them to the page's markers.

    The note size and how notes are set are learnt per part of the document: the pages
    that share a body size (a report and an annex bound with it may differ).
    """
    local = page_measures(layout, stats)
    units_by_page = [_units(page, running) for page in layout.pages]
    for page_stats, units in zip(local, units_by_page):
        for unit in units:
            unit.stats = page_stats
            unit.left = min((l.x0 for l in unit.lines), default=0.0)
            unit.right = max((l.x1 for l in unit.lines), default=0.0)
    flat = [unit for units in units_by_page for unit in units]
    for _, part in groupby(flat, key=lambda unit: unit.stats.body_size):
        part = list(part)
        note_size = _note_size(part, [_bottom_run(unit) for unit in part])
        for unit in part:
            unit.note_size = note_size
            unit.area = _candidate_area(unit, note_size)
        style = _note_style(part, note_size)
        for unit in part:
            unit.style = style

    result = FootnoteResult(notes=[], area_keys=set(), links=MarkerLinks(), warnings=[])
    sequence = _Sequence()
    leftover: list = []  # marker slots of the previous page that no note took
    open_note: NoteDraft | None = None  # the last note of the previous unit, which may go on
    for page, units in zip(layout.pages, units_by_page):
        try:
            open_note, leftover = _read_page(page, units, sequence, leftover, open_note, result)
        except Exception as error:  # a page that defeats the reader stays that page's problem
            log.debug("page %s: %r", page.number, error, exc_info=True)
            result.warn(page.number, f"its footnotes could not be read ({error.__class__.__name__})")
            open_note, leftover = None, []
    result.orphans.extend(leftover)
    _drop_unmarked_pages(result)
    _report_orphans(result)
    areas = [sum(len(l.text) for l in unit.area) for unit in flat]
    result.longest_area = max(areas, default=0)
    _check_lengths(result)
    return result


def _read_page(page, units, sequence, leftover, open_note, result):
    area_lines = {id(l) for unit in units for l in unit.area}
    body = [l for unit in units for l in unit.lines if id(l) not in area_lines]
    candidates = marker_candidates(body)
    slots = leftover + slots_of(candidates)
    page_notes: list[NoteDraft] = []
    for unit in units:
        if unit.area:
            open_note = _split_unit(unit, sequence, slots, open_note, page_notes, result)
        elif unit.lines:
            open_note = None if _has_body(unit) else open_note
    link_page([(n.key, n.label) for n in page_notes], slots, result.links)
    for note in page_notes:
        if note.key not in result.links.anchored:
            result.warn(page.number, f"footnote {note.label} has no marker in the text")
    # Markers of this page that no note took may name a note printed on the next page; the
    # previous page's that this page did not take either name none.
    result.orphans.extend(s for s in slots if not s.used and s.candidate.page != page.number)
    return open_note, [s for s in slots if not s.used and s.candidate.page == page.number and not s.candidate.exponent_like]


def _has_body(unit: _Unit) -> bool:
    return any(not _is_small(l, unit.stats) and len(l.text.split()) >= 2 for l in unit.lines)


def _split_unit(unit, sequence: _Sequence, slots, open_note, page_notes, result) -> NoteDraft | None:
    """Split a unit's area into notes; return the note that may go on in the next unit."""
    style = unit.style
    pool = Counter(s.label for s in slots if not s.used)  # a label marked twice (numbering anew mid-page) counts twice
    hanging = style.distinct_columns(style.size or unit.stats.body_size)
    current: NoteDraft | None = None
    started = False
    previous_line: Line | None = open_note.parts[-1].line if open_note is not None and open_note.parts else None
    continued: list[Line] = []
    kept: list[Line] = []
    for line in unit.area:
        if TYPED_RULE.match(line.text):
            kept.append(line)  # a typed separator: part of the area, not of a note
            continue
        start = label_start(line)
        if start is not None and hanging and not style.at_label_column(line, start, unit.left) and start.form != "raised":
            start = None  # at the text column: "4 december 2024." inside a note
        if start is not None and _accepts(start, line, previous_line, current or open_note, sequence, pool, style, unit, started):
            relation = sequence.relation(start.label, not started)
            if relation == "jump":
                result.warn(unit.page.number, f"footnote numbers jump from {sequence.last.label} to {start.label}")
            elif relation == "other":
                result.warn(unit.page.number, f"footnote numbers go on from {start.label} after {sequence.last.label}, as its marker says")
            current = NoteDraft(start.label, sequence.key(start.label, relation == "restart"), start_page=unit.page.number)
            current.parts.append(NotePart(line, start.span, start.skip))
            sequence.follow(current)
            page_notes.append(current)
            result.notes.append(current)
            pool[start.label] -= 1
            started = True
        elif current is not None:
            current.parts.append(NotePart(line))
        else:
            continued.append(line)  # before the area's first label
            previous_line = line
            continue
        kept.append(line)
        previous_line = line
    if continued and open_note is not None and unit.page.number > open_note.start_page + 1:
        # A note takes its own page's area and one continuation, no more: text that would
        # carry it over a third page stays where it is, so one missed label costs one page.
        result.warn(unit.page.number, f"text above the first note label would carry footnote {open_note.label} "
                                      f"from page {open_note.start_page} over a third page; left in the text")
        open_note = None
    if continued:
        if open_note is not None and _continues(continued, open_note, unit, started):
            open_note.parts.extend(NotePart(l) for l in continued)
            kept.extend(continued)
        elif not started:
            return open_note if not _has_body(unit) else None
    result.area_keys.update((l.page, l.index) for l in kept)
    return current or (open_note if continued and not started else None)


def _accepts(start: LabelStart, line: Line, previous: Line | None, last: NoteDraft | None, sequence: _Sequence,
             pool: Counter[str], style: NoteStyle, unit: _Unit, started: bool) -> bool:
    """Is a line that opens with a label the start of a note (see the module docstring)?"""
    relation = sequence.relation(start.label, not started)
    marked = pool[start.label] > 0
    if relation == "other":
        # The numbering is off (a note missed, numbered oddly): a clear label that a marker
        # on the page names takes the numbering up again, so one miss stays one miss.
        return marked and (start.strong or start.form == style.form)
    if not (unit.body_above or unit.ruled) and not marked:
        return False  # small type without body text above it (a summary, an annex): not notes
    strong = start.strong or (start.form == style.form and start.form == "dot")
    if relation == "first":
        return strong or marked
    if relation == "next":
        complete = last is None or not last.parts or looks_complete(last.text())
        room = previous is None or _ended_short(previous, line, style, unit)
        return strong or room or (complete and marked)
    if relation == "restart":
        return (strong or marked) and (not started or (strong and marked))
    return strong and marked  # a jump in the numbering: a note missed, or numbered oddly


def _continues(lines: list[Line], note: NoteDraft, unit: _Unit, started: bool) -> bool:
    """May the lines before an area's first label continue the previous area's last note?

    Only inside a real note area (body text or a rule above it, or labels after it), only
    when they read as note text (no table gaps), and only when the note was left open or
    the area clearly holds notes.
    """
    if not (unit.body_above or unit.ruled or started):
        return False
    if any(_has_table_gap(l, unit) for l in lines):
        return False
    return started or unit.ruled or not looks_complete(note.text())


def _has_table_gap(line: Line, unit: _Unit) -> bool:
    """Cells set apart by a gutter; not a justified line stretched to the right edge (before a long URL)."""
    if unit.right - line.x1 <= RULES.short_line * line.size:
        return False
    spans = [s for s in line.spans if s.text.strip()]
    return any(b.x0 - a.x1 > RULES.cell_gap * unit.stats.body_size for a, b in zip(spans, spans[1:]))


def _ended_short(previous: Line, line: Line, style: NoteStyle, unit: _Unit) -> bool:
    """Would the first word of ``line`` have fitted after ``previous``? Then ``previous`` ended its note."""
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None:
        return True
    word = first.text.split()[0]
    width = first.width * len(word) / max(len(first.text), 1)
    return unit.right - previous.x1 > width + RULES.short_line * previous.size


def _report_orphans(result: FootnoteResult) -> None:
    """Markers without a note, among the superscripts no note took: those that fit the numbering
    of the notes around them (a superscript 10 in a text without notes is a power of ten)."""
    near: dict[int, list[str]] = {}
    for note in result.notes:
        for page in range(note.start_page - 1, note.start_page + 2):
            near.setdefault(page, []).append(note.label)
    for slot in result.orphans:
        page, label = slot.candidate.page, slot.label
        labels = near.get(page, [])
        numbers = [int(x) for x in labels if x.isdigit()]
        if label.isdigit():
            fits = bool(numbers) and min(numbers) <= int(label) <= max(numbers) + 3
        else:
            fits = any(label_kind(x) == label_kind(label) for x in labels)
        if fits:
            result.links.orphans.append((page, label))
            result.warn(page, f"marker {label} has no footnote")


def _drop_unmarked_pages(result: FootnoteResult) -> None:
    """Pages whose small-type "notes" no marker names, in a document whose markers are read
    elsewhere, hold a numbered list (sources, an annex) in the note size: their lines go
    back to the text, where they make a list, and the page's warnings say why."""
    anchored = result.links.anchored
    if sum(1 for note in result.notes if note.key in anchored) < RULES.reliable_markers:
        return  # markers are not read in this document: no page is judged by them
    by_page: dict[int, list[NoteDraft]] = {}
    for note in result.notes:
        by_page.setdefault(note.start_page, []).append(note)
    dropped: set[int] = set()
    for page, notes in by_page.items():
        if len(notes) >= RULES.unmarked_page_notes and not any(note.key in anchored for note in notes):
            dropped.update(id(note) for note in notes)
            for note in notes:
                result.area_keys.difference_update((part.line.page, part.line.index) for part in note.parts)
            result.warnings = [w for w in result.warnings if not (w.startswith(f"page {page}: ") and "has no marker" in w)]
            result.warn(page, f"{len(notes)} numbered lines in the note size without any marker are read as text, not notes")
    if dropped:
        result.notes = [note for note in result.notes if id(note) not in dropped]


def _check_lengths(result: FootnoteResult) -> None:
    """A note longer than the longest note area (twice that when it goes on over a page) is a defect."""
    limit = result.longest_area
    for note in result.notes:
        length = sum(len(p.line.text) for p in note.parts)
        allowed = limit * len(note.pages)
        if limit and length > allowed:
            result.warn(note.start_page, f"footnote {note.label} is longer ({length} characters) than its note areas allow ({allowed})")
