"""Body text: lines into headings, paragraphs, lists, captions and annex lists, nested in divisions.

Every decision compares a line with the document's own measures
(:class:`toolkit.extract.pdf.LayoutStats`): a paragraph ends where the vertical gap
exceeds the usual line pitch, where the next line is indented, or where the
line stopped short although the next word would have fitted; a heading is a
short line set bold or larger than the body, numbered or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.extract.footnotes import CAPTION_START, MarkerResult
from toolkit.extract.textbuild import TextBuilder, Vocabulary
from toolkit.extract.pdf import Layout, LayoutStats, Line
from toolkit.document import (
    Bibliography,
    Block,
    Division,
    ItemList,
    ListItem,
    NoteAnchor,
    note_key,
    PageBreak,
    PageBreakBlock,
    Paragraph,
    Table,
    Text,
)

HEADING_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?=\S)")
GATHERED = {"toc": "toc", "row": "table"}  # line kind -> the block its consecutive lines make
ORDERED = re.compile(r"^\s*(\(?\d{1,2}\)|\d{1,2}\.|[a-z]\))\s+(?=\S)")
BULLET = re.compile(r"^\s*([•·▪◦●○■□➢►▶✓\uf0b7\uf0a7\uf0d8–\-*])\s+")
CAPTION = re.compile(r"^\s*(bron|bronnen|source|sources|quelle|figuur|figure|tabel|table|grafiek|abbildung)\b[\s\d.:]", re.I)
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d+\s*$|…{2,}\s*\d+\s*$")
TERMINAL = re.compile(r"[.!?:;]\s*[\"”’)]?\s*$")
SOURCES_HEAD = re.compile(r"bronnen|bronvermelding|literatuur|bibliografie|bibliography|references|sources|quellen", re.I)
ABBREVIATIONS_HEAD = re.compile(r"afkortingen|acroniemen|abbreviations|acronyms|abkürzungen", re.I)


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
    def __init__(self, layout: Layout, stats: LayoutStats, markers: MarkerResult, vocab: Vocabulary):
        self.layout = layout
        self.stats = stats
        self.markers = markers
        self.vocab = vocab
        self.page_right: dict[int, float] = {}
        self.page_left: dict[int, float] = {}

    # -- geometry -------------------------------------------------------------
    def measure_pages(self, lines: list[Line]) -> None:
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            if abs(line.size - self.stats.body_size) <= 0.15 * self.stats.body_size:
                by_page.setdefault(line.page, []).append(line)
        for page, ls in by_page.items():
            xs = sorted(round(l.x0) for l in ls)
            self.page_left[page] = float(max(set(xs), key=xs.count)) if len(ls) >= 3 else self.stats.left
            rights = sorted(l.x1 for l in ls)
            self.page_right[page] = rights[-1] if len(ls) >= 3 else self.stats.right

    @property
    def paragraph_gap(self) -> float:
        """Paragraph spacing shows as a baseline step clearly larger than the usual line pitch."""
        return self.stats.line_pitch + 0.3 * self.stats.body_size

    def left(self, line: Line) -> float:
        return self.page_left.get(line.page, self.stats.left)

    def right(self, line: Line) -> float:
        return max(self.page_right.get(line.page, self.stats.right), self.stats.right if len(self.page_right) < 2 else 0)

    # -- classification -------------------------------------------------------
    def classify(self, lines: list[Line]) -> list[LineInfo]:
        infos = []
        body = self.stats.body_size
        for line in lines:
            info = LineInfo(line)
            text = line.text
            colored = line.color is not None and line.color != self.stats.body_color
            styled = line.bold or line.size >= body * 1.12 or (colored and line.size >= body * 1.04)
            words = len(text.split())
            numbered = HEADING_NUMBER.match(text)
            if TOC_LINE.search(text) or page_reference_at_end(line, body):
                info.kind = "toc"
            elif numbered and (styled or colored or line.size >= body * 1.05) and words <= 20 and not TERMINAL.search(text.rstrip("0123456789 ")):
                # A numbered heading needs less style than an unnumbered one: its number says it.
                if text[numbered.end() :][:1].isupper():
                    info.kind = "heading"
                    info.number = numbered.group(1)
                    info.level = numbered.group(1).count(".") + 1
            elif styled and words <= 14 and not TERMINAL.search(text) and not has_column_gap(line, body) and not CAPTION_START.match(text):
                lead = BULLET.match(text) if line.size >= body * 1.12 else None
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
        self.table_rows(infos)
        # Contents lines come many to a page; a lone line ending in a number is text (a table row).
        per_page: dict[int, list[int]] = {}
        for info in infos:
            per_page.setdefault(info.line.page, [0, 0])
            per_page[info.line.page][0] += 1
            per_page[info.line.page][1] += info.kind == "toc"
        for info in infos:
            total, toc = per_page[info.line.page]
            if info.kind == "toc" and (toc < 3 or toc < 0.4 * total):
                info.kind = "text"
        return infos

    def table_rows(self, infos: list[LineInfo]) -> None:
        """Lines whose text stands in columns (wide gaps at shared x positions) are table rows.

        It takes two such lines, close together on one page, that share a column start
        besides the first; lines in between that start at one of those columns (a wrapped
        cell) belong to the table too.
        """
        em = self.stats.body_size
        k = 0
        while k < len(infos):
            starts = cell_starts(infos[k].line, em) if infos[k].kind == "text" else None
            if not starts:
                k += 1
                continue
            later_columns = list(starts[1:])  # where the cells after the first one start
            group = [k]
            j = k + 1
            while j < len(infos):
                info, prev = infos[j], infos[group[-1]].line
                line = info.line
                next_page = line.page == prev.page + 1
                if info.kind != "text" or not (next_page or line.page == prev.page and line.baseline - prev.baseline <= 2.5 * self.stats.line_pitch):
                    break
                cells = cell_starts(line, em)
                if cells and any(abs(a - b) < 0.6 * em for a in cells[1:] for b in later_columns):  # also over a page break
                    later_columns.extend(cells[1:])
                elif not cells and not next_page and any(abs(line.x0 - b) < 0.6 * em for b in later_columns):
                    pass  # a wrapped cell in a later column
                else:
                    break
                group.append(j)
                j += 1
            rows = [g for g in group if cell_starts(infos[g].line, em)]
            if len(rows) >= 2:
                for g in group:
                    infos[g].kind = "row"
                k = j
            else:
                k += 1

    def table(self, draft: BlockDraft) -> Table:
        """Cells by column; a line starting in the first column with several cells, or after a
        row gap, begins a new row, other lines continue the cells of the row above."""
        em = self.stats.body_size
        starts = sorted(x for info in draft.lines for x in (cell_starts(info.line, em) or [info.line.x0]))
        columns: list[float] = []
        for x in starts:
            if not columns or x - columns[-1] > 0.6 * em:
                columns.append(x)
        rows: list[list[list]] = []
        breaks: list[tuple[int, int]] = []
        previous: Line | None = None
        for info in draft.lines:
            line = info.line
            if previous is not None and line.page != previous.page:
                breaks.append((len(rows), line.page))  # before the next row that starts
            cells = cell_ranges(line, em)
            first_x = line.spans[cells[0].start].x0
            gap = previous is not None and line.baseline - previous.baseline > 1.15 * self.stats.line_pitch
            if not rows or (abs(first_x - columns[0]) < 0.6 * em and (len(cells) > 1 or gap)):
                rows.append([[] for _ in columns])
            for cell in cells:
                x = line.spans[cell.start].x0
                column = max(i for i, c in enumerate(columns) if c <= x + 0.6 * em) if x + 0.6 * em >= columns[0] else 0
                builder = TextBuilder(self.layout, self.vocab)
                self.add_line(builder, line, 0, cell)
                rows[-1][column] = merge_inline(rows[-1][column], builder.build())
            previous = line
        return Table(rows=rows, page_breaks=breaks)

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
            if len(text.split()) > 14 or TERMINAL.search(text) or CAPTION_START.match(text) or has_column_gap(line, self.stats.body_size):
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
        return self.right(a) - a.x1 > self.first_word_width(b) + 0.6 * self.stats.body_size

    def breaks_before(self, prev: LineInfo, cur: LineInfo, gap_limit: float) -> bool:
        """Does a new paragraph start at ``cur``?"""
        a, b = prev.line, cur.line
        size = self.stats.body_size
        if CAPTION_START.match(b.text):
            return True
        if a.page == b.page:
            if b.baseline - a.baseline > gap_limit:
                return True
        if b.x0 > self.left(b) + 0.8 * size and b.x0 > a.x0 + 0.8 * size and cur.kind == "text" and prev.kind != "bullet":
            return True  # a first-line indent (an indented block quote keeps its lines together)
        if abs(a.size - b.size) > 0.08 * size and a.page == b.page:
            return True  # the type size changes: a quote, a table or a note block begins or ends
        # The previous line stopped short although the next word would have fitted: it ended a paragraph.
        room = self.right(a) - a.x1
        fits = self.ended_short(a, b)
        if fits and TERMINAL.search(text_before_markers(a)):
            return True
        if a.page != b.page:
            return fits and room > 0.3 * (self.right(a) - self.left(a))
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
                hanging = abs(info.line.x0 - item_text_x(current.lines[0])) < 0.35 * self.stats.body_size
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
        builder = TextBuilder(self.layout, self.vocab)
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
                    builder.add_event(NoteAnchor(note_key(str(n))))
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

    def gloss_items(self, draft: BlockDraft, into: list[Block], current: ItemList | None) -> ItemList:
        """Abbreviation lines: term, a tab stop, its explanation; unsplit lines continue the last item."""
        if current is None or current.type != "gloss":
            current = ItemList(items=[], type="gloss")
            into.append(current)
        for info in draft.lines:
            line = info.line
            cut = split_columns(line, self.stats.body_size)
            if cut is None and current.items:
                builder = TextBuilder(self.layout, self.vocab)
                self.add_line(builder, line, 0)
                current.items[-1].content = merge_inline(current.items[-1].content, builder.build())
                continue
            label_builder = TextBuilder(self.layout, self.vocab)
            self.add_line(label_builder, line, 0, range(0, cut if cut is not None else len(line.spans)))
            item_builder = TextBuilder(self.layout, self.vocab)
            if cut is not None:
                self.add_line(item_builder, line, 0, range(cut, len(line.spans)))
            current.items.append(ListItem(content=item_builder.build(), label=label_builder.build()))
        return current

    def front_pages(self, lines: list[Line]) -> int:
        """Leading pages without running text (cover, title page, contents): how many."""
        body = self.stats.body_size
        count: dict[int, int] = {}
        for line in lines:
            if abs(line.size - body) <= 0.1 * body and not line.bold and not TOC_LINE.search(line.text) and len(line.text.split()) >= 4:
                count[line.page] = count.get(line.page, 0) + 1
        first_text_page = min((p for p, n in count.items() if n >= 3), default=1)
        return first_text_page - 1

    def front(self, lines: list[Line]) -> list[Block]:
        """The front matter as plain paragraphs: a title page has no sections."""
        self.measure_pages(lines)
        blocks: list[Block] = []
        page = 0
        for draft in self.drafts(self.classify(lines)):
            while page < draft.lines[0].line.page:
                page += 1
                blocks.append(PageBreakBlock(page))
            if draft.kind == "toc":
                blocks.append(self.contents(draft))
                continue
            rend = "title" if draft.kind == "heading" else None
            blocks.append(Paragraph(content=self.inline(draft.lines, page_events=False), rend=rend))
        return blocks

    def contents(self, draft: BlockDraft) -> ItemList:
        """A table of contents: one item per printed line, leaders and page numbers as printed."""
        return ItemList(items=[ListItem(content=self.inline([info], page_events=False)) for info in draft.lines], type="contents")

    def build(self, lines: list[Line], pages: int, first_page: int = 1) -> list[Block]:
        self.measure_pages(lines)
        infos = self.classify(lines)
        drafts = self.drafts(infos)
        root: list[Block] = []
        stack: list[Division] = []
        chapter_size = max(
            (d.lines[0].line.size for d in drafts if d.kind == "heading" and d.lines[0].level == 1),
            default=self.stats.body_size * 1.3,
        )
        seen_page = first_page - 1

        def container() -> list[Block]:
            return stack[-1].blocks if stack else root

        def emit_page_breaks(upto: int) -> None:
            nonlocal seen_page
            while seen_page < upto:
                seen_page += 1
                container().append(PageBreakBlock(seen_page))

        pending_list: ItemList | None = None
        styles: dict[int, tuple] = {}
        for draft in drafts:
            first = draft.lines[0]
            emit_page_breaks(first.line.page)
            if draft.kind in ("heading", "toc"):
                pending_list = None
            if draft.kind == "heading":
                number = first.number
                skip = HEADING_NUMBER.match(first.line.text).end() if number else first.bullet_skip
                head = self.inline(draft.lines, skip_first=skip, page_events=False)
                style = (round(first.line.size, 1), first.line.bold, first.line.italic)
                annex = head_text(stack[-1]) if stack else ""
                if not number and SOURCES_HEAD.search(annex) and first.line.size < self.stats.body_size * 1.12:
                    # A publisher line of the sources annex, set bold: the head of its group.
                    container().append(Paragraph(content=head))
                    continue
                if number:
                    level = first.level
                elif first.line.size >= chapter_size - 0.25 and first.line.size > self.stats.body_size * 1.12:
                    level = 1
                else:
                    same = [d for d in stack if d.n is None and styles.get(id(d)) == style and d.level > 1]
                    level = same[-1].level if same else ((stack[-1].level + 1) if stack else 1)
                kind = "chapter" if level == 1 else ("section" if number else "subsection")
                while stack and stack[-1].level >= level:
                    stack.pop()
                division = Division(kind=kind, n=number, head=head, level=level)
                styles[id(division)] = style
                container().append(division)
                stack.append(division)
                continue
            if draft.kind == "toc":
                container().append(self.contents(draft))
                seen_page = max(seen_page, draft.lines[-1].line.page)
                continue
            if draft.kind == "table" and not ABBREVIATIONS_HEAD.search(head_text(stack[-1]) if stack else ""):
                pending_list = None
                container().append(self.table(draft))
                seen_page = max(seen_page, draft.lines[-1].line.page)
                continue
            if draft.kind == "table" and len({info.line.page for info in draft.lines}) > 1:
                # Two-column gloss lines that run over a page: one list, with the page start kept.
                for info in draft.lines:
                    emit_page_breaks(info.line.page)
                    pending_list = self.gloss_items(BlockDraft("table", [info]), container(), pending_list)
                continue
            seen_page = max(seen_page, draft.lines[-1].line.page)
            if draft.kind == "bullet":
                list_type = first.list_type
                if pending_list is None or pending_list.type != list_type:
                    pending_list = ItemList(items=[], type=list_type)
                    container().append(pending_list)
                label = [Text(first.label)] if first.label else None
                pending_list.items.append(ListItem(content=self.inline(draft.lines), label=label))
                continue
            annex = head_text(stack[-1]) if stack else ""
            if ABBREVIATIONS_HEAD.search(annex):
                # The abbreviation list goes on over paragraph breaks and pages: one gloss list.
                pending_list = self.gloss_items(draft, container(), pending_list)
                continue
            pending_list = None
            if SOURCES_HEAD.search(annex) and len(draft.lines) > 1:
                # Publisher lines follow each other without a gap: each line that stops short is one.
                groups = [[draft.lines[0]]]
                for prev, info in zip(draft.lines, draft.lines[1:]):
                    if self.ended_short(prev.line, info.line):
                        groups.append([info])
                    else:
                        groups[-1].append(info)
                for group in groups:
                    container().append(Paragraph(content=self.inline(group)))
                continue
            rend = "caption" if CAPTION.match(draft.lines[0].line.text) else None
            container().append(Paragraph(content=self.inline(draft.lines), rend=rend))
        emit_page_breaks(pages)
        for division in list(iter_all(root)):
            shape_annex(division)
        return root


def cell_ranges(line: Line, em: float) -> list[range]:
    """The line's spans cut at gaps of more than one and a half ems: its table cells.

    Word gaps, even in loose justified lines, stay under an em; a table's gutter is wider.
    """
    cells: list[range] = []
    begin = None
    for i, span in enumerate(line.spans):
        wide = span.flags == -1 and span.width > 1.5 * em
        if not wide and i > 0 and begin is not None and span.x0 - line.spans[i - 1].x1 > 1.5 * em:
            cells.append(range(begin, i))
            begin = None
        if wide:
            if begin is not None:
                cells.append(range(begin, i))
            begin = None
        elif begin is None and span.text.strip():
            begin = i
    if begin is not None:
        cells.append(range(begin, len(line.spans)))
    return cells or [range(0, len(line.spans))]


def cell_starts(line: Line, em: float) -> list[float] | None:
    """x of each cell when the line has at least two, else None."""
    cells = cell_ranges(line, em)
    if len(cells) < 2:
        return None
    return [line.spans[c.start].x0 for c in cells]


def text_before_markers(line: Line) -> str:
    """The line's text without the superscript markers it ends with: "woonplaats.²³" ends a sentence."""
    spans = list(line.spans)
    while spans and (spans[-1].superscript or not spans[-1].text.strip() and spans[-1].size < 0.8 * line.size or spans[-1].flags == -1):
        spans.pop()
    return "".join(s.text for s in spans)


def has_column_gap(line: Line, body_size: float) -> bool:
    """Text, a gap of several ems, more text: a table row or a tab-separated line, not a heading."""
    spans = line.spans
    for i in range(1, len(spans) - 1):
        if spans[i].flags == -1 and spans[i].width > 2 * body_size and spans[i - 1].text.strip() and spans[i + 1].text.strip():
            if i > 1 or not HEADING_NUMBER.match(line.text):
                return True
    return False


def tab_after_label(line: Line) -> bool:
    """"1." followed by a tab stop (its own span, then a gap): an ordered list label, not a sentence."""
    return len(line.spans) > 2 and line.spans[1].flags == -1 and line.spans[1].width > 0.8 * line.size


def page_reference_at_end(line: Line, body_size: float) -> bool:
    """A contents line: a title, a wide tab gap, then a page number at the right."""
    spans = [s for s in line.spans if s.text.strip() or s.flags == -1]
    if len(spans) < 3 or not spans[-1].text.strip().isdigit():
        return False
    gap = spans[-2]
    return gap.flags == -1 and gap.width > 3 * body_size and not gap.superscript


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


def split_columns(line: Line, body_size: float) -> int | None:
    """Index of the first span after a wide gap (a tab stop between term and explanation)."""
    best, best_gap = None, 1.5 * body_size
    for i in range(1, len(line.spans)):
        span = line.spans[i]
        if span.flags == -1 and span.width > best_gap and i + 1 < len(line.spans):
            best, best_gap = i + 1, span.width  # the space put in for the gap
        else:
            gap = span.x0 - line.spans[i - 1].x1
            if gap > best_gap:
                best, best_gap = i, gap
    return best


def iter_all(blocks):
    for b in blocks:
        if isinstance(b, Division):
            yield b
            yield from iter_all(b.blocks)


def same_heading(prev: LineInfo, cur: LineInfo, stats: LayoutStats) -> bool:
    """A heading that wraps: same style, close below, the second line unnumbered."""
    a, b = prev.line, cur.line
    return (
        cur.number is None
        and a.page == b.page
        and abs(a.size - b.size) < 0.3
        and a.bold == b.bold
        and 0 < b.baseline - a.baseline <= 1.35 * max(a.size, stats.body_size) * stats.line_pitch / stats.body_size
    )


def merge_inline(first: list, second: list) -> list:
    if first and second and isinstance(first[-1], Text) and isinstance(second[0], Text):
        return first[:-1] + [Text(first[-1].text + " " + second[0].text)] + second[1:]
    return first + ([Text(" ")] if first and second else []) + second


def head_text(division: Division) -> str:
    return "".join(n.text for n in division.head if isinstance(n, Text))


def shape_annex(division: Division) -> None:
    """Sources annex → Bibliography blocks grouped by publisher; abbreviation list → gloss list."""
    title = head_text(division)
    if not SOURCES_HEAD.search(title):
        return
    new: list[Block] = []
    group: Bibliography | None = None
    blocks = division.blocks
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.rend is None and next_is_list(blocks, i + 1):
            group = Bibliography(head=block.content, entries=[])
            new.append(group)
        elif isinstance(block, ItemList) and block.type == "bulleted":
            if group is None:
                group = Bibliography(head=None, entries=[])
                new.append(group)
            group.entries.extend(block.items)
        else:
            new.append(block)
            if not isinstance(block, PageBreakBlock):
                group = None
    division.blocks = new


def next_is_list(blocks: list[Block], start: int) -> bool:
    for block in blocks[start:]:
        if isinstance(block, PageBreakBlock):
            continue
        return isinstance(block, ItemList) and block.type == "bulleted"
    return False
