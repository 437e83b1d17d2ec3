"""Page flow: body lines from the top, footnotes from the bottom, as a word processor does.

:class:`Layout` places blocks line by line into frames: a page has one frame per column,
each with its body from the top and its notes at its foot. A line whose notes do not fit
moves to the next frame; a long note may be split (its rest opens the next frame's note
area); with ``defer_notes`` a note that does not fit goes whole to the next frame while
its marker stays. Each page collects drawing operations (text, rules, link rectangles)
for the renderer, and the layout records where every note and marker landed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from toolkit.sample.content import IBID
from toolkit.sample.lines import SUP_RISE, SUP_SCALE, Metrics, break_lines
from toolkit.sample.markup import Block, NoteSpec, Piece, Unit, UnitBuilder
from toolkit.sample.styles import ReportStyle

NOTE_PITCH = 1.22  # note line height as a multiple of the note size
SMALL_PITCH = 1.22  # line height of small-type body pages, the same as the notes'
DEFER_MAX_SHARE = 0.3  # deferred notes may fill at most this share of the next frame's height
DEFER_LINES = 3  # with defer_notes, a note of at most this many lines moves whole rather than split
# With repeated_notes, the first IBID_FIRST frames whose note area ends with a plain note,
# and every IBID_EVERY-th frame after them, print that note as "Ibid.": "Ibid." then ends
# the note area on many pages, at the same height, as in real reports.
IBID_FIRST = 3
IBID_EVERY = 3


@dataclass
class NoteLine:
    units: list[Unit]
    start: float  # x offset of the text from the frame's left edge
    first: bool  # the line that carries the label
    last: bool


@dataclass
class PageState:
    """A frame: one column of a page (the whole text width on single-column pages).

    Frames of the same page share ``ops``; the page-wide facts (``chapter``, ``sizes``)
    are kept on its first frame, which :attr:`Layout.pages` lists.
    """

    number: int
    y: float
    ops: list[tuple] = field(default_factory=list)
    notes: list[tuple[int, list[NoteLine], bool]] = field(default_factory=list)  # (n, lines, continued)
    note_line_count: int = 0
    frozen: bool = False  # a note was split or deferred here: later notes go to the next frame
    has_body: bool = False
    column: int = 0
    x: float = 0.0
    chapter: str = ""  # the chapter running on this page (for chapter running heads)
    sizes: set[float] = field(default_factory=set)  # sizes of the body-area text on this page
    note_bottom: float = 0.0  # lowest note baseline on this page (0: no notes)


class Layout:
    def __init__(self, style: ReportStyle, metrics: Metrics, notes: list[NoteSpec], links: list[dict],
                 force: set[int], force_budget: int = 0, any_note: int = 0, label_measure: str | None = None,
                 defer_budget: int = 0) -> None:
        self.style = style
        self.label_measure = label_measure  # measure note labels as this text (see Composer.relabel)
        self.defer_budget = defer_budget  # with defer_notes: defer this many notes that would still fit
        self.m = metrics
        self.links = links
        self.force = set(force)
        self.force_budget = force_budget
        self.any_note = any_note
        self.force_room = 4.0 if not any_note else 8.0 * any_note
        self.specs = {spec.n: spec for spec in notes}
        self.fn = style.footnote_size
        self.fn_lh = style.footnote_size * NOTE_PITCH
        self.sep = style.footnote_size * 1.7
        self.lh = style.body_size * style.line_spacing
        self.bottom = style.page_height - style.margin_bottom
        self.width = style.column_width
        self.min_split = 2 if style.note_label_gap == "line" else 1  # never leave a label alone
        self.note_lines = {spec.n: self._note_lines(spec) for spec in notes}
        self.pages: list[PageState] = []
        self.frames: list[PageState] = []
        self.carry: tuple[int, list[NoteLine]] | None = None
        self.deferred: list[int] = []
        self.continued: list[int] = []
        self.deferred_notes: list[int] = []
        self.note_pages: dict[int, list[int]] = {}
        self.note_starts: list[tuple[int, int]] = []  # (n, page) in the order the labels are printed
        self.marker_pages: dict[int, int] = {}
        self.ibid: set[int] = set()  # seeded notes printed as "Ibid." (they ended a note area)
        self.chapter = ""
        self.last_kind = ""
        self.page = self._open_page()

    # notes -------------------------------------------------------------------------------
    def _note_number(self, n: int) -> Piece:
        style = self.style
        fmt = style.note_label_format
        return Piece(fmt.format(self.specs[n].label), "bold" if style.note_label_font == "bold" else "body",
                     sup=n if style.note_label_font == "superscript" else None,
                     measure=fmt.format(self.label_measure) if self.label_measure else None)

    def _note_lines(self, spec: NoteSpec) -> list[NoteLine]:
        style = self.style
        width = self.width
        label_w = style.note_first_indent + self.m.piece_width(self._note_number(spec.n), self.fn)
        space = self.m.text_width(" ", "body", self.fn)
        indent = style.note_indent
        rest = indent if indent > 0 else 0.0
        head: list[NoteLine] = []
        if style.note_label_gap == "tab":
            start = style.note_first_indent + style.note_tab * max(1, math.ceil((label_w - style.note_first_indent + space) / style.note_tab))
        elif style.note_label_gap == "line":
            if not spec.units:  # an empty note: its label alone
                return [NoteLine([], 0.0, True, True)]
            head, start = [NoteLine([], 0.0, True, False)], rest
        elif spec.glued:
            start = label_w
        elif indent > 0:
            start = max(indent, label_w + space)
        else:
            start = label_w + space
        lines = break_lines(spec.units, self.m, self.fn, width - start, width - rest, hyphenate=False)
        ends = [i == len(lines) - 1 or bool(lines[i + 1] and lines[i + 1][0].force_break) for i in range(len(lines))]
        return head + [NoteLine(line, start if i == 0 else rest, i == 0 and not head, ends[i]) for i, line in enumerate(lines)]

    def _limit(self, note_lines: int) -> float:
        return self.bottom - (note_lines * self.fn_lh + self.sep if note_lines else 0.0)

    # pages -------------------------------------------------------------------------------
    def _open_page(self) -> PageState:
        style = self.style
        previous = self.frames[-1] if self.frames else None
        if previous is not None and previous.column + 1 < style.columns:
            column, ops, number = previous.column + 1, previous.ops, previous.number
        else:
            column, ops, number = 0, [], len(self.pages) + 1
        page = PageState(number, style.margin_top, ops, column=column,
                         x=style.margin_left + column * (self.width + style.column_gap))
        if column == 0:
            page.chapter = self.chapter
            self.pages.append(page)
        self.frames.append(page)
        if self.carry:
            n, lines = self.carry
            page.notes.append((n, lines, True))
            page.note_line_count += len(lines)
            if column == 0:
                self.continued.append(n)
            self.carry = None
        for n in self.deferred:
            page.notes.append((n, self.note_lines[n], False))
            page.note_line_count += len(self.note_lines[n])
        self.deferred = []
        return page

    @property
    def sheet(self) -> PageState:
        """The first frame of the current page: where page-wide facts are kept."""
        return self.pages[-1]

    def new_page(self, whole: bool = False) -> None:
        """Go on in the next frame; ``whole``: on a new page, leaving the other columns empty."""
        self._finish(self.page)
        if whole:
            while self.page.column + 1 < self.style.columns:
                self.page = self._open_page()
                self._finish(self.page)
        self.page = self._open_page()
        self.last_kind = ""

    def _end_with_ibid(self, page: PageState) -> None:
        """Print the last note of the area as "Ibid." (it shrinks; the area stays at the bottom)."""
        n, lines, continued = page.notes[-1]
        if continued or not self.specs[n].repeatable or (self.carry and self.carry[0] == n) or n in self.deferred:
            return
        builder = UnitBuilder()
        builder.text(IBID)
        short = self._note_lines(replace(self.specs[n], units=builder.units, glued=False))
        page.notes[-1] = (n, short, False)
        page.note_line_count += len(short) - len(lines)
        self.ibid.add(n)

    def _finish(self, page: PageState) -> None:
        if not page.notes:
            return
        style = self.style
        if style.repeated_notes and (len(self.ibid) < IBID_FIRST or len(self.frames) % IBID_EVERY == 0):
            self._end_with_ibid(page)
        top = self.bottom - page.note_line_count * self.fn_lh
        if style.footnote_rule:
            length = self.width if page.notes[0][2] else min(144.0, self.width / 3)
            rule_y = top - self.sep * 0.45
            page.ops.append(("l", page.x, rule_y, page.x + length, rule_y))
        y = top
        for n, lines, continued in page.notes:
            pages = self.note_pages.setdefault(n, [])
            if not pages or pages[-1] != page.number:
                pages.append(page.number)
            if not continued:
                self.note_starts.append((n, page.number))
            for line in lines:
                baseline = y + self.fn * 0.95
                x = page.x
                if line.first:
                    self._place(page, [Unit([self._note_number(n)], False)], x + style.note_first_indent, baseline,
                                self.fn, 0, False)
                if line.units:
                    self._place(page, line.units, x + line.start, baseline, self.fn,
                                self.width - line.start, style.justify and not line.last)
                y += self.fn_lh
        self.sheet_of(page).note_bottom = max(self.sheet_of(page).note_bottom, y - self.fn_lh + self.fn * 0.95)

    def sheet_of(self, page: PageState) -> PageState:
        return self.pages[page.number - 1]

    def finish(self) -> None:
        self._finish(self.page)
        while self.carry or self.deferred:  # the document ended inside a split or deferred note
            self.page = self._open_page()
            self._finish(self.page)

    # placing characters ------------------------------------------------------------------
    def _place(self, page: PageState, units: list[Unit], x: float, baseline: float, size: float,
               width: float, justify: bool) -> None:
        m = self.m
        space = m.text_width(" ", "body", size)
        extra = 0.0
        if justify:
            gaps = sum(1 for u in units[1:] if u.space_before)
            natural = sum(m.unit_width(u, size) for u in units) + gaps * space
            # Wider gaps would make readers see separate columns; such lines stay ragged.
            if gaps and 0 < width - natural <= gaps * space:
                extra = (width - natural) / gaps
        spans: dict[int, list[float]] = {}
        for i, unit in enumerate(units):
            if i and unit.space_before:
                x += space + extra
            for piece in unit.pieces:
                w = m.piece_width(piece, size)
                if piece.sup is not None:
                    page.ops.append(("t", x, baseline - size * SUP_RISE, piece.text, piece.role, size * SUP_SCALE))
                else:
                    page.ops.append(("t", x, baseline, piece.text, piece.role, size))
                if piece.link is not None:
                    span = spans.setdefault(piece.link, [x, x + w])
                    span[1] = x + w
                x += w
            if unit.soft_hyphen:
                page.ops.append(("t", x, baseline, "-", unit.pieces[-1].role, size))
                x += m.text_width("-", unit.pieces[-1].role, size)
        for link, (x0, x1) in spans.items():
            record = self.links[link]
            page.ops.append(("k", (x0, baseline - size * 0.85, x1, baseline + size * 0.22), record["uri"]))
            record["rects"] += 1
            if record["page"] is None:
                record["page"] = page.number

    def _defer(self, page: PageState, numbers: list[int], y_after: float) -> bool:
        """With ``defer_notes``: keep the line here and send its notes to the next frame."""
        if not self.style.defer_notes or y_after > self._limit(page.note_line_count) + 0.01:
            return False
        lines = sum(len(self.note_lines[n]) for n in self.deferred + numbers)
        if lines * self.fn_lh > DEFER_MAX_SHARE * (self.bottom - self.style.margin_top):
            return False
        self.deferred += numbers
        self.deferred_notes += numbers
        page.frozen = True
        return True

    def _take_notes(self, page: PageState, numbers: list[int], y_after: float) -> bool:
        """Put the notes of a body line on ``page``; False when the line must go to the next frame."""
        need = sum(len(self.note_lines[n]) for n in numbers)
        if not numbers:
            return y_after <= self._limit(page.note_line_count) + 0.01
        if page.frozen:
            return self._defer(page, numbers, y_after)
        last = numbers[-1]
        lines = self.note_lines[last]
        if y_after <= self._limit(page.note_line_count + need) + 0.01:
            split = None
            full = self._limit(page.note_line_count + need) - y_after < self.force_room * self.lh
            if self.defer_budget > 0 and full and self._defer(page, numbers, y_after):
                self.defer_budget -= 1  # a page nearly full: the note goes to the next page
                return True
            wanted = self.specs[last].splittable or (self.any_note and not self.specs[last].glued)
            last_column = page.column == self.style.columns - 1  # a split there runs onto the next page
            if self.force_budget > 0 and wanted and len(lines) >= (2 if self.any_note else 3) and full and last_column:
                split = max(self.min_split, len(lines) // 2)
                self.force_budget -= 1
        else:
            if len(lines) <= DEFER_LINES and self._defer_tail(page, numbers, y_after):
                return True
            room = int((self.bottom - self.sep - y_after) / self.fn_lh + 1e-6) - page.note_line_count
            split = room - (need - len(lines))
            if not (len(lines) >= 2 and self.min_split <= split < len(lines)):
                if self._defer_tail(page, numbers, y_after):
                    return True
                if page.has_body:
                    return False
                split = max(self.min_split, min(split, len(lines) - 1))  # empty page: the line must go somewhere
        for n in numbers[:-1]:
            page.notes.append((n, self.note_lines[n], False))
            page.note_line_count += len(self.note_lines[n])
        if split is None or split >= len(lines):
            page.notes.append((last, lines, False))
            page.note_line_count += len(lines)
        else:
            page.notes.append((last, lines[:split], False))
            page.note_line_count += split
            self.carry = (last, lines[split:])
            page.frozen = True
        return True

    def _defer_tail(self, page: PageState, numbers: list[int], y_after: float) -> bool:
        """Place the line's first notes that fit whole and defer the others (``defer_notes``)."""
        if not self.style.defer_notes:
            return False
        placed, count = 0, page.note_line_count
        while placed < len(numbers) and y_after <= self._limit(count + len(self.note_lines[numbers[placed]])) + 0.01:
            count += len(self.note_lines[numbers[placed]])
            placed += 1
        if y_after > self._limit(count) + 0.01:
            return False
        if not self._defer(page, numbers[placed:], y_after):
            return False
        for n in numbers[:placed]:
            page.notes.append((n, self.note_lines[n], False))
            page.note_line_count += len(self.note_lines[n])
        return True

    def body_line(self, units: list[Unit], x: float, width: float, justify: bool,
                  size: float | None = None, lead: list[tuple] | None = None, lh: float | None = None) -> None:
        size = size or self.style.body_size
        lh = lh or (self.lh if size == self.style.body_size else size * self.style.line_spacing)
        numbers = [p.sup for u in units for p in u.pieces if p.sup is not None]
        while not self._take_notes(self.page, numbers, self.page.y + lh):
            if not self.page.has_body and not numbers:
                break
            self.new_page()
        page = self.page
        baseline = page.y + lh * 0.5 + size * 0.32
        shift = page.x - self.style.margin_left  # x and lead are given for the first column
        for op in lead or []:
            page.ops.append((op[0], op[1] + shift, baseline) + op[3:])
        self._place(page, units, x + shift, baseline, size, width, justify)
        for n in numbers:
            self.marker_pages[n] = page.number
        page.y += lh
        page.has_body = True
        self.sheet.sizes.add(size)

    def gap(self, amount: float) -> None:
        if self.page.has_body and self.last_kind != "heading":
            self.page.y += amount

    # blocks ------------------------------------------------------------------------------
    def _front_lines(self, lines: list[tuple[str, str, float]], y: float) -> float:
        style = self.style
        for text, role, size in lines:
            builder = UnitBuilder(role)
            builder.text(text)
            for line in break_lines(builder.units, self.m, size, style.text_width, style.text_width, False):
                y += size * 1.3
                self._place(self.page, line, style.margin_left, y, size, style.text_width, False)
                self.sheet.sizes.add(size)
            y += size * 0.8
        return y

    def title_page(self, lines: list[tuple[str, str, float]]) -> None:
        self._front_lines(lines, self.style.page_height * 0.3)
        self.page.has_body = True
        self.new_page(whole=True)  # a page of its own, also in a layout of columns

    def title_block(self, lines: list[tuple[str, str, float]]) -> None:
        """The title above the body of page 1, for reports without a title page."""
        self.page.y = self._front_lines(lines, self.style.margin_top - lines[0][2] * 1.3) + self.lh
        self.page.has_body = True
        self.last_kind = "title"

    def heading(self, block: Block) -> None:
        style = self.style
        size = style.heading_sizes[block.level - 1] if block.level <= 3 else style.body_size
        if block.level == 1 and self.page.has_body and self.last_kind != "title":
            self.new_page(whole=True)
        if block.level == 1:  # a chapter opens a page: the page's running head names it
            self.chapter = self.sheet.chapter = block.text
        page = self.page
        lh = size * 1.3
        start = 0.0
        number_unit = None
        if block.number:
            number_unit = Unit([Piece(block.number, "bold")], False)
            start = self.m.unit_width(number_unit, size) + size * 0.8
        lines = break_lines(block.units, self.m, size, self.width - start, self.width - start, False)
        numbers = [[p.sup for u in line for p in u.pieces if p.sup is not None] for line in lines]
        note_need = sum(len(self.note_lines[n]) for ns in numbers for n in ns)
        before = (size * 0.9 + style.paragraph_gap * 0.5) if page.has_body else 0.0
        needed = before + len(lines) * lh + size * 0.4 + 2 * self.lh
        if page.has_body and (page.y + needed > self._limit(page.note_line_count + note_need) or (note_need and page.frozen)):
            self.new_page()
            page, before = self.page, 0.0
        page.y += before
        for i, line in enumerate(lines):
            while numbers[i] and not self._take_notes(page, numbers[i], page.y + lh):
                if not page.has_body:
                    raise RuntimeError("a heading's notes do not fit on an empty page")
                self.new_page()
                page = self.page
            for n in numbers[i]:
                self.marker_pages[n] = page.number
            baseline = page.y + size
            if i == 0 and number_unit:
                self._place(page, [number_unit], page.x, baseline, size, 0, False)
            self._place(page, line, page.x + start, baseline, size, 0, False)
            page.y += lh
        page.y += size * 0.4
        page.has_body = True
        self.sheet.sizes.add(size)
        self.last_kind = "heading"

    def paragraph(self, block: Block, size: float | None = None, lh: float | None = None) -> None:
        style = self.style
        size = size or style.body_size
        self.gap(style.paragraph_gap if size == style.body_size else style.paragraph_gap * size / style.body_size)
        indent = style.first_line_indent if block.indent else 0.0
        lines = break_lines(block.units, self.m, size, self.width - indent, self.width, style.hyphenate)
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            self.body_line(line, style.margin_left + (indent if i == 0 else 0), self.width - (indent if i == 0 else 0),
                           style.justify and not last, size=size, lh=lh)
        self.last_kind = "para"

    def hanging(self, block: Block, label: str | list[Unit], indent: float, size: float | None = None,
                gap: float = 0.0) -> None:
        """Bullet items, source entries and abbreviation rows: a label, then text with a hanging indent."""
        style = self.style
        size = size or style.body_size
        self.gap(gap)
        lines = break_lines(block.units, self.m, size, self.width - indent, self.width - indent, style.hyphenate)
        label_units = label if isinstance(label, list) else [Unit([Piece(label)], False)]
        for i, line in enumerate(lines):
            lead = []
            if i == 0:
                scratch = PageState(0, 0)
                self._place(scratch, label_units, style.margin_left + (6 if label == "•" else 0), 0, size, 0, False)
                lead = [op for op in scratch.ops if op[0] == "t"]
            self.body_line(line, style.margin_left + indent, self.width - indent,
                           style.justify and i < len(lines) - 1, size=size, lead=lead)
        self.last_kind = block.kind

    def figure(self) -> None:
        style = self.style
        height = 110.0
        if self.page.y + height + 3 * self.lh > self._limit(self.page.note_line_count):
            self.new_page()
        self.gap(style.paragraph_gap or self.lh * 0.5)
        page, x0, y0 = self.page, self.page.x, self.page.y
        width = min(320.0, self.width)
        page.ops.append(("frame", (x0, y0, x0 + width, y0 + height)))
        values = [0.35, 0.5, 0.42, 0.7, 0.86, 0.64, 0.93]
        bar = width / (len(values) * 1.6)
        for i, v in enumerate(values):
            bx = x0 + bar * 0.6 + i * bar * 1.6
            page.ops.append(("bar", (bx, y0 + height * (1 - v * 0.9), bx + bar, y0 + height)))
        page.y += height + 6
        page.has_body = True
        self.last_kind = "heading"  # the caption sits right under the figure

    def run(self, blocks: list[Block]) -> None:
        style = self.style
        for block in blocks:
            kind = block.kind
            if kind == "heading":
                self.heading(block)
            elif kind == "para":
                self.paragraph(block)
            elif kind == "small":
                self.paragraph(block, size=self.fn, lh=self.fn * SMALL_PITCH)
            elif kind == "bullet":
                self.hanging(block, "•", 22.0, gap=style.paragraph_gap * 0.6 if self.last_kind != "bullet" else 0)
            elif kind == "figure":
                self.figure()
            elif kind == "caption":
                block.units = [Unit([Piece(p.text, "italic", p.sup, p.link, p.url) for p in u.pieces], u.space_before)
                               for u in block.units]
                self.hanging(block, [], 0.0, size=style.body_size - 1)
                self.last_kind = "para"
            elif kind == "publisher":
                if self.page.y + 4 * self.lh > self._limit(self.page.note_line_count):
                    self.new_page()  # keep the publisher with its first entries
                self.hanging(block, [], 0.0, gap=max(style.paragraph_gap, self.lh * 0.5))
            elif kind == "source":
                self.hanging(block, "-", 12.0)
            elif kind == "abbr":
                self.hanging(block, block.label, min(80.0, self.width * 0.35))
        self.finish()
