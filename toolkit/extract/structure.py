"""Structure: body blocks nested in divisions by heading level; front matter; contents; annexes.

Headings open divisions at the level :class:`~toolkit.extract.headings.HeadingLevels`
gives them (number, bookmark, style); a contents page is one contents list; the sources
annex becomes bibliographies grouped by publisher and the abbreviation list one gloss
list, recognised by their shape or their heading (:mod:`.annex`). A page that starts
inside a list keeps its place there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.document import (
    Bibliography,
    Block,
    Division,
    ItemList,
    ListItem,
    PageBreakBlock,
    Paragraph,
    Text,
    plain_text,
)
from toolkit.extract.annex import division_annex, gloss_items, is_gloss_table, mark_sources
from toolkit.extract.blocks import CAPTION, TOC_LINE, BlockDraft
from toolkit.extract.headings import HeadingFacts, HeadingLevels, Numbering, OpenHeading, outline_offset
from toolkit.extract.rules import RULES
from toolkit.extract.stats import same_size
from toolkit.extract.tables import build_table

if TYPE_CHECKING:
    from toolkit.extract.blocks import BodyBuilder
    from toolkit.extract.layout import Line


def front_pages(builder: "BodyBuilder", lines: list[Line]) -> int:
    """Leading pages without running text (cover, title page, contents): how many."""
    count: dict[int, int] = {}
    for line in lines:
        if same_size(line.size, builder.stats.page_body(line.page)) and not line.bold and not TOC_LINE.search(line.text) and len(line.text.split()) >= RULES.front_min_words:
            count[line.page] = count.get(line.page, 0) + 1
    first_text_page = min((p for p, n in count.items() if n >= RULES.front_min_lines), default=1)
    return first_text_page - 1


def build_front(builder: "BodyBuilder", lines: list[Line], page_breaks: bool = True) -> list[Block]:
    """The front matter as plain paragraphs (a title page has no sections) and its contents
    list; without ``page_breaks`` for a title block on a page the body goes on with."""
    builder.measure_pages(lines)
    blocks: list[Block] = []
    page = 0
    for draft in builder.drafts(builder.classify(lines)):
        while page_breaks and page < draft.lines[0].line.page:
            page += 1
            blocks.append(PageBreakBlock(page))
        if draft.kind == "toc":
            blocks.append(contents(builder, draft))
            continue
        rend = "title" if draft.kind == "heading" else None
        blocks.append(Paragraph(content=builder.inline(draft.lines, page_events=False), rend=rend))
    return blocks


def contents(builder: "BodyBuilder", draft: BlockDraft) -> ItemList:
    """A table of contents: one item per printed line, leaders and page numbers as printed,
    the "Inhoud" line over it as its head."""
    head = [info for info in draft.lines if info.toc_head]
    entries = [info for info in draft.lines if not info.toc_head]
    listing = ItemList(items=[], type="contents", head=builder.inline(head, page_events=False) if head else None)
    page = entries[0].line.page if entries else 0
    for info in entries:
        if info.line.page != page:
            page = info.line.page
            listing.page_breaks.append((len(listing.items), page))
        listing.items.append(ListItem(content=builder.inline([info], page_events=False)))
    return listing


def build_body(builder: "BodyBuilder", lines: list[Line], pages: int, first_page: int = 1) -> list[Block]:
    builder.measure_pages(lines)
    drafts = builder.drafts(builder.classify(lines))
    mark_sources(builder, drafts)
    return BodyAssembly(builder, drafts, first_page).run(pages)


def heading_facts(drafts: list[BlockDraft]) -> dict[int, HeadingFacts]:
    """What decides each heading's level, with bookmark levels put on the numbers' scale."""
    heads = [d for d in drafts if d.kind == "heading"]
    numbering = Numbering()
    pairs = []
    for draft in heads:
        first = draft.lines[0]
        if first.numbering is not None:
            level = numbering.level(HeadingFacts(first.numbering, first.style))
            if first.outline_level is not None:
                pairs.append((level, first.outline_level))
    offset = outline_offset(pairs)
    return {
        id(d): HeadingFacts(
            d.lines[0].numbering, d.lines[0].style,
            d.lines[0].outline_level + offset if d.lines[0].outline_level is not None else None,
        )
        for d in heads
    }


class BodyAssembly:
    """Drafts into nested divisions, lists, bibliographies, tables and paragraphs, page starts kept."""

    def __init__(self, builder: "BodyBuilder", drafts: list[BlockDraft], first_page: int):
        self.builder = builder
        self.drafts = drafts
        self.facts = heading_facts(drafts)
        self.levels = HeadingLevels(list(self.facts.values()))
        self.root: list[Block] = []
        self.stack: list[tuple[Division, OpenHeading]] = []
        self.seen_page = first_page - 1
        self.pending: list[int] = []  # pages that started since the last block
        self.open_list: ItemList | None = None  # a list the next items may continue
        self.open_bib: Bibliography | None = None

    def container(self) -> list[Block]:
        return self.stack[-1][0].blocks if self.stack else self.root

    def annex(self) -> str | None:
        return division_annex(self.stack[-1][0]) if self.stack else None

    # -- page starts ----------------------------------------------------------
    def reach(self, page: int) -> None:
        while self.seen_page < page:
            self.seen_page += 1
            self.pending.append(self.seen_page)

    def place_pages(self, continuing: ItemList | Bibliography | None = None) -> None:
        """Pages that started before the next block: inside the list it continues, else between blocks."""
        for n in self.pending:
            if continuing is not None:
                count = len(continuing.items) if isinstance(continuing, ItemList) else len(continuing.entries)
                continuing.page_breaks.append((count, n))
            else:
                self.container().append(PageBreakBlock(n))
        self.pending = []

    # -- assembly -------------------------------------------------------------
    def run(self, pages: int) -> list[Block]:
        for draft in self.drafts:
            self.reach(draft.lines[0].line.page)
            getattr(self, "add_" + draft.kind)(draft)
        self.reach(pages)
        self.place_pages()
        return self.root

    def add_heading(self, draft: BlockDraft) -> None:
        builder = self.builder
        first = draft.lines[0]
        facts = self.facts[id(draft)]
        number = facts.number
        self.place_pages()
        self.open_list = self.open_bib = None
        skip = number.end if number else first.bullet_skip
        head = builder.inline(draft.lines, skip_first=skip, page_events=False)
        if number is None and self.annex() == "sources" and first.line.size < builder.stats.body_size * (1 + RULES.heading_larger):
            # A publisher line of the sources annex, set bold, without entries under it.
            self.container().append(Paragraph(content=head))
            return
        level = self.levels.level(facts, [open_heading for _, open_heading in self.stack])
        while self.stack and self.closes(self.stack[-1], level, facts):
            self.stack.pop()
        kind = "chapter" if level == 1 else ("section" if number else "subsection")
        division = Division(kind=kind, n=number.printed if number else None, head=head, level=level)
        self.container().append(division)
        self.stack.append((division, OpenHeading(level, number is not None or facts.outline_level is not None, facts.style)))

    @staticmethod
    def closes(open_division: tuple[Division, OpenHeading], level: int, facts: HeadingFacts) -> bool:
        """Does a heading at ``level`` close the open division? Deeper ones stay open, except
        a numbered one that its number does not continue ("4.2" closes "3")."""
        division, _ = open_division
        if division.level >= level:
            return True
        number = facts.number
        if number is None or number.scheme != "decimal" or "." not in number.printed:
            return False
        if division.n is None or not division.n[:1].isdigit():
            return False
        return not number.printed.startswith(division.n + ".")

    def add_toc(self, draft: BlockDraft) -> None:
        self.place_pages()
        self.open_list = self.open_bib = None
        self.container().append(contents(self.builder, draft))
        self.seen_page = max(self.seen_page, draft.lines[-1].line.page)

    def add_table(self, draft: BlockDraft) -> None:
        builder = self.builder
        if self.annex() == "abbreviations" or is_gloss_table(builder, draft):
            self.add_gloss(draft)
            return
        self.place_pages()
        self.open_list = self.open_bib = None
        self.container().append(build_table(builder, draft))
        self.seen_page = max(self.seen_page, draft.lines[-1].line.page)

    def add_gloss(self, draft: BlockDraft) -> None:
        """Gloss lines, also over a page: one list, with the page start kept between its items."""
        for page in sorted({info.line.page for info in draft.lines}):
            self.reach(page)
            part = BlockDraft(draft.kind, [info for info in draft.lines if info.line.page == page])
            continuing = self.open_list if self.open_list is not None and self.open_list.type == "gloss" else None
            self.place_pages(continuing)
            self.open_list = gloss_items(self.builder, part, self.container(), continuing)
        self.open_bib = None

    def add_bullet(self, draft: BlockDraft) -> None:
        first = draft.lines[0]
        list_type = first.list_type
        continuing = self.open_list if self.open_list is not None and self.open_list.type == list_type else None
        self.place_pages(continuing)
        self.open_bib = None
        if continuing is None:
            continuing = ItemList(items=[], type=list_type)
            self.container().append(continuing)
        self.open_list = continuing
        label = [Text(first.label)] if first.label else None
        continuing.items.append(ListItem(content=self.builder.inline(draft.lines), label=label))
        self.seen_page = max(self.seen_page, draft.lines[-1].line.page)

    def add_publisher(self, draft: BlockDraft) -> None:
        self.place_pages()
        self.open_list = None
        self.open_bib = Bibliography(head=self.builder.inline(draft.lines, page_events=False), entries=[])
        self.container().append(self.open_bib)

    def add_source(self, draft: BlockDraft) -> None:
        if self.open_bib is None:
            self.place_pages()
            self.open_bib = Bibliography(head=None, entries=[])
            self.container().append(self.open_bib)
        else:
            self.place_pages(self.open_bib)
        self.open_bib.entries.append(ListItem(content=self.builder.inline(draft.lines, skip_first=draft.lines[0].bullet_skip)))
        self.seen_page = max(self.seen_page, draft.lines[-1].line.page)

    def add_paragraph(self, draft: BlockDraft) -> None:
        builder = self.builder
        annex = self.annex()
        if annex == "abbreviations":
            # The abbreviation list goes on over paragraph breaks and pages: one gloss list.
            self.add_gloss(draft)
            return
        self.place_pages()
        self.open_list = self.open_bib = None
        self.seen_page = max(self.seen_page, draft.lines[-1].line.page)
        if annex == "sources" and len(draft.lines) > 1:
            # Publisher lines follow each other without a gap: each line that stops short is one.
            groups = [[draft.lines[0]]]
            for prev, info in zip(draft.lines, draft.lines[1:]):
                if builder.ended_short(prev.line, info.line):
                    groups.append([info])
                else:
                    groups[-1].append(info)
            for group in groups:
                self.container().append(Paragraph(content=builder.inline(group)))
            return
        rend = "caption" if CAPTION.match(draft.lines[0].line.text) else None
        self.container().append(Paragraph(content=builder.inline(draft.lines), rend=rend))


def head_text(division: Division) -> str:
    return plain_text(division.head)
