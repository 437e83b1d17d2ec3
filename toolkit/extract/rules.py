"""The layout rules: every coefficient the extractor decides with, named, relative, explained.

A report can be set in 7 pt or in 24 pt, on A5 or on A3; so no rule is written in
points. Each coefficient multiplies one of the document's own measures
(:class:`toolkit.extract.stats.LayoutStats`):

- ``em``: a font size (the body size, or the size of the line in question);
- ``pitch``: the body's usual baseline-to-baseline distance;
- ``column``: the width of the text column;
- ``page``: the page height.

Counts (pages, lines) and shares (fractions of a set) are unitless. :data:`RULES` is the
one instance the extractor uses; ``LayoutRules(**changes)`` validates a variant.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class LayoutRules:
    # -- reading the PDF -----------------------------------------------------------------
    #: Spans further apart than this (em of the smaller) stand apart: a space is put between them.
    span_gap: float = 0.2
    #: A span raised above the line's baseline by more than this (em of the line) is raised.
    raised: float = 0.15
    #: A span smaller than this share of the line's size is small (markers, labels).
    smaller: float = 0.9
    #: Pieces on one baseline merge into one line when their heights overlap by this share.
    merge_overlap: float = 0.6
    #: Baselines within this (em of the larger) count as the same baseline.
    same_baseline: float = 0.5
    #: Two pieces overlap horizontally when they share more than this (em of the smaller): more
    #: than kerning and glyph boxes explain.
    glyph_overlap: float = 0.35
    #: A link rectangle covers a span when it reaches over this share of the span's height.
    link_vertical: float = 0.4

    # -- columns ---------------------------------------------------------------------------
    #: A gutter is at least this wide (em of the page's usual size): wider than a word gap.
    gutter_min: float = 0.6
    #: Lines crossing a gutter (headings, a title over all columns) may be this share of the page's lines.
    gutter_crossing: float = 0.04
    #: Each column holds at least this share of the page's lines ...
    column_share: float = 0.12
    #: ... and its lines are mostly full: their median width is this share of the column (not a table).
    column_fill: float = 0.6
    #: A page needs this many lines before columns are looked for.
    column_min_lines: int = 8

    # -- the body ------------------------------------------------------------------------
    #: Sizes within this share of the body size are the body size.
    same_size: float = 0.1

    # -- running headers and footers -------------------------------------------------------
    #: Running text sits in the outer share of the page at top and bottom.
    running_band: float = 0.2
    #: A slot (height and size) holds running text when it is filled on this many pages ...
    running_min_pages: int = 3
    #: ... and on this share of the pages ...
    running_page_share: float = 0.25
    #: ... and this share of its lines repeat (digits folded) on another page or are page numbers.
    running_repeat_share: float = 0.5
    #: Baselines within this (pitch) are the same height on two pages.
    running_height: float = 0.5
    #: A line set like the text next to it, at its line pitch, is one block with it; it is running
    #: only when its slot repeats on this share of all pages (a footer right under the notes)
    #: and not on a few (the last line of a repeated citation).
    running_glued_share: float = 0.6
    #: Lines whose baselines are at most this far apart (em) are at the pitch of one block of text.
    glued_pitch: float = 1.35
    #: A bare page number stands in this outer share of the page (without a repeating slot).
    page_number_band: float = 0.1

    # -- footnote areas ----------------------------------------------------------------------
    #: A line is set smaller than the body when it is smaller by this share.
    note_smaller: float = 0.04
    #: Lines within this share of the note size are in the note size.
    note_same_size: float = 0.08
    #: A gap wider than this (em of the note size) between note lines ends the area upwards.
    note_area_gap: float = 2.5
    #: A label raised by this much or set this much smaller (share of the line size) is a raised label.
    label_small: float = 0.8
    #: A gap after a label wider than this (em) is a tab stop: strong evidence of a label.
    label_gap: float = 0.5
    #: Lines starting within this (em) of the labels' column stand at the label column.
    label_column: float = 0.3
    #: A line "stopped short" when the room left at its end exceeds the next word plus this (em).
    short_line: float = 0.6
    #: A separator rule is at least this share of the column wide, at most that share (a
    #: table's or a frame's rules span the column) ...
    rule_min: float = 0.05
    rule_max: float = 0.75
    #: ... starts within this (em of the body size) of the column's left edge ...
    rule_indent: float = 2.0
    #: ... and at most this thick (em of the body size).
    rule_thickness: float = 0.25
    #: A rule this close (em) under a line's baseline underlines it: not a separator.
    underline_reach: float = 0.25
    #: A separator rule stands at most this far (pitch) above the first note line.
    rule_reach: float = 2.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.type == "int" or isinstance(value, int) and not isinstance(value, bool) and f.name.endswith(("pages", "lines")):
                if not isinstance(value, int) or value < 1:
                    raise ValueError(f"layout rule {f.name} must be a positive count, not {value!r}")
            elif not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 100:
                raise ValueError(f"layout rule {f.name} must be a positive number below 100, not {value!r}")
        for name in ("smaller", "merge_overlap", "gutter_crossing", "column_share", "column_fill", "running_band",
                     "running_page_share", "running_repeat_share", "running_glued_share", "note_smaller", "note_same_size", "label_small",
                     "rule_min", "rule_max", "same_size", "link_vertical"):
            if not 0 < getattr(self, name) < 1:
                raise ValueError(f"layout rule {name} is a share and must lie between 0 and 1")


RULES = LayoutRules()
