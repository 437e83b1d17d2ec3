"""Realistic sample COI reports as PDF, with the exact ground truth of what an extractor must find.

The generator lays a report out the way a word processor does: text wrapped with the
font's real metrics and placed word by word, superscript note markers glued to the text,
footnotes in a smaller font at the bottom of the page (continuing onto the next page when
they do not fit), link annotations, running header and page footer. Every layout variant
(:data:`STYLES`) changes page size, fonts, sizes, margins and habits, so that no threshold
of the extractor can be tuned to one layout. The text is invented (a fictional country,
"Fictiland"); the hard cases mirror those of real reports.

``build_report`` writes the PDF and returns a :class:`ReportTruth`: tests compare an
extractor's output with it, and ``coitool sample`` ships the PDF to users.

One module per concern: :mod:`~toolkit.sample.styles` (layout variants),
:mod:`~toolkit.sample.content` (invented text), :mod:`~toolkit.sample.markup` (text units,
blocks and the truth's text), :mod:`~toolkit.sample.lines` (metrics, line breaking),
:mod:`~toolkit.sample.layout` (page flow), :mod:`~toolkit.sample.render` (PDF),
:mod:`~toolkit.sample.truth` (ground truth); this module assembles them.
"""

from __future__ import annotations

import gc
from pathlib import Path

from toolkit.sample.content import AUTHOR, HEADER_TEXT, REPORT_DATE, SUBTITLE, TITLE, compose, volume
from toolkit.sample.layout import Layout
from toolkit.sample.lines import Metrics
from toolkit.sample.markup import Composer
from toolkit.sample.render import render
from toolkit.sample.styles import STYLES, ReportStyle, resolve_style
from toolkit.sample.truth import ReportTruth

__all__ = ["ReportStyle", "ReportTruth", "STYLES", "build_report"]


def _lay_out(style: ReportStyle, metrics: Metrics, chapters: int, seed: int, extra: int,
             force: set[int] | None = None, force_budget: int = 2,
             any_note: int = 0) -> tuple[Layout, Composer, ReportTruth]:
    items, non_markers = compose(chapters, seed, extra)
    truth = ReportTruth(TITLE, REPORT_DATE, style.name, 0, HEADER_TEXT,
                        style.footer_format.replace("{m}", "{m}"), non_markers=sorted(set(non_markers)))
    composer = Composer(truth)
    composer.compose(items)
    chapter_count = sum(1 for item in items if item[0] == "h1" and item[1])
    composer.annex(str(chapter_count + 1))
    front = [(TITLE, "bold", 26.0), (SUBTITLE, "body", 14.0), (REPORT_DATE, "body", 12.0),
             (AUTHOR, "body", 11.0), ("Directie Consulaire Zaken en Migratie", "body", 11.0)]
    truth.front_matter = [text for text, _, _ in front]
    layout = Layout(style, metrics, composer.notes, composer.links, force or set(), force_budget, any_note)
    layout.title_page(front)
    layout.run(composer.blocks)
    return layout, composer, truth



def build_report(path: str | Path, style: str | ReportStyle = "default", chapters: int = 3, seed: int = 0,
                 target_pages: int | None = None) -> ReportTruth:
    """Write a sample report PDF to ``path`` and return what an extractor must find in it.

    ``target_pages`` grows the report with seeded sections until it has about that many pages
    (all hand-written hard cases stay in).
    """
    report_style = resolve_style(style)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~10^5 small objects: the collector would cost more than the layout itself
    try:
        return _build(Path(path), report_style, chapters, seed, target_pages)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(path: Path, report_style: ReportStyle, chapters: int, seed: int, target_pages: int | None) -> ReportTruth:
    if not isinstance(chapters, int) or chapters < 1 or chapters > 20:
        raise ValueError("chapters must be between 1 and 20")
    if target_pages is not None and not 1 <= target_pages <= 2000:
        raise ValueError("target_pages must be between 1 and 2000")
    metrics = Metrics(report_style)
    extra = 0
    layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra)
    if target_pages and len(layout.pages) < target_pages - 2:
        # Estimate from the amount of text (cheap), lay out, then correct once.
        base_pages, base_volume = len(layout.pages), volume(compose(chapters, seed, 0)[0])
        per_char = (base_pages - 1) / base_volume

        def estimate(k: int) -> float:
            # Seeded sections carry more notes per line of body text than the core: about 1.28x.
            return base_pages + (volume(compose(chapters, seed, k)[0]) - base_volume) * per_char * 1.28

        per_section = max(0.2, (estimate(20) - base_pages) / 20)
        extra = max(1, round((target_pages - base_pages) / per_section))
        for _ in range(2):
            extra = max(1, extra + round((target_pages - estimate(extra)) / per_section))
        layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra)
        if abs(len(layout.pages) - target_pages) > 4:
            per_section = max(0.2, (len(layout.pages) - base_pages) / extra)
            extra = max(1, extra + round((target_pages - len(layout.pages)) / per_section))
            layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra)
    for attempt in range(3):
        if len(layout.continued) >= 2:
            break
        # Too few notes happened to straddle a page break: split any long note on a page
        # that is nearly full anyway.
        candidates = {spec.n for spec in composer.notes}
        layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra, candidates, 2,
                                           any_note=[1, 3, 100][attempt])
    truth.page_count = len(layout.pages)
    truth.continued_notes = sorted(set(layout.continued))
    truth.note_pages = {n: pages for n, pages in sorted(layout.note_pages.items())}
    truth.links = [dict(link) for link in composer.links]
    render(path, report_style, layout, metrics)
    return truth
