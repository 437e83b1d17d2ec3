"""The layout rules: every coefficient the extractor decides with, named, relative, explained.

A report can be set in 7 pt or in 24 pt, on A5 or on A3, so no rule is written in points.
Each coefficient multiplies one of the document's own measures
(:class:`toolkit.extract.stats.LayoutStats`) or of the line at hand:

- ``em``: a font size (the body size, or the size of the line in question);
- ``pitch``: the body's usual baseline-to-baseline distance;
- ``column``: the width of the text column;
- ``page``: the page height (or width, where said).

Counts (pages, lines, words) and shares (fractions of a set) are unitless. Scaling a
report (fonts, margins and page together) therefore changes no decision; a test checks
that. :data:`RULES` is the one instance the extractor uses; ``LayoutRules(**changes)``
makes and validates a variant.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# Fields that are counts (positive integers); every other field is a positive coefficient.
_COUNTS = frozenset({
    "column_min_lines", "running_min_pages", "page_measure_lines", "page_measure_chars", "page_measure_window",
    "heading_max_words", "numbered_heading_max_words",
    "toc_min_lines", "toc_max_between", "table_min_rows", "front_min_words", "front_min_lines", "hyphen_min_breaks",
    "hyphen_min_word", "caps_min_letters", "heading_max_lines", "item_max_lines", "publisher_max_words", "sources_min_groups",
    "gloss_term_max_words", "heading_min_letters", "cover_line_words", "gloss_min_rows", "title_max_words", "title_max_lines", "cover_pages",
    "reliable_markers", "unmarked_page_notes",
})
# Fields that are shares of a whole: strictly between 0 and 1.
_SHARES = frozenset({
    "smaller", "merge_overlap", "main_text_share", "link_vertical", "gutter_crossing", "gutter_margin",
    "column_share", "column_fill", "gutter_match", "running_band", "running_page_share",
    "running_repeat_share", "running_glued_share", "page_number_band", "same_size", "marker_small",
    "rule_min", "rule_max", "body_share", "page_end_room", "hyphen_share", "body_right_share",
    "small_caps_min", "small_caps_max", "sources_dated_share", "gloss_term_share",
})


@dataclass(frozen=True)
class LayoutRules:
    # -- type sizes -------------------------------------------------------------------------
    #: The body is the largest type set in at least this share of the characters.
    body_share: float = 0.25
    #: Sizes within this share of each other are one size: the body, a note size, a heading size.
    same_size: float = 0.05
    #: A label or marker set below this share of its line's size is set small (a superscript).
    marker_small: float = 0.8
    #: A heading is larger than the body by at least this share (or bold, or coloured and larger).
    heading_larger: float = 0.12

    # -- reading the PDF ---------------------------------------------------------------------
    #: Spans further apart than this (em of the smaller) stand apart: a space goes between them.
    span_gap: float = 0.2
    #: A span raised above its line's baseline by more than this (em of the line) is raised.
    raised: float = 0.15
    #: A span smaller than this share of its line's size is smaller (with raised: a superscript).
    smaller: float = 0.9
    #: A line's main size and baseline are those of the largest type with this share of its characters.
    main_text_share: float = 0.25
    #: Pieces on one baseline merge into one line when their heights overlap by this share.
    merge_overlap: float = 0.6
    #: Baselines within this (em of the larger) are the same baseline.
    same_baseline: float = 0.5
    #: Baselines within this (em) are one: rounding noise of the PDF writer.
    baseline_noise: float = 0.02
    #: Lines whose baselines lie within this (em) read as one row, left to right.
    row_tolerance: float = 0.1
    #: Pieces overlapping by more than this (em of the smaller) overlap: more than kerning explains.
    glyph_overlap: float = 0.35
    #: A link rectangle covers a span when it reaches over this share of the span's height.
    link_vertical: float = 0.4
    #: Characters within this (em) of a span's edge belong to it when link coverage is measured.
    link_slack: float = 0.05
    #: A drawn path is a rule (a separator, a table rule) when it is this many times wider than high.
    rule_aspect: float = 4.0

    # -- columns ----------------------------------------------------------------------------
    #: A gutter is at least this wide (em of the page's usual size): wider than a word gap.
    gutter_min: float = 0.6
    #: Gutters are looked for at this resolution (em).
    gutter_bin: float = 0.25
    #: Lines crossing a gutter (a title over the columns) may be this share of the page's lines.
    gutter_crossing: float = 0.04
    #: A gutter stands at least this share of the text width from either edge.
    gutter_margin: float = 0.15
    #: Each column holds at least this share of the page's lines ...
    column_share: float = 0.12
    #: ... and its lines fill it: a quarter of them reach this share of its width (not a table).
    column_fill: float = 0.8
    #: A line belongs to a column when it reaches at most this far (em) past the column's edges.
    column_slack: float = 0.5
    #: Gutters on two pages are the same when their centres are this share of the page width apart.
    gutter_match: float = 0.01
    #: A page needs this many lines before columns are looked for.
    column_min_lines: int = 8

    # -- the body ---------------------------------------------------------------------------
    #: A baseline step this much (em) above the usual pitch is a paragraph gap.
    paragraph_gap: float = 0.3
    #: Baselines usually stand between these (em) apart in running text.
    pitch_min: float = 0.8
    pitch_max: float = 2.5
    #: The pitch when no two body lines follow each other (em).
    default_pitch: float = 1.2
    #: Left edges are counted in steps of this (em) to find the text column.
    edge_step: float = 0.1
    #: The column's right edge: this share of body lines end left of it.
    body_right_share: float = 0.9
    #: A page measures its own body size from at least this many characters, smoothed over a
    #: window of this many pages.
    page_measure_chars: int = 300
    page_measure_window: int = 5
    #: A page (or column) measures its own text column from at least this many body lines.
    page_measure_lines: int = 3
    #: A line "stopped short" when the room left at its end exceeds the next word plus this (em).
    short_line: float = 0.6
    #: A first-line indent is at least this (em).
    indent: float = 0.8
    #: A paragraph ends at a page end when the last line leaves this share of the column empty.
    page_end_room: float = 0.3
    #: Continuation lines of a list item align with its text within this (em).
    item_align: float = 0.35
    #: Lines of one block of text (a wrapped heading, a footer and the note above it) stand at
    #: most this many times their size apart, scaled by the document's own leading.
    block_pitch: float = 1.35
    #: A tab stop: a gap wider than this (em) after a label, wider than any word space.
    tab_gap: float = 0.8
    #: Cells of a table row stand further apart than this (em): wider than a justified word gap.
    cell_gap: float = 1.5
    #: A contents line has a gap of at least this (em) before its page number.
    toc_gap: float = 3.0
    #: Cells of one table column start within this (em) of each other.
    column_align: float = 0.6
    #: Rows of one table stand at most this far (pitch) apart; a new row starts after this (pitch).
    table_row_reach: float = 2.5
    table_row_gap: float = 1.15
    #: A table has at least this many rows with several cells.
    table_min_rows: int = 2
    #: A contents list has at least this many contents lines in a row, with at most this many
    #: other lines between two of them (an entry that wraps, a part title without a page).
    toc_min_lines: int = 3
    toc_max_between: int = 2
    #: Headings have at most this many words (numbered headings may be longer).
    heading_max_words: int = 14
    numbered_heading_max_words: int = 20
    #: A heading has at least this many letters ("π" in a formula set large is none).
    heading_min_letters: int = 2
    #: A heading in capitals has at least this many letters (shorter is an acronym).
    caps_min_letters: int = 4
    #: Small capitals are capitals printed at this share of the line's capitals' size (Word
    #: and LibreOffice print them at about 0.8).
    small_caps_min: float = 0.6
    small_caps_max: float = 0.9
    #: A heading wraps over at most this many lines.
    heading_max_lines: int = 3
    #: A numbered list item (without a tab after its number) wraps over at most this many lines.
    item_max_lines: int = 6
    #: A centred line's middle is within this (em) of the column's middle, and it leaves at
    #: least this much (em) free on either side (more than the indent of a block or a list).
    centre_slack: float = 1.5
    centre_margin: float = 2.0
    #: A publisher line of the sources annex has at most this many words ...
    publisher_max_words: int = 10
    #: ... and this share of the entries under it end in a date; a list of sources without
    #: a heading that says so has at least this many such groups.
    sources_dated_share: float = 0.6
    sources_min_groups: int = 2
    #: A term of an abbreviation list has at most this many words; a list has at least this
    #: many terms, and this share of its lines start with one (the rest wrap the explanations).
    gloss_term_max_words: int = 4
    gloss_min_rows: int = 4
    gloss_term_share: float = 0.4
    #: The title on a cover page: at most this many words, on at most this many lines, on
    #: one of the first this many pages.
    title_max_words: int = 30
    title_max_lines: int = 4
    cover_pages: int = 2
    #: A title above running text (no cover page) is set at least this much larger than the body.
    title_larger: float = 0.3
    #: On a first page without a cover, a line of running text has more words than this: what
    #: stands above it (title, date, addressee) is the report's own front matter.
    cover_line_words: int = 8
    #: Front matter ends at the first page with this many lines of running text of this many words.
    front_min_lines: int = 3
    front_min_words: int = 4
    #: A document hyphenates at line ends when this many lines, and this share of them, end broken.
    hyphen_min_breaks: int = 3
    hyphen_share: float = 0.02
    #: Both halves of a hyphenated compound that stand alone elsewhere have more letters than this.
    hyphen_min_word: int = 3

    # -- running headers and footers ---------------------------------------------------------
    #: Running text sits in this outer share of the page at top and bottom.
    running_band: float = 0.2
    #: A slot (height and size) holds running text when it is filled on this many pages ...
    running_min_pages: int = 3
    #: ... and on this share of the pages ...
    running_page_share: float = 0.25
    #: ... and this share of its lines repeat (digits folded) on another page or are page numbers.
    running_repeat_share: float = 0.5
    #: A line set like the text next to it is running only when its slot repeats on this share of
    #: all pages (a footer right under the notes), not on a few (a citation repeated in notes).
    running_glued_share: float = 0.6
    #: Baselines within this (pitch) are the same height on two pages.
    running_height: float = 0.5
    #: A bare page number stands in this outer share of the page (without a repeating slot).
    page_number_band: float = 0.1

    # -- footnote areas ------------------------------------------------------------------------
    #: A gap wider than this (em of the note size) between note lines ends the area upwards.
    note_area_gap: float = 2.5
    #: Labels stand at the document's label column within this (em).
    label_column: float = 0.3
    #: A separator rule is at least this share of the column wide, and at most that share (a
    #: table's or a frame's rules span the column) ...
    rule_min: float = 0.05
    rule_max: float = 0.75
    #: ... starts within this (em of the body size) of the column's left edge ...
    rule_indent: float = 2.0
    #: ... is at most this thick (em of the body size) ...
    rule_thickness: float = 0.25
    #: ... and stands at most this far (pitch) above the first note line.
    rule_reach: float = 2.0
    #: A rule this close (em) to a line's baseline or below it underlines it: not a separator.
    underline_reach: float = 0.25
    #: A line's top within this (em of the body size) of a rule stands under it.
    rule_slack: float = 0.5
    #: Where this many notes elsewhere are tied to their markers, the document's markers are
    #: read; a page with ``unmarked_page_notes`` or more notes and no marker for any of them
    #: holds a numbered list in small type (sources in an annex), not notes.
    reliable_markers: int = 5
    unmarked_page_notes: int = 3

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _COUNTS:
                if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                    raise ValueError(f"layout rule {f.name} is a count and must be a positive integer, not {value!r}")
            elif not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value < 100:
                raise ValueError(f"layout rule {f.name} must be a positive number below 100, not {value!r}")
            elif f.name in _SHARES and not value < 1:
                raise ValueError(f"layout rule {f.name} is a share and must lie between 0 and 1, not {value!r}")
        if self.rule_min >= self.rule_max:
            raise ValueError("layout rules rule_min and rule_max: the shortest separator must be shorter than the longest")
        if self.small_caps_min >= self.small_caps_max:
            raise ValueError("layout rules small_caps_min and small_caps_max: the range of small-caps sizes is empty")
        if self.pitch_min >= self.pitch_max:
            raise ValueError("layout rules pitch_min and pitch_max: the range of line pitches is empty")


RULES = LayoutRules()
