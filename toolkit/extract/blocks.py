"""Body text: lines into headings, paragraphs, lists, captions and annex lists, nested in divisions.

Every decision compares a line with the document's own measures
(:class:`toolkit.extract.pdf.LayoutStats`): a paragraph ends where the vertical gap
exceeds the usual line pitch, where the next line is indented, or where the
line stopped short although the next word would have fitted; a heading is a
short line set bold or larger than the body, numbered or not.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from toolkit.extract.annex import mark_gloss_lines
from toolkit.extract.footnotes import CAPTION_START
from toolkit.extract.headings import DECIMAL_NUMBER, HeadingNumber, HeadingStyle, caps_kind, display_size, heading_number, match_outline
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

HEADING_NUMBER = DECIMAL_NUMBER
GATHERED = {"toc": "toc", "row": "table", "gloss": "gloss"}  # line kind -> the block its consecutive lines make
ORDERED = re.compile(r"^\s*(\(?\d{1,2}\)|\d{1,2}\.|[a-z]\))\s+(?=\S)")
BULLET = re.compile(r"^\s*([•·▪◦●○■□➢►▶✓\uf0b7\uf0a7\uf0d8–\-*])\s+")
CAPTION = re.compile(r"^\s*(bron|bronnen|source|sources|quelle|figuur|figure|tabel|table|grafiek|abbildung)\b[\s\d.:]", re.I)
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$")
# A contents line ends in its page number (arabic, or roman for the front matter).
PAGE_NUMBER_END = re.compile(r"(?<![\w.,])(\d{1,4}|[ivxlc]{1,7})\s*$")
LEADERS_END = re.compile(r"(?:\.\s?){4,}\s*$|…{2,}\s*$|_{4,}\s*$")
CONTENTS_HEAD = re.compile(
    r"^\s*(?:inhoud|inhoudsopgave|inhoudsoverzicht|contents|table of contents|inhalt|inhaltsverzeichnis|sommaire|"
    r"содержание|оглавление)\s*$",
    re.I,
)
TERMINAL = re.compile(r"[.!?:;]\s*[\"”’)]?\s*$")
LETTER_RUN = re.compile(r"[^\W\d_]+")
INITIAL = re.compile(r"[^\W\d_]\.")
# A numbered heading may end in a question mark ("3. A Better Way?"), never in a full stop or colon.
HEADING_STOP = re.compile(r"[.!:;]\s*[\"”’)]?\s*$")


@dataclass
class LineInfo:
    line: Line
    kind: str = "text"  # text | heading | bullet | toc | row | gloss
    number: str | None = None  # a heading's number as printed: "1.2", "II", "A"
    numbering: HeadingNumber | None = None
    outline_level: int | None = None  # the level of the bookmark that names this heading
    style: HeadingStyle | None = None
    weak: str | None = None  # weak heading evidence to be confirmed by the line's neighbours
    bullet_skip: int = 0  # characters of the bullet (or "1)") and its gap at the line start
    list_type: str = "bulleted"
    label: str | None = None  # "1)", "a)" for ordered lists
    toc_head: bool = False  # "Inhoud" over a contents list
    term_end: int | None = None  # a gloss line: the first span after its bold term


@dataclass
class BlockDraft:
    kind: str  # paragraph | heading | bullet
    lines: list[LineInfo] = field(default_factory=list)


class BodyBuilder:
    def __init__(self, stats: LayoutStats, markers: MarkerLinks, vocab: Vocabulary,
                 outline: list[tuple[int, str, int]] | None = None, page_count: int = 0):
        self.stats = stats
        self.markers = markers
        self.vocab = vocab
        self.outline = outline or []  # the PDF's bookmarks: (level, title, page)
        self.page_count = page_count
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
        bookmarked = match_outline(lines, self.outline) if self.outline else {}
        infos = [self.classify_line(line, bookmarked.get((line.page, line.index))) for line in lines]
        self.numbered_runs(infos)
        self.standalone_headings(infos)
        self.dashes_in_running_text(infos)
        mark_contents(self, infos)  # before tables: a contents line with a tab is no table row
        mark_table_rows(infos, self.stats)
        mark_gloss_lines(self, infos)
        return infos

    def numbered_runs(self, infos: list[LineInfo]) -> None:
        """Lines that open with "1.", "2.", "3." ... one after the other, at one indent and in
        one size, with only their own wrapped lines between them: an ordered list, even
        where no tab follows the numbers (a single "2. Titel" stays text)."""
        found: list[tuple[int, int]] = []  # (position, number) of lines that open with "N."
        for k, info in enumerate(infos):
            if info.kind in ("text", "bullet") and (o := ORDERED.match(info.line.text)) and o.group(1).endswith("."):
                found.append((k, int(o.group(1)[:-1])))
        tolerance = RULES.item_align * self.stats.body_size
        for (a, n), (b, m) in zip(found, found[1:]):
            first, second = infos[a].line, infos[b].line
            if m != n + 1 or not same_size(first.size, second.size) or abs(first.x0 - second.x0) > tolerance:
                continue
            between = infos[a + 1 : b]
            if any(i.kind != "text" or i.line.x0 < first.x0 - tolerance for i in between):
                continue
            if len(between) >= RULES.item_max_lines:
                continue  # items of a list wrap over a few lines, not a page of text
            for k in (a, b):
                info = infos[k]
                o = ORDERED.match(info.line.text)
                info.kind, info.list_type, info.label, info.bullet_skip, info.weak = "bullet", "ordered", o.group(1), o.end(), None

    def classify_line(self, line: Line, outline_level: int | None) -> LineInfo:
        info = LineInfo(line)
        text = line.text
        body = self.stats.body_size
        size = display_size(line)
        colored = line.color is not None and line.color != self.stats.body_color
        larger = size > body * (1 + RULES.same_size)
        much_larger = size >= body * (1 + RULES.heading_larger)
        caps = caps_kind(line)
        styled = line.bold or much_larger or (colored and larger) or caps == "small"
        words = len(text.split())
        number = heading_number(text)
        info.style = HeadingStyle.of(line, self.stats)
        unended = not HEADING_STOP.search(text_before_markers(line).rstrip("0123456789 "))
        if TOC_LINE.search(text) or page_reference_at_end(line, body):
            info.kind = "toc"
        elif number and words <= RULES.numbered_heading_max_words and unended and heading_words(text[number.end :]):
            # A numbered heading needs less style than an unnumbered one: its number says it.
            # A decimal number with any distinction of type is enough; a letter or a roman
            # numeral ("A. Jansen schreef") needs real style or a line of its own (see
            # standalone_headings).
            strong = styled or (number.scheme == "decimal" and (colored or larger))
            if number.scheme == "lower" and not styled:
                strong = False
            if strong or outline_level is not None:
                self.make_heading(info, number, outline_level)
            elif number.scheme != "lower":
                # Confirmed by the line's neighbours; a plain "2. Titel" must stand quite alone.
                info.weak = "numbered" if (line.italic or caps or self.centered(line) or number.scheme == "roman") else "isolated"
        elif outline_level is not None and words <= RULES.numbered_heading_max_words and not has_column_gap(line, body):
            self.make_heading(info, None, outline_level)
        elif styled and words <= RULES.heading_max_words and not TERMINAL.search(text) and not has_column_gap(line, body) and not CAPTION_START.match(text):
            lead = BULLET.match(text) if much_larger else None
            if lead and text[lead.end() :][:1].isalpha():
                # "• Inleiding": a word processor's heading numbering printed as a bullet.
                info.kind = "heading"
                info.bullet_skip = lead.end()
            elif text.strip()[:1].isalpha() and heading_words(text, first_upper=False):
                info.kind = "heading"
        elif caps and words <= RULES.heading_max_words and not TERMINAL.search(text_before_markers(line)) and not has_column_gap(line, body) and heading_words(text):
            info.weak = "caps"
        first = line.spans[0].text if line.spans else ""
        if info.kind == "text" and (b := BULLET.match(first)):
            if not (first.strip() in "-–*" and len(text.split()) < 2):
                info.kind = "bullet"
                info.bullet_skip = b.end()
                info.weak = None
        elif info.kind == "text" and line.spans and first.strip() in {"•", "·", "▪", "◦", "●", "\uf0b7", "\uf0a7", "–", "-"} and len(line.spans) > 1:
            info.kind = "bullet"
            info.bullet_skip = len(first)
            info.weak = None
        elif info.kind == "text" and not styled and (o := ORDERED.match(text)) and (o.group(1).endswith(")") or tab_after_label(line)):
            info.kind = "bullet"
            info.list_type = "ordered"
            info.label = o.group(1)
            info.bullet_skip = o.end()
            info.weak = None
        return info

    @staticmethod
    def make_heading(info: LineInfo, number: HeadingNumber | None, outline_level: int | None) -> None:
        info.kind = "heading"
        info.numbering = number
        info.number = number.printed if number else None
        info.outline_level = outline_level

    def centered(self, line: Line) -> bool:
        """Set in the middle of the column, clearly away from both its edges (not an indented block)."""
        left, right = self.left(line), self.right(line)
        body = self.stats.body_size
        middle = abs((line.x0 + line.x1) / 2 - (left + right) / 2) <= RULES.centre_slack * body
        return middle and min(line.x0 - left, right - line.x1) >= RULES.centre_margin * body

    def standalone_headings(self, infos: list[LineInfo]) -> None:
        """Short lines with weak heading evidence that stand on their own are headings.

        Italic, capitals (small caps are strong evidence already), or a letter or roman
        number on a centred or italic line: each is common in running text too, so the
        line must also stand alone: the text before it has ended (a gap, a heading, a line
        that stopped short after a full stop), and it stops short although the next line's
        first word would have fitted. Italic takes upright text after it.
        """
        gap_limit = self.paragraph_gap
        k = 0
        while k < len(infos):
            info = infos[k]
            kind = "italic" if info.kind == "text" and info.weak is None and self.italic_candidate(info.line) else info.weak
            if info.kind != "text" or kind is None or k + 1 >= len(infos):
                k += 1
                continue
            # A heading in capitals may wrap: the run of such lines set alike is one heading.
            run = [k]
            while (
                kind == "caps" and run[-1] + 1 < len(infos) and len(run) < RULES.heading_max_lines
                and infos[run[-1] + 1].weak == "caps" and same_heading(infos[run[-1]], infos[run[-1] + 1], self.stats)
            ):
                run.append(run[-1] + 1)
            first, last = infos[run[0]].line, infos[run[-1]].line
            if run[-1] + 1 >= len(infos):
                k = run[-1] + 1
                continue
            nxt = infos[run[-1] + 1].line
            prev = infos[k - 1] if k else None
            ended = (
                prev is None
                or prev.kind == "heading"
                or prev.line.page != first.page
                or first.baseline - prev.line.baseline > gap_limit
                or (self.ended_short(prev.line, first) and TERMINAL.search(text_before_markers(prev.line)))
            )
            number = heading_number(first.text)
            new_block = self.starts_block(last, nxt) and not (number and self.hangs(first, number, nxt))
            stops = self.ended_short(last, nxt) or self.centered(last) or new_block or (nxt.page != last.page and kind != "italic")
            if kind == "italic":
                fits = not nxt.italic and nxt.page == last.page and not (prev and prev.line.italic)
            elif kind == "isolated":
                # Not one item of a numbered list: a new paragraph follows, not the next number.
                fits = new_block and heading_number(nxt.text) is None
            else:
                fits = True
            if ended and stops and fits:
                for index in run:
                    infos[index].kind = "heading"
                    number = heading_number(infos[index].line.text) if index == run[0] else None
                    infos[index].numbering = number
                    infos[index].number = number.printed if number else None
            k = run[-1] + 1

    def starts_block(self, line: Line, nxt: Line) -> bool:
        """Does ``nxt`` start a new paragraph after ``line``: a gap, or a first-line indent
        before a new sentence?"""
        body = self.stats.body_size
        if nxt.page != line.page:
            return False
        if nxt.baseline - line.baseline > self.paragraph_gap:
            return True
        opening = nxt.text.lstrip(" “‘\"'(«„")[:1]
        return nxt.x0 > self.left(nxt) + RULES.indent * body and not self.centered(nxt) and (opening.isupper() or opening.isdigit())

    def hangs(self, line: Line, number: HeadingNumber, nxt: Line) -> bool:
        """Is ``nxt`` aligned with the text after ``line``'s number: the item of a numbered list, wrapped?"""
        info = LineInfo(line, bullet_skip=number.end)
        return abs(nxt.x0 - item_text_x(info)) < RULES.item_align * self.stats.body_size

    def italic_candidate(self, line: Line) -> bool:
        """A short italic line that could be an unnumbered sub-heading (see standalone_headings)."""
        text = line.text
        if not line.italic or line.bold or not heading_words(text, first_upper=False):
            return False
        return not (
            len(text.split()) > RULES.heading_max_words or TERMINAL.search(text) or CAPTION_START.match(text)
            or has_column_gap(line, self.stats.body_size)
        )

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
                line = info.line
                # Aligned with the item's text, measured from each line's own column (an item
                # may go on in the next column).
                first = current.lines[0]
                indent = item_text_x(first) - self.edge(first.line)
                hanging = abs(line.x0 - self.edge(line) - indent) < RULES.item_align * self.stats.body_size
                close = line.page != prev.page or line.baseline - prev.baseline <= gap_limit
                # An item typed without a hanging indent wraps to where its bullet stands: a
                # line that ran full goes on in the next one. A line that starts left of the
                # bullet is the text after the list.
                tolerance = RULES.item_align * self.stats.body_size
                runs_on = (
                    info.kind == "text" and same_size(prev.size, line.size) and not self.ended_short(prev, line)
                    and line.x0 >= self.left(line) - tolerance
                    and line.x0 - self.edge(line) >= first.line.x0 - self.edge(first.line) - tolerance
                )
                if close and (hanging or runs_on):
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


def page_number_after_gap(line: Line, body_size: float) -> int | None:
    """A line ending in a page number after a tab or leaders: the number (0 for a roman one)."""
    text = line.text.rstrip()
    m = PAGE_NUMBER_END.search(text)
    if m is None or not any(c.isalpha() for c in text[: m.start()]):
        return None
    before = text[: m.start()]
    if LEADERS_END.search(before):
        return int(m.group(1)) if m.group(1).isdigit() else 0
    # The number is a span of its own, after a gap wider than a word space.
    spans = [s for s in line.spans if s.text.strip() or s.flags == -1]
    number = next((i for i in range(len(spans) - 1, -1, -1) if spans[i].text.strip()), None)
    if number is None or number == 0 or spans[number].text.strip() != m.group(1):
        return None
    previous = spans[number - 1]
    gap = previous.width if previous.flags == -1 else spans[number].x0 - previous.x1
    if gap <= RULES.tab_gap * body_size:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else 0


def mark_contents(builder: "BodyBuilder", infos: list[LineInfo]) -> None:
    """Contents pages: many lines in a row that end in a page number after leaders or a tab.

    Lines with leaders are contents lines outright; a line that ends in a number after a
    tab is one only where several such lines share their right edge (the page numbers are
    set flush right) and the numbers do not go down. At least ``toc_min_lines`` of them in
    a row make a contents list; the lines between them (an entry that wraps, a part title
    without a page) and the first line of an entry wrapped from above belong to it, and the
    "Inhoud" line over it is its head. Fewer are text (a lone line ending in a number is a
    table row or a sentence).
    """
    body = builder.stats.body_size
    by_page: dict[int, list[int]] = {}
    for k, info in enumerate(infos):
        by_page.setdefault(info.line.page, []).append(k)
    for members in by_page.values():
        strong = {k for k in members if infos[k].kind == "toc"}
        weak: dict[int, int] = {}
        for k in members:
            if k in strong or infos[k].kind not in ("text", "heading"):
                continue
            number = page_number_after_gap(infos[k].line, body)
            if number is not None and (not builder.page_count or number <= builder.page_count):
                weak[k] = number
        edges = [infos[k].line.x1 for k in weak]
        accepted = set(strong)
        for k in weak:
            x1 = infos[k].line.x1
            if sum(1 for e in edges if abs(e - x1) <= RULES.column_align * body) >= RULES.toc_min_lines:
                accepted.add(k)
        last = 0
        for k in sorted(accepted):  # page numbers in a contents list do not go down
            if weak.get(k) and weak[k] < last:
                accepted.discard(k)
            elif weak.get(k):
                last = weak[k]
        for k in strong - accepted:
            infos[k].kind = "text"
        runs: list[list[int]] = []
        for k in sorted(accepted):
            if runs and k - runs[-1][-1] <= RULES.toc_max_between + 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        for run in runs:
            if len(run) < RULES.toc_min_lines:
                for k in run:
                    infos[k].kind = "text"
                continue
            for k in range(run[0], run[-1] + 1):
                infos[k].kind = "toc"
                infos[k].weak = None
            above = run[0] - 1
            while (
                above >= members[0] and run[0] - above <= RULES.toc_max_between
                and not CONTENTS_HEAD.match(plain_line(infos[above].line))
                and closely_above(builder, infos[above].line, infos[above + 1].line) and entry_like(infos[above].line)
            ):
                infos[above].kind = "toc"  # the first line of an entry that wraps
                infos[above].weak = None
                above -= 1
            if above >= members[0] and CONTENTS_HEAD.match(plain_line(infos[above].line)):
                infos[above].kind = "toc"
                infos[above].toc_head = True


def heading_words(text: str, first_upper: bool = True) -> bool:
    """Text that can be a heading: it starts with a word (in capitals, after a number), not
    with an initial ("B." of "O. B. d. A."), and it is no formula ("M⊆A", "v=(1-π)D")."""
    words = text.split()
    if not words:
        return False
    first = words[0].lstrip("“‘\"'(«„")
    if not first[:1].isalpha() or (first_upper and not first[0].isupper()) or INITIAL.fullmatch(first):
        return False
    if not any(len(run) >= RULES.heading_min_letters for run in LETTER_RUN.findall(text)):
        return False
    return not any(unicodedata.category(c) == "Sm" and c not in "+-" for c in text)


def closely_above(builder: "BodyBuilder", a: Line, b: Line) -> bool:
    return a.page == b.page and b.baseline - a.baseline <= builder.paragraph_gap


def entry_like(line: Line) -> bool:
    """The first line of a contents entry that wraps: short, and no sentence."""
    text = line.text.strip()
    return bool(text) and len(text.split()) <= RULES.numbered_heading_max_words and not TERMINAL.search(text)


def plain_line(line: Line) -> str:
    return "".join(s.text for s in line.spans if not s.superscript)


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
