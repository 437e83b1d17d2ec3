"""Tables: lines whose text stands in aligned columns become rows of cells.

A gutter between cells is wider than any word gap, so cells are cut at gaps of more
than one and a half ems; two or more such lines close together on a page that share a
column start make a table (also over a page break).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from toolkit.document import Table
from toolkit.extract.layout import Line
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats
from toolkit.extract.textbuild import merge_inline

if TYPE_CHECKING:
    from toolkit.extract.blocks import BlockDraft, BodyBuilder, LineInfo


def mark_table_rows(infos: list[LineInfo], stats: LayoutStats) -> None:
    """Lines whose text stands in columns (wide gaps at shared x positions) are table rows.

    It takes two such lines, close together on one page, that share a column start
    besides the first; lines in between that start at one of those columns (a wrapped
    cell) belong to the table too.
    """
    em = stats.body_size
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
            if info.kind != "text" or not (next_page or line.page == prev.page and line.baseline - prev.baseline <= RULES.table_row_reach * stats.line_pitch):
                break
            cells = cell_starts(line, em)
            if cells and any(abs(a - b) < RULES.column_align * em for a in cells[1:] for b in later_columns):  # also over a page break
                later_columns.extend(cells[1:])
            elif not cells and not next_page and any(abs(line.x0 - b) < RULES.column_align * em for b in later_columns):
                pass  # a wrapped cell in a later column
            else:
                break
            group.append(j)
            j += 1
        rows = [g for g in group if cell_starts(infos[g].line, em)]
        if len(rows) >= RULES.table_min_rows:
            for g in group:
                infos[g].kind = "row"
            k = j
        else:
            k += 1


def build_table(builder: "BodyBuilder", draft: BlockDraft) -> Table:
    """Cells by column; a line starting in the first column with several cells, or after a
    row gap, begins a new row, other lines continue the cells of the row above."""
    em = builder.stats.body_size
    starts = sorted(x for info in draft.lines for x in (cell_starts(info.line, em) or [info.line.x0]))
    columns: list[float] = []
    for x in starts:
        if not columns or x - columns[-1] > RULES.column_align * em:
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
        gap = previous is not None and line.baseline - previous.baseline > RULES.table_row_gap * builder.stats.line_pitch
        if not rows or (abs(first_x - columns[0]) < RULES.column_align * em and (len(cells) > 1 or gap)):
            rows.append([[] for _ in columns])
        for cell in cells:
            x = line.spans[cell.start].x0
            reach = RULES.column_align * em
            column = max(i for i, c in enumerate(columns) if c <= x + reach) if x + reach >= columns[0] else 0
            cell_text = builder.text_builder()
            builder.add_line(cell_text, line, 0, cell)
            rows[-1][column] = merge_inline(rows[-1][column], cell_text.build())
        previous = line
    return Table(rows=rows, page_breaks=breaks)


def cell_ranges(line: Line, em: float) -> list[range]:
    """The line's spans cut at gaps of more than one and a half ems: its table cells.

    Word gaps, even in loose justified lines, stay under an em; a table's gutter is wider.
    """
    cells: list[range] = []
    begin = None
    for i, span in enumerate(line.spans):
        wide = span.flags == -1 and span.width > RULES.cell_gap * em
        if not wide and i > 0 and begin is not None and span.x0 - line.spans[i - 1].x1 > RULES.cell_gap * em:
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


def split_columns(line: Line, body_size: float) -> int | None:
    """Index of the first span after a wide gap (a tab stop between term and explanation)."""
    best, best_gap = None, RULES.cell_gap * body_size
    for i in range(1, len(line.spans)):
        span = line.spans[i]
        if span.flags == -1 and span.width > best_gap and i + 1 < len(line.spans):
            best, best_gap = i + 1, span.width  # the space put in for the gap
        else:
            gap = span.x0 - line.spans[i - 1].x1
            if gap > best_gap:
                best, best_gap = i, gap
    return best
