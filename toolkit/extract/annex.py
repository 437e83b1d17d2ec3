"""The two annexes COI reports close with, recognised by their shape as well as their heading.

- The sources list: publisher lines, each followed by dash or bullet entries that end in a
  date ("- Title, 14 februari 2025;"). It becomes one :class:`Bibliography` per publisher,
  one entry per printed entry with its wrapped lines joined, whatever the heading says.
- The abbreviation list: a term and its explanation per line, the explanation after a tab,
  in a column of its own, or after a term set in bold. It becomes one gloss list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from toolkit.dates import find_dates
from toolkit.document import Block, Division, ItemList, ListItem, plain_text
from toolkit.extract.layout import Line
from toolkit.extract.rules import RULES
from toolkit.extract.tables import cell_starts, split_columns
from toolkit.extract.textbuild import merge_inline

if TYPE_CHECKING:
    from toolkit.extract.blocks import BlockDraft, BodyBuilder, LineInfo

# Headings of the two annexes (nl, en, de); the shape decides where the heading says nothing.
SOURCES_HEAD = re.compile(r"bronnen|bronvermelding|literatuur|bibliografie|bibliography|references|sources|quellen", re.I)
ABBREVIATIONS_HEAD = re.compile(r"afkortingen|acroniemen|abbreviations|acronyms|abkürzungen", re.I)
# What may follow the date at the end of a source entry: "(RU)", a page, an access date.
_AFTER_DATE = re.compile(r"^[\s,.;:)\]]*(?:\((?:RU|EN|DE|NL|FR|UK|UA)\))?[\s,.;:)\]]*$")
_ACRONYM = re.compile(r"[A-ZА-Я]\w*[A-ZА-Я]")


def annex_kind(heading: str | None) -> str | None:
    """"sources" or "abbreviations" for an annex heading; else None."""
    if not heading:
        return None
    if SOURCES_HEAD.search(heading):
        return "sources"
    if ABBREVIATIONS_HEAD.search(heading):
        return "abbreviations"
    return None


def division_annex(division: Division | None) -> str | None:
    return annex_kind(plain_text(division.head)) if division is not None else None


def ends_in_date(text: str) -> bool:
    """"…, 14 februari 2025;" or "…, maart 2023 (RU)." : a source entry's end."""
    dates = find_dates(text)
    return bool(dates) and bool(_AFTER_DATE.match(text[dates[-1][1] :]))


def draft_text(draft: "BlockDraft") -> str:
    return " ".join(info.line.text.strip() for info in draft.lines)


def publisher_like(builder: "BodyBuilder", draft: "BlockDraft") -> bool:
    """A line naming a publisher: one short line in body size, not a sentence, not an entry."""
    if draft.kind not in ("paragraph", "heading") or len(draft.lines) != 1:
        return False
    info = draft.lines[0]
    line = info.line
    text = line.text.strip()
    if info.number is not None or line.size > builder.stats.body_size * (1 + RULES.heading_larger):
        return False
    return 0 < len(text.split()) <= RULES.publisher_max_words and not text.endswith((".", ";", ":", ",")) and not find_dates(text)


def mark_sources(builder: "BodyBuilder", drafts: list["BlockDraft"]) -> None:
    """Turn publisher lines and the dated entries under them into "publisher" and "source" drafts.

    A run of such groups is a sources list when it has at least ``sources_min_groups``
    groups of mostly dated entries, or stands under a heading that names the sources.
    """
    annex = None
    k = 0
    while k < len(drafts):
        draft = drafts[k]
        if draft.kind == "heading" and not publisher_like(builder, draft):
            annex = annex_kind(draft_text(draft))
        groups: list[tuple[int, list[int]]] = []
        j = k
        while j < len(drafts) and publisher_like(builder, drafts[j]):
            entries = []
            m = j + 1
            while m < len(drafts) and drafts[m].kind == "bullet" and drafts[m].lines[0].list_type == "bulleted":
                entries.append(m)
                m += 1
            dated = sum(ends_in_date(draft_text(drafts[e])) for e in entries)
            if not entries or (annex != "sources" and dated < RULES.sources_dated_share * len(entries)):
                break
            groups.append((j, entries))
            j = m
        if groups and (annex == "sources" or len(groups) >= RULES.sources_min_groups):
            for head, entries in groups:
                drafts[head].kind = "publisher"
                for e in entries:
                    drafts[e].kind = "source"
            k = j
        else:
            k += 1


# -- abbreviations -----------------------------------------------------------------------


def bold_term_end(line: Line) -> int | None:
    """Index of the first span after a short bold term that starts the line, or None."""
    seen_bold = False
    words = 0
    for i, span in enumerate(line.spans):
        if not span.text.strip() or span.superscript:
            continue
        if span.bold:
            seen_bold = True
            words += len(span.text.split())
            continue
        if not seen_bold or words > RULES.gloss_term_max_words:
            return None
        rest = "".join(s.text for s in line.spans[i:])
        return i if any(c.isalpha() for c in rest) else None
    return None


def mark_gloss_lines(builder: "BodyBuilder", infos: list["LineInfo"]) -> None:
    """Runs of lines that each start with a bold term (their wrapped lines between them) are a
    gloss list: "AIVD Algemene Inlichtingen- en Veiligheidsdienst" without a tab."""
    k = 0
    while k < len(infos):
        end = bold_term_end(infos[k].line) if infos[k].kind == "text" else None
        if end is None:
            k += 1
            continue
        run = [(k, end)]
        j = k + 1
        while j < len(infos) and infos[j].kind == "text":
            prev, line = infos[j - 1].line, infos[j].line
            close = line.page != prev.page or line.baseline - prev.baseline <= builder.paragraph_gap
            if not close:
                break
            run.append((j, bold_term_end(line)))
            j += 1
        while run and run[-1][1] is None:
            run.pop()  # the run ends with its last term's explanation, not with the text after it
        terms = sum(1 for _, e in run if e is not None)
        if terms >= RULES.gloss_min_rows and terms >= RULES.gloss_term_share * len(run):
            for index, term_end in run:
                infos[index].kind = "gloss"
                infos[index].term_end = term_end
            k = run[-1][0] + 1
        else:
            k += 1


def is_gloss_table(builder: "BodyBuilder", draft: "BlockDraft") -> bool:
    """A table of two columns whose first cells are short terms, mostly acronyms: a gloss list."""
    em = builder.stats.body_size
    rows = [info.line for info in draft.lines if cell_starts(info.line, em)]
    if len(rows) < RULES.gloss_min_rows:
        return False
    terms = []
    for line in rows:
        cut = split_columns(line, em)
        if cut is None:
            return False
        term = "".join(s.text for s in line.spans[:cut]).strip()
        if len(term.split()) > RULES.gloss_term_max_words:
            return False
        terms.append(term)
    return sum(1 for t in terms if _ACRONYM.search(t)) >= RULES.gloss_term_share * len(terms)


def gloss_items(builder: "BodyBuilder", draft: "BlockDraft", into: list[Block], current: ItemList | None) -> ItemList:
    """Abbreviation lines: term and explanation (split at a tab, a bold term's end, or the
    column the explanations share); lines without a term continue the last item."""
    if current is None or current.type != "gloss":
        current = ItemList(items=[], type="gloss")
        into.append(current)
    em = builder.stats.body_size
    column = explanation_column(draft.lines, em)
    for info in draft.lines:
        line = info.line
        cut = split_columns(line, em)
        if cut is None:
            cut = info.term_end
        if cut is None and column is not None:
            cut = span_at(line, column, em)
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


def explanation_column(infos: list["LineInfo"], em: float) -> float | None:
    """Where the explanations start, from the lines split at a wide gap: the commonest x."""
    starts = []
    for info in infos:
        cut = split_columns(info.line, em)
        if cut is not None and cut < len(info.line.spans):
            starts.append(info.line.spans[cut].x0)
    if not starts:
        return None
    starts.sort()
    return starts[len(starts) // 2]


def span_at(line: Line, x: float, em: float) -> int | None:
    """The span that starts at ``x`` after a gap (a term that nearly fills its column)."""
    for i in range(1, len(line.spans)):
        span, before = line.spans[i], line.spans[i - 1]
        gap = before.flags == -1 or span.x0 - before.x1 > RULES.span_gap * em
        if span.text.strip() and gap and abs(span.x0 - x) <= RULES.column_align * em:
            return i
    return None
