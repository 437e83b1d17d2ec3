"""Layout variants of the sample reports: page size, fonts, sizes, margins and habits.

Every :class:`ReportStyle` validates itself, so that a typo fails loudly instead of giving
an odd layout; :data:`STYLES` holds the named variants ``build_report`` and
``coitool sample`` offer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReportStyle:
    """One layout variant of a report; validates itself so a typo fails loudly, not oddly."""

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
    footnote_number_superscript: bool
    first_line_indent: float
    paragraph_gap: float
    footer_format: str = "Pagina {n} van {m}"
    note_indent: float = 10.0  # hanging indent of note text; 0: continuation lines start at the margin

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
            if getattr(self, role) not in fontdescriptors:
                raise ValueError(f"{role} {getattr(self, role)!r} is not a pymupdf-fonts font")
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
        if "{n}" not in self.footer_format:
            raise ValueError("footer_format must contain {n}")
        if not 0 <= self.note_indent <= 40:
            raise ValueError("note_indent out of range")

    @property
    def text_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right


A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

STYLES: dict[str, ReportStyle] = {
    s.name: s
    for s in (
        # Close to a Dutch government report: A4, Noto Sans 10 pt, ragged right, short rule.
        ReportStyle(
            "default", *A4, 70.9, 70.9, 70.9, 62.4, "notos", "notosbo", "notosit",
            10.0, 8.0, (16.0, 12.5, 10.5), 1.38, False, False, True, True, 0.0, 10.0,
        ),
        # US Letter, Fira 11 pt, justified and hyphenated, no rule, note numbers at text size.
        ReportStyle(
            "letter", *LETTER, 72.0, 72.0, 60.0, 60.0, "figo", "figbo", "figit",
            11.0, 9.0, (18.0, 14.0, 12.0), 1.3, True, True, False, False, 0.0, 7.0,
            note_indent=14.0,
        ),
        # Dense A4 with narrow margins, Ubuntu 9 pt, justified, first-line indents, tiny notes.
        ReportStyle(
            "compact", *A4, 45.0, 45.0, 50.0, 45.0, "ubuntu", "ubuntubo", "ubuntuit",
            9.0, 7.0, (14.0, 11.0, 9.0), 1.25, True, False, True, True, 14.0, 0.0,
            footer_format="{n}", note_indent=0.0,
        ),
        # Large print with wide margins, Noto 12 pt, ragged but hyphenated, big notes, no rule.
        ReportStyle(
            "large", *A4, 90.0, 85.0, 80.0, 75.0, "notos", "notosbo", "notosit",
            12.0, 9.5, (20.0, 15.0, 13.0), 1.45, False, True, False, False, 0.0, 12.0,
            note_indent=16.0,
        ),
    )
}


def resolve_style(style: str | ReportStyle) -> ReportStyle:
    if isinstance(style, ReportStyle):
        return style
    try:
        return STYLES[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}") from None
