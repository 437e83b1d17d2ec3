"""Reading a PDF: PyMuPDF spans into the layout types, lines re-merged, superscripts marked.

This is the only stage that talks to PyMuPDF. Everything after it works on the plain
dataclasses of :mod:`.layout`, so it can be tested and reasoned about without a PDF.
"""

from __future__ import annotations

import hashlib
import logging
from bisect import bisect_left, bisect_right
import os
import re
from collections import Counter
from pathlib import Path

from toolkit.errors import InputError
from toolkit.document import SourceInfo
from toolkit.extract.layout import Layout, Line, LinkArea, Page, Rule, TextSpan, vertical_share
from toolkit.extract.rules import RULES

log = logging.getLogger(__name__)

BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|[-,]bd\b|bo$", re.I)
ITALIC_NAME = re.compile(r"italic|oblique|[-,]it\b|it$", re.I)
# Characters XML 1.0 cannot hold, and the replacement character PDFs emit for unmapped glyphs.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Drop what XML cannot hold; normalise the no-break and odd spaces PDFs carry."""
    text = XML_ILLEGAL.sub("", text)
    return text.replace("\u00a0", " ").replace("\u2009", " ").replace("\u202f", " ")


def pdf_date(value: str | None) -> str | None:
    """PDF date strings (D:20250214093000+01'00') to ISO 8601."""
    if not value:
        return None
    m = re.match(r"D?:?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?", value)
    if not m:
        return None
    year, month, day, hour, minute, second = m.groups()
    if not month:
        return year
    try:
        if not (1 <= int(month) <= 12) or (day and not 1 <= int(day) <= 31):
            return year
    except ValueError:
        return None
    if not day:
        return f"{year}-{month}"
    if hour is None:
        return f"{year}-{month}-{day}"
    return f"{year}-{month}-{day}T{hour}:{minute or '00'}:{second or '00'}"


def open_pdf(path: Path):
    """Open a PDF file read-only with clear errors for everything a user can hand us."""
    return open_pdf_bytes(read_pdf_file(path), str(path))


def read_pdf_file(path: Path) -> bytes:
    """The bytes of a PDF file, with clear errors for a path that is not a readable file."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a PDF")
    if not os.access(path, os.R_OK):
        raise InputError(f"{path}: cannot read the file (permission denied)")
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read the file ({error.strerror or error})") from None


# The PDF signature may follow some junk; readers look for it in the first kilobyte.
PDF_SIGNATURE_WINDOW = 1024


def open_pdf_bytes(data: bytes, label: str):
    """Open a PDF held in memory; ``label`` (a path or a name) starts every error message."""
    import pymupdf

    if not data:
        raise InputError(f"{label}: the file is empty")
    if b"%PDF-" not in data[:PDF_SIGNATURE_WINDOW]:
        raise InputError(f"{label}: not a PDF file")
    pymupdf.TOOLS.mupdf_display_errors(False)
    pymupdf.TOOLS.mupdf_display_warnings(False)
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as error:  # MuPDF raises its own types for broken files
        raise InputError(f"{label}: damaged PDF that cannot be opened ({str(error).strip() or 'unreadable'})") from None
    if doc.needs_pass:
        doc.close()
        raise InputError(f"{label}: the PDF is encrypted; decrypt it first (e.g. qpdf --decrypt)")
    if doc.page_count == 0:
        doc.close()
        raise InputError(f"{label}: the PDF has no pages")
    return doc


def read_layout(path: str | os.PathLike) -> Layout:
    """Read every page's spans and links of the PDF file at ``path``."""
    path = Path(path)
    return read_layout_bytes(read_pdf_file(path), path.name, label=str(path))


def read_layout_bytes(data: bytes, name: str, label: str | None = None) -> Layout:
    """Read every page's spans and links of a PDF held in memory, named ``name`` (its file name).

    A file goes through here too (:func:`read_layout`), so a file and its bytes give the
    same layout, the same checks and the same checksum.
    """
    import pymupdf

    label = label or name
    doc = open_pdf_bytes(data, label)
    try:
        meta = doc.metadata or {}
        source = SourceInfo(
            file_name=name,
            sha256=hashlib.sha256(data).hexdigest(),
            page_count=doc.page_count,
            size_bytes=len(data),
            pdf_title=clean_text(meta.get("title") or "").strip() or None,
            pdf_author=clean_text(meta.get("author") or "").strip() or None,
            pdf_subject=clean_text(meta.get("subject") or "").strip() or None,
            pdf_creator=clean_text(meta.get("creator") or "").strip() or None,
            pdf_producer=clean_text(meta.get("producer") or "").strip() or None,
            created=pdf_date(meta.get("creationDate")),
            modified=pdf_date(meta.get("modDate")),
        )
        layout = Layout(source=source, pages=[], outline=read_outline(doc))
        flags = pymupdf.TEXT_PRESERVE_WHITESPACE | pymupdf.TEXT_MEDIABOX_CLIP
        chars = 0
        pieces: list[list[Line]] = []
        for number, pdf_page in enumerate(doc, start=1):
            try:
                page, raw_lines = read_page(pdf_page, number, flags)
            except Exception as error:  # a broken content stream on one page
                raise InputError(f"{label}: page {number} cannot be read ({str(error).strip() or 'damaged'})") from None
            chars += sum(len(s.text.strip()) for line in raw_lines for s in line.spans)
            layout.pages.append(page)
            pieces.append(raw_lines)
        if chars == 0:
            raise InputError(f"{label}: the PDF has no text layer (scanned?); run OCR first (e.g. ocrmypdf)")
        gutters = confirmed_gutters([page_gutters(raw, page.width) for page, raw in zip(layout.pages, pieces)],
                                    [p.width for p in layout.pages], pieces)
        for page, raw, page_gutters_ in zip(layout.pages, pieces, gutters):
            assemble_page(page, raw, page_gutters_)
            refine_link_spans(doc[page.number - 1], page, flags)
    finally:
        doc.close()
    return layout


def read_outline(doc) -> list[tuple[int, str, int]]:
    """The bookmarks as (level, title, page); a damaged outline is no outline."""
    try:
        entries = doc.get_toc(simple=True)
    except Exception:  # MuPDF raises its own types for a broken outline tree
        return []
    outline = []
    for level, title, page in entries:
        title = " ".join(clean_text(title or "").split())
        if title:
            outline.append((int(level), title, int(page) if page and page > 0 else -1))
    return outline


def read_page(pdf_page, number: int, flags: int) -> tuple[Page, list[Line]]:
    """The page with its links and rules, and its text as MuPDF's pieces of lines."""
    rect = pdf_page.rect
    page = Page(number=number, width=rect.width, height=rect.height)
    data = pdf_page.get_text("dict", flags=flags)
    raw_lines: list[Line] = []
    for block in data["blocks"]:
        if block.get("type", 0) != 0:
            continue
        for raw in block["lines"]:
            if raw["dir"][1] != 0 or raw["dir"][0] <= 0:  # rotated text: stamps, margins notes
                continue
            spans = []
            for s in raw["spans"]:
                text = clean_text(s["text"])
                if not text:
                    continue
                font = s["font"]
                x0, y0, x1, y1 = s["bbox"]
                spans.append(
                    TextSpan(
                        text=text,
                        font=font,
                        size=round(s["size"], 2),
                        flags=s["flags"],
                        x0=x0,
                        y0=y0,
                        x1=x1,
                        y1=y1,
                        baseline=s["origin"][1],
                        color=s.get("color", 0) or 0,
                        bold=bool(s["flags"] & 16) or bool(BOLD_NAME.search(font)),
                        italic=bool(s["flags"] & 2) or bool(ITALIC_NAME.search(font)),
                    )
                )
            if spans and any(s.text.strip() for s in spans):
                raw_lines.append(make_line(number, spans))
    for link in pdf_page.get_links():
        uri = link.get("uri")
        if link.get("kind") == 2 and uri:  # LINK_URI
            r = link["from"]
            page.links.append(LinkArea(r.x0, r.y0, r.x1, r.y1, clean_text(uri).strip()))
    page.rules = horizontal_rules(pdf_page)
    return page, raw_lines


def horizontal_rules(pdf_page) -> list[Rule]:
    """Thin horizontal strokes and filled bars: footnote separators (and table rules)."""
    rules = []
    for path in pdf_page.get_cdrawings():
        x0, y0, x1, y1 = path["rect"]
        if x1 - x0 > RULES.rule_aspect * (y1 - y0) and x1 > x0:
            rules.append(Rule(x0, (y0 + y1) / 2, x1, y1 - y0))
    return rules


def assemble_page(page: Page, raw_lines: list[Line], gutters: list[tuple[float, float]]) -> None:
    """Merge MuPDF's pieces into lines within each column and put them in reading order."""
    page.columns = columns_between(gutters, raw_lines)
    for line in raw_lines:
        line.column = column_of(line, page.columns)
    merged: list[Line] = []
    for column in sorted({line.column for line in raw_lines}):
        for line in merge_lines([line for line in raw_lines if line.column == column]):
            line.column = column  # a merged line is made anew
            merged.append(line)
    page.lines = reading_order(merged, len(page.columns))
    for i, line in enumerate(page.lines):
        line.index = i
        line.links = [l for l in page.links if l.y1 > line.y0 and l.y0 < line.y1 and l.x1 > line.x0 and l.x0 < line.x1]


def make_line(page: int, spans: list[TextSpan]) -> Line:
    spans = with_gap_spaces(sorted((s for s in spans if s.text != " " or s.flags >= 0), key=lambda s: s.x0))
    line = Line(
        page=page,
        spans=spans,
        x0=min(s.x0 for s in spans),
        y0=min(s.y0 for s in spans),
        x1=max(s.x1 for s in spans),
        y1=max(s.y1 for s in spans),
    )
    classify_superscripts(line)
    return line


def with_gap_spaces(spans: list[TextSpan]) -> list[TextSpan]:
    """Put a space where two spans of a line stand apart without one (tab stops, word-by-word output)."""
    out: list[TextSpan] = []
    for span in spans:
        if out:
            prev = out[-1]
            gap = span.x0 - prev.x1
            hyphen = span.text in ("-", "\u00ad") and span is spans[-1]  # justified lines space out a final hyphen
            if gap > RULES.span_gap * min(span.size, prev.size) and not prev.text[-1:].isspace() and not span.text[:1].isspace() and not hyphen:
                out.append(
                    TextSpan(" ", prev.font, prev.size, -1, prev.x1, prev.y0, span.x0, prev.y1, prev.baseline)
                )
        out.append(span)
    return out


def classify_superscripts(line: Line) -> None:
    """Set the line's baseline and size from its main text, and mark raised, smaller spans.

    A span is superscript when MuPDF flags it, or when it is both smaller than
    the line's main size and raised above its baseline: digits glued to a year
    (2023 + note 1) are told apart by this, never by the digits alone.
    """
    weights: Counter[tuple[float, float]] = Counter()
    for s in line.spans:
        n = len(s.text.strip())
        if n:
            weights[(s.size, round(s.baseline / (RULES.baseline_noise * s.size)))] += n
    # The main text is the largest size with a real share of the characters.
    total = sum(weights.values())
    candidates = [key for key, n in weights.items() if n >= RULES.main_text_share * total] or list(weights)
    size, level = max(candidates, key=lambda key: (key[0], weights[key]))
    line.size = size
    baseline = next(s.baseline for s in line.spans if s.size == size and round(s.baseline / (RULES.baseline_noise * s.size)) == level)
    line.baseline = baseline
    for s in line.spans:
        raised = baseline - s.baseline > RULES.raised * size
        smaller = s.size < RULES.smaller * size
        s.superscript = bool(s.text.strip()) and ((bool(s.flags & 1) and smaller) or (raised and smaller))


def merge_lines(lines: list[Line]) -> list[Line]:
    """Join pieces MuPDF split apart that sit on one baseline (word-by-word output, superscripts).

    Two pieces belong together when their vertical extents overlap by most of
    the smaller one and they do not overlap horizontally.
    """
    lines = rows_in_order(lines)
    merged: list[Line] = []
    for line in lines:
        target = None
        for pos in range(len(merged) - 1, max(len(merged) - 7, -1), -1):
            candidate = merged[pos]
            overlap = min(candidate.y1, line.y1) - max(candidate.y0, line.y0)
            smaller = min(candidate.height, line.height) or 1.0
            if overlap >= RULES.merge_overlap * smaller and not horizontally_overlapping(candidate, line):
                same_base = abs(candidate.baseline - line.baseline) <= RULES.same_baseline * max(candidate.size, line.size)
                if same_base or min(candidate.size, line.size) < RULES.smaller * max(candidate.size, line.size):
                    target = pos
                    break
        if target is None:
            merged.append(line)
            continue
        merged[target] = make_line(line.page, merged[target].spans + line.spans)
    return merged


def rows_in_order(lines: list[Line]) -> list[Line]:
    """Top to bottom, and left to right within a row: lines whose baselines lie within
    ``same_baseline`` of the row's first line share the row (tolerance relative to the size)."""
    out: list[Line] = []
    row: list[Line] = []
    for line in sorted(lines, key=lambda l: l.baseline):
        if row and line.baseline - row[0].baseline > RULES.row_tolerance * max(row[0].size, line.size):
            out.extend(sorted(row, key=lambda l: l.x0))
            row = []
        row.append(line)
    out.extend(sorted(row, key=lambda l: l.x0))
    return out


def horizontally_overlapping(a: Line, b: Line) -> bool:
    """Do two pieces overlap by more than kerning and glyph boxes explain?"""
    for s in a.spans:
        if not s.text.strip():
            continue
        for t in b.spans:
            if t.text.strip() and min(s.x1, t.x1) - max(s.x0, t.x0) > RULES.glyph_overlap * min(s.size, t.size):
                return True
    return False


def refine_link_spans(pdf_page, page: Page, flags: int) -> None:
    """Fetch character positions for spans that a link rectangle only partly covers.

    Most spans are either fully inside or fully outside a link; only the few
    cut through need per-character geometry, which is costly to get for all.
    """
    if not page.links:
        return
    wanted: list[tuple[int, int, TextSpan]] = []
    for line in page.lines:
        if not line.links:
            continue
        for si, span in enumerate(line.spans):
            for link in line.links:
                if vertical_share(link, span) < RULES.link_vertical:
                    continue
                slack = RULES.link_slack * span.size
                inside = link.x0 <= span.x0 + slack and link.x1 >= span.x1 - slack
                outside = link.x1 <= span.x0 or link.x0 >= span.x1
                if not inside and not outside:
                    wanted.append((line.index, si, span))
                    break
    if not wanted:
        return
    import pymupdf

    # Character boxes only for the region those spans occupy: a clipped text page is cheap.
    clip = pymupdf.Rect(
        min(s.x0 for _, _, s in wanted) - 1,
        min(s.y0 for _, _, s in wanted) - 1,
        max(s.x1 for _, _, s in wanted) + 1,
        max(s.y1 for _, _, s in wanted) + 1,
    )
    textpage = pdf_page.get_textpage(clip=clip, flags=flags)
    raw = pdf_page.get_text("rawdict", textpage=textpage)
    # The same spans again, now with their characters: found by their text and origin.
    by_text: dict[str, list[TextSpan]] = {}
    for _, _, span in wanted:
        by_text.setdefault(span.text, []).append(span)
    boxes: dict[int, list[tuple[float, float]]] = {}
    for block in raw["blocks"]:
        for rl in block.get("lines", ()):
            for rs in rl["spans"]:
                chars = rs["chars"]
                spans = by_text.get(clean_text("".join(ch["c"] for ch in chars)))
                if not spans:
                    continue
                x, y = rs["bbox"][0], rs["origin"][1]
                for span in spans:
                    slack = RULES.link_slack * span.size
                    if abs(span.x0 - x) <= slack and abs(span.baseline - y) <= slack and len(chars) == len(span.text):
                        boxes[id(span)] = [(ch["bbox"][0], ch["bbox"][2]) for ch in chars]
    for line_index, si, span in wanted:
        mine = boxes.get(id(span)) or proportional_positions(span)  # not found again: estimate
        centres = [(a + b) / 2 for a, b in mine]
        cover: dict[int, tuple[int, int] | None] = {}
        for k, link in enumerate(page.lines[line_index].links):
            inside = [i for i, c in enumerate(centres) if link.x0 <= c <= link.x1]
            cover[k] = (inside[0], inside[-1]) if inside else None
        span.cover = cover


def proportional_positions(span: TextSpan) -> list[tuple[float, float]]:
    n = max(len(span.text), 1)
    step = span.width / n
    return [(span.x0 + i * step, span.x0 + (i + 1) * step) for i in range(len(span.text))]


# -- columns ---------------------------------------------------------------------------------


def page_gutters(lines: list[Line], page_width: float) -> list[tuple[float, float]]:
    """Vertical strips of white that divide the page's text into columns, as (x0, x1).

    A gutter is wider than a word gap, crossed by few lines (a title over all columns may
    cross it), and has enough lines on either side that fill their column (the cells of a
    table do not): it is looked for in the x coverage of the page's lines.
    """
    lines = [line for line in lines if line.text.strip()]
    if len(lines) < RULES.column_min_lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    sizes = sorted(line.size for line in lines)
    em = sizes[len(sizes) // 2]
    step = RULES.gutter_bin * em
    bins = int((right - left) / step) + 1
    cover = [0] * (bins + 1)
    for line in lines:  # difference array: +1 where a line starts, -1 after it ends
        cover[int((line.x0 - left) / step)] += 1
        cover[int((line.x1 - left) / step) + 1 if line.x1 < right else bins] -= 1
    crossing = RULES.gutter_crossing * len(lines)
    runs: list[tuple[float, float]] = []
    count, start = 0, None
    for b in range(bins):
        count += cover[b]
        if count <= crossing:
            start = b if start is None else start
        elif start is not None:
            runs.append((left + start * step, left + b * step))
            start = None
    candidates = [
        (x0, x1) for x0, x1 in runs
        if x1 - x0 >= RULES.gutter_min * em and min(x0 - left, right - x1) >= RULES.gutter_margin * (right - left)
    ]
    for _ in range(2):  # once more with the neighbours that held: a column lies between two gutters
        edges = [left] + [(a + b) / 2 for a, b in candidates] + [right]
        candidates = [
            g for k, g in enumerate(candidates)
            if is_column(lines, edges[k], edges[k + 1]) and is_column(lines, edges[k + 1], edges[k + 2])
        ]
    return candidates


def is_column(lines: list[Line], x0: float, x1: float) -> bool:
    """Enough lines between x0 and x1, filling that width: running text, not table cells."""
    side = [line for line in lines if line.x0 >= x0 - 1 and line.x1 <= x1 + 1]
    if len(side) < RULES.column_share * len(lines):
        return False
    edge0, edge1 = min(l.x0 for l in side), max(l.x1 for l in side)
    widths = sorted(l.x1 - l.x0 for l in side)
    # Running text fills its column in most lines; short note lines and paragraph ends do not
    # count against it (the upper quartile), cells of a table rarely fill theirs.
    return widths[(3 * len(widths)) // 4] >= RULES.column_fill * (edge1 - edge0)


def confirmed_gutters(per_page: list[list[tuple[float, float]]], widths: list[float],
                      pieces: list[list[Line]]) -> list[list[tuple[float, float]]]:
    """Keep a page's gutters only where another page has one at the same place; give the
    document's columns to a page whose text keeps to them without showing them all.

    Columns are a property of the document's layout: a gutter seen on one page alone is a
    table or a figure, not a column break; and a page whose last column is empty, or that
    holds a few lines only, is still set in the document's columns. A document of one or
    two pages is taken as it is.
    """
    if len(per_page) <= 2:
        return per_page
    centres = sorted((a + b) / 2 for gutters in per_page for a, b in gutters)

    def seen_elsewhere(gutter: tuple[float, float], width: float) -> bool:
        centre, reach = (gutter[0] + gutter[1]) / 2, RULES.gutter_match * width
        return bisect_right(centres, centre + reach) - bisect_left(centres, centre - reach) >= 2

    kept = [[g for g in gutters if seen_elsewhere(g, width)] for gutters, width in zip(per_page, widths)]
    layouts = Counter(tuple(g) for g in kept if g)
    for k, (gutters, lines) in enumerate(zip(kept, pieces)):
        if gutters or not layouts:
            continue
        for candidate, _ in layouts.most_common():
            if keeps_to(lines, candidate):
                kept[k] = list(candidate)
                break
    return kept


def keeps_to(lines: list[Line], gutters: tuple[tuple[float, float], ...]) -> bool:
    """Does a page's text keep to the gutters (a title over the columns may cross them)?"""
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        return False
    sizes = sorted(line.size for line in lines)
    title = sizes[len(sizes) // 2] * (1 + RULES.heading_larger)  # larger type may span the columns
    crossing = sum(1 for line in lines if line.size < title and any(line.x0 < (a + b) / 2 < line.x1 for a, b in gutters))
    return crossing <= RULES.gutter_crossing * len(lines) and any(line.x1 <= gutters[0][0] + 1 for line in lines)


def columns_between(gutters: list[tuple[float, float]], lines: list[Line]) -> list[tuple[float, float]]:
    if not gutters or not lines:
        return []
    left = min(line.x0 for line in lines)
    right = max(line.x1 for line in lines)
    edges = [left] + [x for gutter in gutters for x in gutter] + [right]
    return [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]


def column_of(line: Line, columns: list[tuple[float, float]]) -> int:
    """The column a line stands in; a line over some of the columns (a title block) counts with
    the first of them; -1 for a line over all of them, which divides the page into bands."""
    if not columns:
        return 0
    slack = RULES.column_slack * line.size
    for k, (x0, x1) in enumerate(columns):
        if line.x0 >= x0 - slack and line.x1 <= x1 + slack:
            return k
    spanned = [k for k, (x0, x1) in enumerate(columns) if line.x0 < x1 - slack and line.x1 > x0 + slack]
    return -1 if len(spanned) == len(columns) or not spanned else spanned[0]


def reading_order(lines: list[Line], columns: int) -> list[Line]:
    """Top to bottom; on a page in columns, column after column between lines that cross them."""
    lines = rows_in_order(lines)
    if columns < 2:
        return lines
    out: list[Line] = []
    band: list[Line] = []
    for line in lines:
        if line.column == -1:
            out.extend(line for column in sorted({l.column for l in band}) for line in band if line.column == column)
            band = []
            out.append(line)
        else:
            band.append(line)
    out.extend(line for column in sorted({l.column for l in band}) for line in band if line.column == column)
    return out
