"""Layout variants of the sample reports: page size, fonts, sizes, margins and habits.

Every :class:`ReportStyle` validates itself, so that a typo fails loudly instead of giving
an odd layout; :data:`STYLES` holds the named variants ``build_report`` and
``coitool sample`` offer. The first four (:data:`BASE_STYLES`) are the layouts the
extractor was developed on; the others each combine habits of real reports that
extractors get wrong (numbering restarting per chapter or page, symbol and letter labels,
labels followed by a tab, running headers set right above the body, footers right under
the notes, small-type pages, repeated notes, three columns, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

# Fonts a style may name: the pymupdf-fonts collection, and MuPDF's built-in Nimbus
# Roman and Sans (Times and Helvetica metrics, with Cyrillic).
BUILTIN_FONTS = frozenset({"tiro", "tibo", "tiit", "tibi", "helv", "hebo", "heit", "hebi"})

NUMBERING = ("document", "chapter", "page")  # where the note numbering restarts
LABEL_KINDS = ("arabic", "symbols", "letters")
NOTE_LABEL_FONTS = ("superscript", "plain", "bold")  # how the label is set in the note area
NOTE_LABEL_FORMATS = ("{}", "{}.", "{})", "[{}]")
NOTE_LABEL_GAPS = ("space", "tab", "line")  # after the label: a space, a tab stop, a line break
HEADERS = ("none", "title", "two-line", "odd-even", "chapter")
FOOTER_POSITIONS = ("margin", "under-notes")
FOOTER_ALIGNS = ("right", "center", "outside")


def _choice(field: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{field} {value!r} is not one of {', '.join(repr(a) for a in allowed)}")


@dataclass(frozen=True)
class ReportStyle:
    """One layout variant of a report; validates itself so a typo fails loudly, not oddly.

    Numbering: ``numbering`` says where the note numbers restart ("document": never;
    "chapter": at every level-1 heading; "page": on every page), ``labels`` what they are
    ("arabic" 1 2 3; "symbols" * ** † ‡ §; "letters" a b c; symbols and letters restart on
    every page), ``first_number`` the value of the first label (a report continuing
    another one's numbering).

    Note area: the label is set ``note_label_font`` (raised and small, at note size, or
    bold), written ``note_label_format`` ("{}." prints "37."), and followed by
    ``note_label_gap``: a space, a tab to ``note_tab`` points from the label (a wide gap),
    or a line break (the label alone on its line). ``note_first_indent`` indents the label
    like a paragraph's first line; ``note_indent`` is the hanging indent of the note text
    (0: continuation lines start at the margin). ``defer_notes``: a note that does not fit
    under its marker's line goes whole to the top of the next page's note area (the marker
    stays), as page-layout programs do; otherwise the marker's line moves to the next page.

    Running text: ``header`` "title" (report title and date, high in the margin),
    "two-line" (title and date, then ``page_format``), "odd-even" (title and page number on
    odd pages, page number and date on even pages), "chapter" (page number and title on
    even pages, the current chapter and page number on odd pages) or "none";
    ``header_size`` (0: the smaller of 8 pt and the note size), ``header_gap`` (None: the
    header sits in the middle of the top margin; a number: the space between the header's
    last line and the body, 0 for none). ``footer_format`` ("" for none) is placed at
    ``footer_position`` ("margin", or "under-notes": right under the note area, at the notes'
    line pitch) and ``footer_align``. ``title_page``: the report opens with a title page
    without running text; without one the title opens page 1 above the body (and page 1
    has no running header).

    Page and content: ``columns`` (1 to 3; every column has its notes at its foot),
    ``column_gap``; ``repeated_notes``: many notes read "Ibid." or repeat one short citation;
    ``heading_notes``: two headings carry a marker; ``summary_pages``: a summary of about
    that many pages set entirely in the note size opens the report.
    """

    name: str
    page_width: float
    page_height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    body_font: str
    bold_font: str
    italic_font: str
    body_size: float
    footnote_size: float
    heading_sizes: tuple[float, float, float]
    line_spacing: float
    justify: bool
    hyphenate: bool
    footnote_rule: bool
    note_label_font: str
    first_line_indent: float
    paragraph_gap: float
    footer_format: str = "Pagina {n} van {m}"
    note_indent: float = 10.0
    numbering: str = "document"
    labels: str = "arabic"
    first_number: int = 1
    note_label_format: str = "{}"
    note_label_gap: str = "space"
    note_tab: float = 0.0
    note_first_indent: float = 0.0
    defer_notes: bool = False
    header: str = "title"
    header_size: float = 0.0
    header_gap: float | None = None
    page_format: str = "Pagina {n} van {m}"
    footer_position: str = "margin"
    footer_align: str = "right"
    title_page: bool = True
    columns: int = 1
    column_gap: float = 12.0
    repeated_notes: bool = False
    heading_notes: bool = False
    summary_pages: int = 0

    def __post_init__(self) -> None:
        from pymupdf_fonts import fontdescriptors

        if not self.name or not self.name.strip():
            raise ValueError("style name must not be empty")
        if not (200 <= self.page_width <= 2000 and 200 <= self.page_height <= 3000):
            raise ValueError(f"page size {self.page_width}x{self.page_height} pt is not a report page")
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            if getattr(self, side) < 0:
                raise ValueError(f"{side} must not be negative")
        if self.margin_top < 30 or self.margin_bottom < 30:
            raise ValueError("top and bottom margins need at least 30 pt for the running header and footer")
        if self.page_width - self.margin_left - self.margin_right < 200:
            raise ValueError("text column narrower than 200 pt")
        if self.page_height - self.margin_top - self.margin_bottom < 300:
            raise ValueError("text area lower than 300 pt")
        for role in ("body_font", "bold_font", "italic_font"):
            font = getattr(self, role)
            if font not in fontdescriptors and font not in BUILTIN_FONTS:
                raise ValueError(f"{role} {font!r} is not a pymupdf-fonts font nor one of {', '.join(sorted(BUILTIN_FONTS))}")
        if not 6 <= self.body_size <= 16:
            raise ValueError("body_size must be between 6 and 16 pt")
        if not 5 <= self.footnote_size < self.body_size:
            raise ValueError("footnote_size must be at least 5 pt and smaller than body_size")
        if len(self.heading_sizes) != 3 or any(h < self.body_size or h > 36 for h in self.heading_sizes):
            raise ValueError("heading_sizes must be three sizes between body_size and 36 pt")
        if not 1.0 <= self.line_spacing <= 2.5:
            raise ValueError("line_spacing must be a factor between 1.0 and 2.5")
        if not 0 <= self.first_line_indent <= 60 or not 0 <= self.paragraph_gap <= 40:
            raise ValueError("first_line_indent / paragraph_gap out of range")
        if self.first_line_indent == 0 and self.paragraph_gap == 0:
            raise ValueError("paragraphs need a gap or a first-line indent to be told apart")
        if self.footer_format and "{n}" not in self.footer_format:
            raise ValueError("footer_format must contain {n} (or be empty for no footer)")
        if not 0 <= self.note_indent <= 40:
            raise ValueError("note_indent out of range")
        self._check_numbering()
        self._check_note_area()
        self._check_running()
        if not isinstance(self.columns, int) or not 1 <= self.columns <= 3:
            raise ValueError("columns must be 1, 2 or 3")
        if self.columns > 1 and not 6 <= self.column_gap <= 40:
            raise ValueError("column_gap must be between 6 and 40 pt")
        if self.column_width < 140:
            raise ValueError(f"columns of {self.column_width:.0f} pt are narrower than 140 pt")
        if not isinstance(self.summary_pages, int) or not 0 <= self.summary_pages <= 20:
            raise ValueError("summary_pages must be between 0 and 20")
        for flag in ("justify", "hyphenate", "footnote_rule", "defer_notes", "title_page", "repeated_notes",
                     "heading_notes"):
            if not isinstance(getattr(self, flag), bool):
                raise ValueError(f"{flag} must be True or False, not {getattr(self, flag)!r}")

    def _check_numbering(self) -> None:
        _choice("numbering", self.numbering, NUMBERING)
        _choice("labels", self.labels, LABEL_KINDS)
        if self.labels != "arabic" and self.numbering != "page":
            raise ValueError(f"{self.labels} labels restart on every page: numbering must be 'page'")
        if not isinstance(self.first_number, int) or not 1 <= self.first_number <= 5000:
            raise ValueError("first_number must be a whole number between 1 and 5000")
        if self.first_number != 1 and self.labels != "arabic":
            raise ValueError("first_number applies to arabic labels only")
        if self.defer_notes and self.numbering == "page":
            raise ValueError("defer_notes does not go with numbering 'page' (a deferred note would be "
                             "numbered on a page its marker is not on)")

    def _check_note_area(self) -> None:
        _choice("note_label_font", self.note_label_font, NOTE_LABEL_FONTS)
        _choice("note_label_format", self.note_label_format, NOTE_LABEL_FORMATS)
        _choice("note_label_gap", self.note_label_gap, NOTE_LABEL_GAPS)
        if self.note_label_gap == "tab" and not 6 <= self.note_tab <= 40:
            raise ValueError("note_label_gap 'tab' needs a note_tab between 6 and 40 pt")
        if self.note_label_gap != "tab" and self.note_tab:
            raise ValueError("note_tab is only used with note_label_gap 'tab'")
        if not 0 <= self.note_first_indent <= 30:
            raise ValueError("note_first_indent must be between 0 and 30 pt")

    def _check_running(self) -> None:
        _choice("header", self.header, HEADERS)
        _choice("footer_position", self.footer_position, FOOTER_POSITIONS)
        _choice("footer_align", self.footer_align, FOOTER_ALIGNS)
        if self.header_size and not 5 <= self.header_size <= self.body_size:
            raise ValueError("header_size must be between 5 pt and body_size (or 0 for the default)")
        if self.header == "two-line" and "{n}" not in self.page_format:
            raise ValueError("page_format must contain {n}")
        if self.header_gap is not None:
            lines = 2 if self.header == "two-line" else 1
            if not 0 <= self.header_gap <= self.margin_top - lines * 1.3 * self.running_size - 8:
                raise ValueError(f"header_gap {self.header_gap} does not leave room for the header in the top margin")
        if self.footer_position == "under-notes" and not self.footer_format:
            raise ValueError("footer_position 'under-notes' needs a footer_format")

    @property
    def text_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right

    @property
    def column_width(self) -> float:
        return (self.text_width - (self.columns - 1) * self.column_gap) / self.columns

    @property
    def running_size(self) -> float:
        """Size of the running header and footer."""
        return self.header_size or min(8.0, self.footnote_size)


def style_option_names() -> list[str]:
    """The fields ``build_report`` accepts as keyword options (all but the name)."""
    return [f.name for f in fields(ReportStyle) if f.name != "name"]


A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)
A5 = (419.53, 595.28)
LAW_REVIEW = (504.0, 720.0)  # 7 x 10 in

_NOTO = dict(body_font="notos", bold_font="notosbo", italic_font="notosit")
_FIRA = dict(body_font="figo", bold_font="figbo", italic_font="figit")
_UBUNTU = dict(body_font="ubuntu", bold_font="ubuntubo", italic_font="ubuntuit")
_TIMES = dict(body_font="tiro", bold_font="tibo", italic_font="tiit")
_HELVETICA = dict(body_font="helv", bold_font="hebo", italic_font="heit")

STYLES: dict[str, ReportStyle] = {
    s.name: s
    for s in (
        # Close to a Dutch government report: A4, Noto Sans 10 pt, ragged right, short rule.
        ReportStyle(
            "default", *A4, 70.9, 70.9, 70.9, 62.4, **_NOTO, body_size=10.0, footnote_size=8.0,
            heading_sizes=(16.0, 12.5, 10.5), line_spacing=1.38, justify=False, hyphenate=False,
            footnote_rule=True, note_label_font="superscript", first_line_indent=0.0, paragraph_gap=10.0,
        ),
        # US Letter, Fira 11 pt, justified and hyphenated, no rule, note numbers at text size.
        ReportStyle(
            "letter", *LETTER, 72.0, 72.0, 60.0, 60.0, **_FIRA, body_size=11.0, footnote_size=9.0,
            heading_sizes=(18.0, 14.0, 12.0), line_spacing=1.3, justify=True, hyphenate=True,
            footnote_rule=False, note_label_font="plain", first_line_indent=0.0, paragraph_gap=7.0,
            note_indent=14.0,
        ),
        # Dense A4 with narrow margins, Ubuntu 9 pt, justified, first-line indents, tiny notes.
        ReportStyle(
            "compact", *A4, 45.0, 45.0, 50.0, 45.0, **_UBUNTU, body_size=9.0, footnote_size=7.0,
            heading_sizes=(14.0, 11.0, 9.0), line_spacing=1.25, justify=True, hyphenate=False,
            footnote_rule=True, note_label_font="superscript", first_line_indent=14.0, paragraph_gap=0.0,
            footer_format="{n}", note_indent=0.0,
        ),
        # Large print with wide margins, Noto 12 pt, ragged but hyphenated, big notes, no rule.
        ReportStyle(
            "large", *A4, 90.0, 85.0, 80.0, 75.0, **_NOTO, body_size=12.0, footnote_size=9.5,
            heading_sizes=(20.0, 15.0, 13.0), line_spacing=1.45, justify=False, hyphenate=True,
            footnote_rule=False, note_label_font="plain", first_line_indent=0.0, paragraph_gap=12.0,
            note_indent=16.0,
        ),
        # A ministry report numbering its notes anew in every chapter; book-like running heads
        # in the body size: page number and report title on even pages, the chapter on odd ones.
        ReportStyle(
            "chapters", *A4, 68.0, 68.0, 78.0, 64.0, **_FIRA, body_size=10.5, footnote_size=8.5,
            heading_sizes=(18.0, 13.0, 11.0), line_spacing=1.35, justify=False, hyphenate=True,
            footnote_rule=True, note_label_font="plain", first_line_indent=0.0, paragraph_gap=8.0,
            note_indent=12.0, numbering="chapter", header="chapter", header_size=10.5,
            footer_format="Pagina {n} van {m}", footer_align="center",
        ),
        # Numbered anew on every page (as some legal publishers do), with many "Ibid." notes and
        # the page number set right under the note area.
        ReportStyle(
            "perpage", *LETTER, 66.0, 66.0, 64.0, 56.0, **_UBUNTU, body_size=10.0, footnote_size=8.0,
            heading_sizes=(16.0, 12.0, 10.0), line_spacing=1.32, justify=True, hyphenate=False,
            footnote_rule=True, note_label_font="superscript", first_line_indent=12.0, paragraph_gap=0.0,
            note_indent=0.0, numbering="page", repeated_notes=True,
            footer_format="{n}", footer_position="under-notes",
        ),
        # Word with a notes template: "37." then a tab, numbering continued from an earlier
        # volume (the first note is 37), Times 11 pt justified, markers on two headings.
        ReportStyle(
            "wordtab", *A4, 72.0, 72.0, 72.0, 66.0, **_TIMES, body_size=11.0, footnote_size=9.0,
            heading_sizes=(16.0, 13.0, 11.0), line_spacing=1.25, justify=True, hyphenate=True,
            footnote_rule=True, note_label_font="plain", first_line_indent=0.0, paragraph_gap=8.0,
            note_indent=22.0, note_label_format="{}.", note_label_gap="tab", note_tab=22.0,
            first_number=37, heading_notes=True,
        ),
        # A law review set in InDesign: 7 x 10 in, the article starts on page 1 (a note on the
        # first page), superscript label plus tab, 8 pt notes, a two-line running header with
        # the page number right above the body, no footer; a note that does not fit goes to
        # the next page.
        ReportStyle(
            "lawreview", *LAW_REVIEW, 58.0, 58.0, 64.0, 52.0, **_TIMES, body_size=10.5, footnote_size=8.0,
            heading_sizes=(14.0, 11.5, 10.5), line_spacing=1.22, justify=True, hyphenate=True,
            footnote_rule=True, note_label_font="superscript", first_line_indent=13.0, paragraph_gap=0.0,
            note_indent=0.0, note_label_gap="tab", note_tab=9.0, note_first_indent=9.0,
            header="two-line", header_gap=0.0, page_format="Pagina {n} van {m}", footer_format="",
            title_page=False, defer_notes=True, heading_notes=True,
        ),
        # A small book (A5) whose notes are marked with symbols, anew on every page; page
        # numbers in the header, on the outside edge.
        ReportStyle(
            "symbols", *A5, 50.0, 44.0, 56.0, 46.0, **_NOTO, body_size=9.5, footnote_size=7.5,
            heading_sizes=(14.0, 11.5, 10.0), line_spacing=1.3, justify=True, hyphenate=True,
            footnote_rule=True, note_label_font="plain", first_line_indent=10.0, paragraph_gap=0.0,
            note_indent=9.0, numbering="page", labels="symbols", header="odd-even", footer_format="",
        ),
        # Letters a) b) c) restarting on every page, Helvetica, footer "- 4 -" centred.
        ReportStyle(
            "letters", *LETTER, 80.0, 80.0, 62.0, 58.0, **_HELVETICA, body_size=10.0, footnote_size=8.0,
            heading_sizes=(15.0, 12.0, 10.0), line_spacing=1.4, justify=False, hyphenate=False,
            footnote_rule=False, note_label_font="plain", first_line_indent=0.0, paragraph_gap=9.0,
            note_indent=12.0, numbering="page", labels="letters", note_label_format="{})",
            footer_format="- {n} -", footer_align="center",
        ),
        # Three columns with the notes at the foot of each column (as in the US Federal
        # Register): Times 9 pt, bold note numbers, page numbers in the header.
        ReportStyle(
            "columns3", *LETTER, 40.0, 40.0, 58.0, 44.0, **_TIMES, body_size=9.0, footnote_size=7.0,
            heading_sizes=(12.0, 10.0, 9.0), line_spacing=1.2, justify=True, hyphenate=True,
            footnote_rule=True, note_label_font="bold", first_line_indent=9.0, paragraph_gap=0.0,
            note_indent=0.0, columns=3, column_gap=14.0, header="odd-even", footer_format="",
        ),
        # A summary of two pages in small type opens the report; labels "[12]" alone on
        # their line, the footer right under the note area.
        ReportStyle(
            "smalltype", *A4, 76.0, 64.0, 70.0, 60.0, **_NOTO, body_size=10.0, footnote_size=8.0,
            heading_sizes=(16.0, 12.5, 10.5), line_spacing=1.4, justify=False, hyphenate=False,
            footnote_rule=True, note_label_font="plain", first_line_indent=0.0, paragraph_gap=9.0,
            note_indent=8.0, note_label_format="[{}]", note_label_gap="line", summary_pages=2,
            footer_format="Pagina {n} van {m}", footer_position="under-notes", footer_align="outside",
        ),
    )
}

# The layouts the extractor was developed on.
BASE_STYLES = ("default", "letter", "compact", "large")


def resolve_style(style: str | ReportStyle) -> ReportStyle:
    if isinstance(style, ReportStyle):
        return style
    try:
        return STYLES[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}") from None
