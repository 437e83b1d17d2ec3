"""Structure: body blocks nested in divisions by heading level; front matter; annexes.

Headings open divisions (numbered ones by their number's depth, unnumbered ones by
style); the sources annex becomes bibliographies grouped by publisher and the
abbreviation list one gloss list, recognised by their heading (:func:`annex_kind`).
"""

from __future__ import annotations

import re
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
)
from toolkit.extract.blocks import CAPTION, HEADING_NUMBER, TOC_LINE, BlockDraft
from toolkit.extract.textbuild import merge_inline
from toolkit.extract.rules import RULES
from toolkit.extract.stats import same_size, size_key
from toolkit.extract.tables import build_table, split_columns

if TYPE_CHECKING:
    from toolkit.extract.blocks import BodyBuilder
    from toolkit.extract.layout import Line

# Headings of the two annexes COI reports close with (nl, en, de).
SOURCES_HEAD = re.compile(r"bronnen|bronvermelding|literatuur|bibliografie|bibliography|references|sources|quellen", re.I)
ABBREVIATIONS_HEAD = re.compile(r"afkortingen|acroniemen|abbreviations|acronyms|abkürzungen", re.I)


def annex_kind(division: Division | None) -> str | None:
    """"sources" or "abbreviations" for the annexes, recognised by their heading; else None."""
    if division is None:
        return None
    title = head_text(division)
    if SOURCES_HEAD.search(title):
        return "sources"
    if ABBREVIATIONS_HEAD.search(title):
        return "abbreviations"
    return None


def gloss_items(builder: "BodyBuilder", draft: BlockDraft, into: list[Block], current: ItemList | None) -> ItemList:
    """Abbreviation lines: term, a tab stop, its explanation; unsplit lines continue the last item."""
    if current is None or current.type != "gloss":
        current = ItemList(items=[], type="gloss")
        into.append(current)
    for info in draft.lines:
        line = info.line
        cut = split_columns(line, builder.stats.body_size)
        if cut is None and current.items:
            more = builder.text_builder()
            builder.add_line(more, line, 0)
            current.items[-1].content = merge_inline(current.items[-1].content, more.build())
            continue
        label_builder = builder.text_builder()
        builder.add_line(label_builder, line, 0, range(0, cut if cut is not None else len(line.spans)))
        item_builder = builder.text_builder()
        if cut is not None:
            builder.add_line(item_builder, line, 0, range(cut, len(line.spans)))
        current.items.append(ListItem(content=item_builder.build(), label=label_builder.build()))
    return current


def front_pages(builder: "BodyBuilder", lines: list[Line]) -> int:
    """Leading pages without running text (cover, title page, contents): how many."""
    count: dict[int, int] = {}
    for line in lines:
        if same_size(line.size, builder.stats.page_body(line.page)) and not line.bold and not TOC_LINE.search(line.text) and len(line.text.split()) >= RULES.front_min_words:
            count[line.page] = count.get(line.page, 0) + 1
    first_text_page = min((p for p, n in count.items() if n >= RULES.front_min_lines), default=1)
    return first_text_page - 1


def build_front(builder: "BodyBuilder", lines: list[Line]) -> list[Block]:
    """The front matter as plain paragraphs: a title page has no sections."""
    builder.measure_pages(lines)
    blocks: list[Block] = []
    page = 0
    for draft in builder.drafts(builder.classify(lines)):
        while page < draft.lines[0].line.page:
            page += 1
            blocks.append(PageBreakBlock(page))
        if draft.kind == "toc":
            blocks.append(contents(builder, draft))
            continue
        rend = "title" if draft.kind == "heading" else None
        blocks.append(Paragraph(content=builder.inline(draft.lines, page_events=False), rend=rend))
    return blocks


def contents(builder: "BodyBuilder", draft: BlockDraft) -> ItemList:
    """A table of contents: one item per printed line, leaders and page numbers as printed."""
    return ItemList(items=[ListItem(content=builder.inline([info], page_events=False)) for info in draft.lines], type="contents")


def build_body(builder: "BodyBuilder", lines: list[Line], pages: int, first_page: int = 1) -> list[Block]:
    builder.measure_pages(lines)
    infos = builder.classify(lines)
    drafts = builder.drafts(infos)
    root: list[Block] = []
    stack: list[Division] = []
    chapter_size = max(
        (d.lines[0].line.size for d in drafts if d.kind == "heading" and d.lines[0].level == 1),
        default=builder.stats.body_size * (1 + RULES.chapter_larger),
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
            head = builder.inline(draft.lines, skip_first=skip, page_events=False)
            style = (size_key(first.line.size, builder.stats), first.line.bold, first.line.italic)
            if not number and annex_kind(stack[-1] if stack else None) == "sources" and first.line.size < builder.stats.body_size * (1 + RULES.heading_larger):
                # A publisher line of the sources annex, set bold: the head of its group.
                container().append(Paragraph(content=head))
                continue
            if number:
                level = first.level
            elif (first.line.size >= chapter_size or same_size(first.line.size, chapter_size)) and first.line.size > builder.stats.body_size * (1 + RULES.heading_larger):
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
            container().append(contents(builder, draft))
            seen_page = max(seen_page, draft.lines[-1].line.page)
            continue
        annex = annex_kind(stack[-1] if stack else None)
        if draft.kind == "table" and annex != "abbreviations":
            pending_list = None
            container().append(build_table(builder, draft))
            seen_page = max(seen_page, draft.lines[-1].line.page)
            continue
        if draft.kind == "table" and len({info.line.page for info in draft.lines}) > 1:
            # Two-column gloss lines that run over a page: one list, with the page start kept.
            for info in draft.lines:
                emit_page_breaks(info.line.page)
                pending_list = gloss_items(builder, BlockDraft("table", [info]), container(), pending_list)
            continue
        seen_page = max(seen_page, draft.lines[-1].line.page)
        if draft.kind == "bullet":
            list_type = first.list_type
            if pending_list is None or pending_list.type != list_type:
                pending_list = ItemList(items=[], type=list_type)
                container().append(pending_list)
            label = [Text(first.label)] if first.label else None
            pending_list.items.append(ListItem(content=builder.inline(draft.lines), label=label))
            continue
        if annex == "abbreviations":
            # The abbreviation list goes on over paragraph breaks and pages: one gloss list.
            pending_list = gloss_items(builder, draft, container(), pending_list)
            continue
        pending_list = None
        if annex == "sources" and len(draft.lines) > 1:
            # Publisher lines follow each other without a gap: each line that stops short is one.
            groups = [[draft.lines[0]]]
            for prev, info in zip(draft.lines, draft.lines[1:]):
                if builder.ended_short(prev.line, info.line):
                    groups.append([info])
                else:
                    groups[-1].append(info)
            for group in groups:
                container().append(Paragraph(content=builder.inline(group)))
            continue
        rend = "caption" if CAPTION.match(draft.lines[0].line.text) else None
        container().append(Paragraph(content=builder.inline(draft.lines), rend=rend))
    emit_page_breaks(pages)
    for division in list(iter_all(root)):
        shape_annex(division)
    return root


def iter_all(blocks):
    for b in blocks:
        if isinstance(b, Division):
            yield b
            yield from iter_all(b.blocks)


def head_text(division: Division) -> str:
    return "".join(n.text for n in division.head if isinstance(n, Text))


def shape_annex(division: Division) -> None:
    """Sources annex → Bibliography blocks grouped by publisher; abbreviation list → gloss list."""
    if annex_kind(division) != "sources":
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
