"""Page flow: body lines from the top, footnotes from the bottom, as a word processor does.

:class:`Layout` places blocks line by line; a line whose notes do not fit moves to the next
page, a long note may be split over two pages (its rest opens the next page's note area).
Each page collects drawing operations (text, rules, link rectangles) for the renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from toolkit.sample.lines import SUP_RISE, SUP_SCALE, Metrics, break_lines
from toolkit.sample.markup import Block, NoteSpec, Piece, Unit, UnitBuilder
from toolkit.sample.styles import ReportStyle


@dataclass
class NoteLine:
    units: list[Unit]
    start: float  # x offset of the text from the left margin
    first: bool
    last: bool


@dataclass
class PageState:
    number: int
    y: float
    ops: list[tuple] = field(default_factory=list)
    notes: list[tuple[int, list[NoteLine], bool]] = field(default_factory=list)  # (n, lines, continued)
    note_line_count: int = 0
    frozen: bool = False  # a note was split here: later notes must go to the next page
    has_body: bool = False


class Layout:
    def __init__(self, style: ReportStyle, metrics: Metrics, notes: list[NoteSpec], links: list[dict],
                 force: set[int], force_budget: int = 0, any_note: int = 0) -> None:
        self.style = style
        self.m = metrics
        self.links = links
        self.force = set(force)
        self.force_budget = force_budget
        self.any_note = any_note
        self.force_room = 4.0 if not any_note else 8.0 * any_note
        self.specs = {spec.n: spec for spec in notes}
        self.fn = style.footnote_size
        self.fn_lh = style.footnote_size * 1.22
        self.sep = style.footnote_size * 1.7
        self.lh = style.body_size * style.line_spacing
        self.bottom = style.page_height - style.margin_bottom
        self.note_lines = {spec.n: self._note_lines(spec) for spec in notes}
        self.pages: list[PageState] = []
        self.carry: tuple[int, list[NoteLine]] | None = None
        self.continued: list[int] = []
        self.note_pages: dict[int, list[int]] = {}
        self.last_kind = ""
        self.page = self._open_page()

    # notes -------------------------------------------------------------------------------
    def _note_number(self, n: int) -> Piece:
        return Piece(str(n), "body", sup=n if self.style.footnote_number_superscript else None)

    def _note_lines(self, spec: NoteSpec) -> list[NoteLine]:
        width = self.style.text_width
        num_w = self.m.piece_width(self._note_number(spec.n), self.fn)
        space = self.m.text_width(" ", "body", self.fn)
        indent = self.style.note_indent
        if spec.glued:
            start = num_w
        elif indent > 0:
            start = max(indent, num_w + space)
        else:
            start = num_w + space
        rest = indent if indent > 0 else 0.0
        lines = break_lines(spec.units, self.m, self.fn, width - start, width - rest, hyphenate=False)
        ends = [i == len(lines) - 1 or bool(lines[i + 1] and lines[i + 1][0].force_break) for i in range(len(lines))]
        return [NoteLine(line, start if i == 0 else rest, i == 0, ends[i]) for i, line in enumerate(lines)]

    def _limit(self, note_lines: int) -> float:
        return self.bottom - (note_lines * self.fn_lh + self.sep if note_lines else 0.0)

    # pages -------------------------------------------------------------------------------
    def _open_page(self) -> PageState:
        page = PageState(len(self.pages) + 1, self.style.margin_top)
        self.pages.append(page)
        if self.carry:
            n, lines = self.carry
            page.notes.append((n, lines, True))
            page.note_line_count += len(lines)
            self.continued.append(n)
            self.carry = None
        return page

    def new_page(self) -> None:
        self._finish(self.page)
        self.page = self._open_page()
        self.last_kind = ""

    def _finish(self, page: PageState) -> None:
        if not page.notes:
            return
        style = self.style
        top = self.bottom - page.note_line_count * self.fn_lh
        if style.footnote_rule:
            length = style.text_width if page.notes[0][2] else min(144.0, style.text_width / 3)
            rule_y = top - self.sep * 0.45
            page.ops.append(("l", style.margin_left, rule_y, style.margin_left + length, rule_y))
        y = top
        for n, lines, _continued in page.notes:
            self.note_pages.setdefault(n, []).append(page.number)
            for line in lines:
                baseline = y + self.fn * 0.95
                x = style.margin_left
                if line.first:
                    self._place(page, [Unit([self._note_number(n)], False)], x, baseline, self.fn, 0, False)
                self._place(page, line.units, x + line.start, baseline, self.fn,
                            style.text_width - line.start, style.justify and not line.last)
                y += self.fn_lh

    def finish(self) -> None:
        self._finish(self.page)
        if self.carry:  # the document ended inside a split note: give it a last page
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

    def _take_notes(self, page: PageState, numbers: list[int], y_after: float) -> bool:
        """Put the notes of a body line on ``page``; False when the line must go to the next page."""
        need = sum(len(self.note_lines[n]) for n in numbers)
        if not numbers:
            return y_after <= self._limit(page.note_line_count) + 0.01
        if page.frozen:
            return False
        last = numbers[-1]
        lines = self.note_lines[last]
        if y_after <= self._limit(page.note_line_count + need) + 0.01:
            split = None
            full = self._limit(page.note_line_count + need) - y_after < self.force_room * self.lh
            wanted = self.specs[last].splittable or (self.any_note and not self.specs[last].glued)
            if self.force_budget > 0 and wanted and len(lines) >= (2 if self.any_note else 3) and full:
                split = len(lines) // 2
                self.force_budget -= 1
        else:
            room = int((self.bottom - self.sep - y_after) / self.fn_lh + 1e-6) - page.note_line_count
            split = room - (need - len(lines))
            if not (len(lines) >= 2 and 1 <= split < len(lines)):
                if page.has_body:
                    return False
                split = max(1, min(split, len(lines) - 1))  # empty page: the line must go somewhere
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

    def body_line(self, units: list[Unit], x: float, width: float, justify: bool,
                  size: float | None = None, lead: list[tuple] | None = None) -> None:
        size = size or self.style.body_size
        lh = self.lh if size == self.style.body_size else size * self.style.line_spacing
        numbers = [p.sup for u in units for p in u.pieces if p.sup is not None]
        while not self._take_notes(self.page, numbers, self.page.y + lh):
            if not self.page.has_body and not numbers:
                break
            self.new_page()
        page = self.page
        baseline = page.y + lh * 0.5 + size * 0.32
        for op in lead or []:
            page.ops.append(op[:2] + (baseline,) + op[3:])
        self._place(page, units, x, baseline, size, width, justify)
        page.y += lh
        page.has_body = True

    def gap(self, amount: float) -> None:
        if self.page.has_body and self.last_kind != "heading":
            self.page.y += amount

    # blocks ------------------------------------------------------------------------------
    def title_page(self, lines: list[tuple[str, str, float]]) -> None:
        style = self.style
        y = style.page_height * 0.3
        for text, role, size in lines:
            builder = UnitBuilder(role)
            builder.text(text)
            for line in break_lines(builder.units, self.m, size, style.text_width, style.text_width, False):
                y += size * 1.3
                self._place(self.page, line, style.margin_left, y, size, style.text_width, False)
            y += size * 0.8
        self.page.has_body = True
        self.new_page()

    def heading(self, block: Block) -> None:
        style = self.style
        size = style.heading_sizes[block.level - 1] if block.level <= 3 else style.body_size
        if block.level == 1 and self.page.has_body:
            self.new_page()
        page = self.page
        lh = size * 1.3
        start = 0.0
        number_unit = None
        if block.number:
            number_unit = Unit([Piece(block.number, "bold")], False)
            start = self.m.unit_width(number_unit, size) + size * 0.8
        lines = break_lines(block.units, self.m, size, style.text_width - start, style.text_width - start, False)
        before = (size * 0.9 + style.paragraph_gap * 0.5) if page.has_body else 0.0
        needed = before + len(lines) * lh + size * 0.4 + 2 * self.lh
        if page.has_body and page.y + needed > self._limit(page.note_line_count):
            self.new_page()
            page, before = self.page, 0.0
        page.y += before
        for i, line in enumerate(lines):
            baseline = page.y + size
            if i == 0 and number_unit:
                self._place(page, [number_unit], style.margin_left, baseline, size, 0, False)
            self._place(page, line, style.margin_left + start, baseline, size, 0, False)
            page.y += lh
        page.y += size * 0.4
        page.has_body = True
        self.last_kind = "heading"

    def paragraph(self, block: Block) -> None:
        style = self.style
        self.gap(style.paragraph_gap)
        indent = style.first_line_indent if block.indent else 0.0
        lines = break_lines(block.units, self.m, style.body_size, style.text_width - indent, style.text_width,
                             style.hyphenate)
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            self.body_line(line, style.margin_left + (indent if i == 0 else 0), style.text_width - (indent if i == 0 else 0),
                           style.justify and not last)
        self.last_kind = "para"

    def hanging(self, block: Block, label: str | list[Unit], indent: float, size: float | None = None,
                gap: float = 0.0) -> None:
        """Bullet items, source entries and abbreviation rows: a label, then text with a hanging indent."""
        style = self.style
        size = size or style.body_size
        self.gap(gap)
        lines = break_lines(block.units, self.m, size, style.text_width - indent, style.text_width - indent,
                             style.hyphenate)
        label_units = label if isinstance(label, list) else [Unit([Piece(label)], False)]
        for i, line in enumerate(lines):
            lead = []
            if i == 0:
                scratch = PageState(0, 0)
                self._place(scratch, label_units, style.margin_left + (6 if label == "•" else 0), 0, size, 0, False)
                lead = [op for op in scratch.ops if op[0] == "t"]
            self.body_line(line, style.margin_left + indent, style.text_width - indent,
                           style.justify and i < len(lines) - 1, size=size, lead=lead)
        self.last_kind = block.kind

    def figure(self) -> None:
        style = self.style
        height = 110.0
        if self.page.y + height + 3 * self.lh > self._limit(self.page.note_line_count):
            self.new_page()
        self.gap(style.paragraph_gap or self.lh * 0.5)
        page, x0, y0 = self.page, style.margin_left, self.page.y
        width = min(320.0, style.text_width)
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
                self.hanging(block, block.label, 80.0)
        self.finish()
