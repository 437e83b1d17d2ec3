"""Body text: lines into headings, paragraphs, lists, captions and annex lists, nested in divisions.

Every decision compares a line with the document's own measures
(:class:`toolkit.extract.pdf.LayoutStats`): a paragraph ends where the vertical gap
exceeds the usual line pitch, where the next line is indented, or where the
line stopped short although the next word would have fitted; a heading is a
short line set bold or larger than the body, numbered or not.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from toolkit.extract.footnotes import CAPTION_START
from toolkit.extract.markers import MarkerLinks
from toolkit.extract.textbuild import TextBuilder, Vocabulary
from toolkit.extract.layout import Line
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats, same_size
from toolkit.extract.tables import mark_table_rows
from toolkit.document import (
    NoteAnchor,
    PageBreak,
)

HEADING_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?=\S)")
GATHERED = {"toc": "toc", "row": "table"}  # line kind -> the block its consecutive lines make
ORDERED = re.compile(r"^\s*(\(?\d{1,2}\)|\d{1,2}\.|[a-z]\))\s+(?=\S)")
BULLET = re.compile(r"^\s*([•·▪◦●○■□➢►▶✓\uf0b7\uf0a7\uf0d8–\-*])\s+")
CAPTION = re.compile(r"^\s*(bron|bronnen|source|sources|quelle|figuur|figure|tabel|table|grafiek|abbildung)\b[\s\d.:]", re.I)
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$")
TERMINAL = re.compile(r"[.!?:;]\s*[\"”’)]?\s*$")


@dataclass
class LineInfo:
    line: Line
    kind: str = "text"  # text | heading | bullet | toc
    number: str | None = None
    level: int = 0
    bullet_skip: int = 0  # characters of the bullet (or "1)") and its gap at the line start
    list_type: str = "bulleted"
    label: str | None = None  # "1)", "a)" for ordered lists


@dataclass
class BlockDraft:
    kind: str  # paragraph | heading | bullet
    lines: list[LineInfo] = field(default_factory=list)


class BodyBuilder:
    def __init__(self, stats: LayoutStats, markers: MarkerLinks, vocab: Vocabulary):
        self.stats = stats
        self.markers = markers
        self.vocab = vocab
        self.page_right: dict[tuple[int, int], float] = {}  # by (page, column)
        self.page_left: dict[tuple[int, int], float] = {}  # where most lines start
        self.page_edge: dict[tuple[int, int], float] = {}  # where the leftmost line starts

    # -- geometry -------------------------------------------------------------
    def measure_pages(self, lines: list[Line]) -> None:
        """Each page's own text column (each column's, on a page set in columns): margins move
        between odd and even pages."""
        by_column: dict[tuple[int, int], list[Line]] = {}
        for line in lines:
            if same_size(line.size, self.stats.body_size):
                by_column.setdefault((line.page, line.column), []).append(line)
        step = RULES.edge_step * self.stats.body_size
        for key, ls in by_column.items():
            if len(ls) < RULES.page_measure_lines:
                continue
            edges = Counter(round(l.x0 / step) for l in ls)
            most = max(edges.values())
            self.page_left[key] = min(l.x0 for l in ls if edges[round(l.x0 / step)] == most)
            self.page_right[key] = max(l.x1 for l in ls)
            self.page_edge[key] = min(l.x0 for l in ls)

    @property
    def paragraph_gap(self) -> float:
        """Paragraph spacing shows as a baseline step clearly larger than the usual line pitch."""
        return self.stats.line_pitch + RULES.paragraph_gap * self.stats.body_size

    def left(self, line: Line) -> float:
        return self.page_left.get((line.page, line.column), self.stats.left)

    def edge(self, line: Line) -> float:
        """The left edge of the line's column on its page."""
        return self.page_edge.get((line.page, line.column), self.left(line))

    def right(self, line: Line) -> float:
        measured = self.page_right.get((line.page, line.column))
        if measured is None:
            return self.stats.right
        return measured if len(self.page_right) >= 2 else max(measured, self.stats.right)

    # -- classification -------------------------------------------------------
    def classify(self, lines: list[Line]) -> list[LineInfo]:
        infos = []
        body = self.stats.body_size
        for line in lines:
            info = LineInfo(line)
            text = line.text
            colored = line.color is not None and line.color != self.stats.body_color
            larger = line.size > body * (1 + RULES.same_size)
            styled = line.bold or line.size >= body * (1 + RULES.heading_larger) or (colored and larger)
            words = len(text.split())
            numbered = HEADING_NUMBER.match(text)
            if TOC_LINE.search(text) or page_reference_at_end(line, body):
                info.kind = "toc"
            elif numbered and (styled or colored or larger) and words <= RULES.numbered_heading_max_words and not TERMINAL.search(text.rstrip("0123456789 ")):
                # A numbered heading needs less style than an unnumbered one: its number says it.
                if text[numbered.end() :][:1].isupper():
                    info.kind = "heading"
                    info.number = numbered.group(1)
                    info.level = numbered.group(1).count(".") + 1
            elif styled and words <= RULES.heading_max_words and not TERMINAL.search(text) and not has_column_gap(line, body) and not CAPTION_START.match(text):
                lead = BULLET.match(text) if line.size >= body * (1 + RULES.heading_larger) else None
                if lead and text[lead.end() :][:1].isalpha():
                    # "• Inleiding": a word processor's heading numbering printed as a bullet.
                    info.kind = "heading"
                    info.bullet_skip = lead.end()
                elif text.strip()[:1].isalpha():
                    info.kind = "heading"
            first = line.spans[0].text if line.spans else ""
            if info.kind == "text" and (b := BULLET.match(first)):
                if not (first.strip() in "-–*" and len(text.split()) < 2):
                    info.kind = "bullet"
                    info.bullet_skip = b.end()
            elif info.kind == "text" and line.spans and first.strip() in {"•", "·", "▪", "◦", "●", "\uf0b7", "\uf0a7", "–", "-"} and len(line.spans) > 1:
                info.kind = "bullet"
                info.bullet_skip = len(first)
            elif info.kind == "text" and not styled and (o := ORDERED.match(text)) and (o.group(1).endswith(")") or tab_after_label(line)):
                info.kind = "bullet"
                info.list_type = "ordered"
                info.label = o.group(1)
                info.bullet_skip = o.end()
            infos.append(info)
        self.italic_headings(infos)
        self.dashes_in_running_text(infos)
        mark_table_rows(infos, self.stats)
        # Contents lines come many to a page; a lone line ending in a number is text (a table row).
        per_page: dict[int, list[int]] = {}
        for info in infos:
            per_page.setdefault(info.line.page, [0, 0])
            per_page[info.line.page][0] += 1
            per_page[info.line.page][1] += info.kind == "toc"
        for info in infos:
            total, toc = per_page[info.line.page]
            if info.kind == "toc" and (toc < RULES.toc_min_lines or toc < RULES.toc_share * total):
                info.kind = "text"
        return infos

    def dashes_in_running_text(self, infos: list[LineInfo]) -> None:
        """A line that starts with a dash is a list item only if the line before it ended.

        "… dit beleid" + "– en worden dus …": the previous line was full, so the dash is the
        sentence's own, wrapped to the start of the line.
        """
        gap_limit = self.paragraph_gap
        for k in range(1, len(infos)):
            info, prev = infos[k], infos[k - 1]
            line = info.line
            if info.kind != "bullet" or info.list_type != "bulleted" or line.text.lstrip()[:1] not in "–-":
                continue
            a = prev.line
            close = a.page == line.page and line.baseline - a.baseline <= gap_limit
            if close and not self.ended_short(a, line) and not TERMINAL.search(text_before_markers(a)):
                info.kind = "text"
                info.bullet_skip = 0

    def italic_headings(self, infos: list[LineInfo]) -> None:
        """A short italic line standing alone between upright paragraphs is an unnumbered sub-heading.

        Italic is weaker evidence than bold, so it takes more: the line stops short although the
        next line's first word would have fitted, the previous paragraph has ended (a gap, or a
        line that stopped short), and upright text follows.
        """
        gap_limit = self.paragraph_gap
        for k, info in enumerate(infos):
            line = info.line
            if info.kind != "text" or not line.italic or line.bold or k + 1 >= len(infos):
                continue
            text = line.text
            nxt = infos[k + 1].line
            if len(text.split()) > RULES.heading_max_words or TERMINAL.search(text) or CAPTION_START.match(text) or has_column_gap(line, self.stats.body_size):
                continue
            if nxt.italic or nxt.page != line.page or not self.ended_short(line, nxt):
                continue
            prev = infos[k - 1] if k else None
            ended = (
                prev is None
                or prev.kind == "heading"
                or prev.line.page != line.page
                or line.baseline - prev.line.baseline > gap_limit
                or (self.ended_short(prev.line, line) and TERMINAL.search(text_before_markers(prev.line)))
            )
            if ended and not (prev and prev.line.italic):
                info.kind = "heading"

    def first_word_width(self, line: Line) -> float:
        for span in line.spans:
            if span.text.strip() and not span.superscript:
                word = span.text.split()[0]
                return span.width * len(word) / max(len(span.text), 1)
        return 0.0

    def ended_short(self, a: Line, b: Line) -> bool:
        """Would the first word of ``b`` have fitted at the end of ``a``? Then ``a`` ended its paragraph."""
        return self.right(a) - a.x1 > self.first_word_width(b) + RULES.short_line * self.stats.body_size

    def breaks_before(self, prev: LineInfo, cur: LineInfo, gap_limit: float) -> bool:
        """Does a new paragraph start at ``cur``?"""
        a, b = prev.line, cur.line
        size = self.stats.body_size
        if CAPTION_START.match(b.text):
            return True
        if a.page == b.page:
            if b.baseline - a.baseline > gap_limit:
                return True
        if b.x0 > self.left(b) + RULES.indent * size and b.x0 > a.x0 + RULES.indent * size and cur.kind == "text" and prev.kind != "bullet":
            return True  # a first-line indent (an indented block quote keeps its lines together)
        if not same_size(a.size, b.size) and a.page == b.page:
            return True  # the type size changes: a quote, a table or a note block begins or ends
        # The previous line stopped short although the next word would have fitted: it ended a paragraph.
        room = self.right(a) - a.x1
        fits = self.ended_short(a, b)
        if fits and TERMINAL.search(text_before_markers(a)):
            return True
        if a.page != b.page:
            return fits and room > RULES.page_end_room * (self.right(a) - self.left(a))
        return False

    # -- assembly -------------------------------------------------------------
    def drafts(self, infos: list[LineInfo]) -> list[BlockDraft]:
        out: list[BlockDraft] = []
        gap_limit = self.paragraph_gap
        current: BlockDraft | None = None
        for info in infos:
            if info.kind in GATHERED:  # consecutive contents lines, table rows: one block
                kind = GATHERED[info.kind]
                if current is None or current.kind != kind:
                    current = BlockDraft(kind, [])
                    out.append(current)
                current.lines.append(info)
                continue
            if info.kind == "heading":
                if current and current.kind == "heading" and same_heading(current.lines[-1], info, self.stats):
                    current.lines.append(info)
                    continue
                current = BlockDraft("heading", [info])
                out.append(current)
                continue
            if info.kind == "bullet":
                current = BlockDraft("bullet", [info])
                out.append(current)
                continue
            if current is not None and current.kind == "bullet":
                prev = current.lines[-1].line
                # Aligned with the item's text, measured from each line's own column (an item
                # may go on in the next column).
                first = current.lines[0]
                indent = item_text_x(first) - self.edge(first.line)
                hanging = abs(info.line.x0 - self.edge(info.line) - indent) < RULES.item_align * self.stats.body_size
                close = info.line.page != prev.page or info.line.baseline - prev.baseline <= gap_limit
                if hanging and close:
                    current.lines.append(info)
                    continue
            if current is not None and current.kind == "paragraph" and not self.breaks_before(current.lines[-1], info, gap_limit):
                current.lines.append(info)
                continue
            current = BlockDraft("paragraph", [info])
            out.append(current)
        return out

    def inline(self, infos: list[LineInfo], skip_first: int = 0, page_events: bool = True) -> list:
        builder = TextBuilder(self.vocab)
        page = infos[0].line.page
        for k, info in enumerate(infos):
            line = info.line
            if page_events and line.page != page:
                builder.add_event(PageBreak(line.page))
            page = line.page
            skip = skip_first if k == 0 else 0
            skip = info.bullet_skip if info.kind == "bullet" else skip
            self.add_line(builder, line, skip)
        return builder.build()

    def add_line(self, builder: TextBuilder, line: Line, skip: int, spans: range | None = None) -> None:
        first_text = ""
        started = False
        prev_span = None
        remaining = skip
        for si in spans if spans is not None else range(len(line.spans)):
            span = line.spans[si]
            key = (line.page, line.index, si)
            if key in self.markers.anchors:
                for n in self.markers.anchors[key]:
                    builder.add_event(NoteAnchor(n))
                prev_span = span
                continue
            text = span.text
            local_skip = 0
            if remaining:
                take = min(remaining, len(text))
                local_skip = take
                remaining -= take
                if local_skip >= len(text):
                    continue
            if not started:
                first_text = text[local_skip:]
                builder.begin_line(line, first_text)
                started = True
            elif prev_span is not None:
                builder.separate(prev_span, span)
            begin = builder.length
            builder.add_span(line, si, span, text=text[local_skip:] if local_skip else None, skip=local_skip)
            if span.superscript and builder.length > begin:
                builder.superscripts.append((begin, builder.length))
            prev_span = span

    def text_builder(self) -> TextBuilder:
        return TextBuilder(self.vocab)


def text_before_markers(line: Line) -> str:
    """The line's text without the superscript markers it ends with: "woonplaats.²³" ends a sentence."""
    spans = list(line.spans)
    while spans and (spans[-1].superscript or not spans[-1].text.strip() and spans[-1].size < RULES.marker_small * line.size or spans[-1].flags == -1):
        spans.pop()
    return "".join(s.text for s in spans)


def tab_after_label(line: Line) -> bool:
    """"1." followed by a tab stop (its own span, then a gap): an ordered list label, not a sentence."""
    return len(line.spans) > 2 and line.spans[1].flags == -1 and line.spans[1].width > RULES.tab_gap * line.size


def page_reference_at_end(line: Line, body_size: float) -> bool:
    """A contents line: a title, a wide tab gap, then a page number at the right."""
    spans = [s for s in line.spans if s.text.strip() or s.flags == -1]
    if len(spans) < 3 or not spans[-1].text.strip().isdigit():
        return False
    gap = spans[-2]
    return gap.flags == -1 and gap.width > RULES.toc_gap * body_size and not gap.superscript


def item_text_x(info: LineInfo) -> float:
    """Where the text of a list item starts, after its bullet: continuation lines align there."""
    skipped = 0
    for span in info.line.spans:
        offset = max(info.bullet_skip - skipped, 0)
        rest = span.text[offset:]
        if rest.strip():
            offset += len(rest) - len(rest.lstrip())
            return span.x0 + span.width * offset / max(len(span.text), 1)
        skipped += len(span.text)
    return info.line.x0


def same_heading(prev: LineInfo, cur: LineInfo, stats: LayoutStats) -> bool:
    """A heading that wraps: same style, close below, the second line unnumbered."""
    a, b = prev.line, cur.line
    return (
        cur.number is None
        and a.page == b.page
        and same_size(a.size, b.size)
        and a.bold == b.bold
        and 0 < b.baseline - a.baseline <= RULES.block_pitch * max(a.size, stats.body_size) * stats.leading
    )


def has_column_gap(line: Line, body_size: float) -> bool:
    """Text, a gap of several ems, more text: a table row or a tab-separated line, not a heading."""
    spans = line.spans
    for i in range(1, len(spans) - 1):
        if spans[i].flags == -1 and spans[i].width > RULES.cell_gap * body_size and spans[i - 1].text.strip() and spans[i + 1].text.strip():
            if i > 1 or not HEADING_NUMBER.match(line.text):
                return True
    return False
