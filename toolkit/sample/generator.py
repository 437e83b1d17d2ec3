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
``bind_reports`` binds generated reports into one PDF (a report with an annex that numbers
its notes anew) and returns the combined truth.

One module per concern: :mod:`~toolkit.sample.styles` (layout variants),
:mod:`~toolkit.sample.content` (invented text), :mod:`~toolkit.sample.markup` (text units,
blocks and the truth's text), :mod:`~toolkit.sample.lines` (metrics, line breaking),
:mod:`~toolkit.sample.layout` (page flow), :mod:`~toolkit.sample.numbering` (labels and
numbering runs), :mod:`~toolkit.sample.running` (headers and footers),
:mod:`~toolkit.sample.render` (PDF), :mod:`~toolkit.sample.truth` (ground truth); this
module assembles them.
"""

from __future__ import annotations

import gc
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any, Sequence

from toolkit.sample import numbering
from toolkit.sample.content import (
    AUTHOR,
    HEADER_TEXT,
    IBID,
    REPORT_DATE,
    SHORT_CITATION,
    SUBTITLE,
    TITLE,
    compose,
    volume,
)
from toolkit.sample.layout import SMALL_PITCH, Layout
from toolkit.sample.lines import Metrics
from toolkit.sample.markup import Composer, Labeler
from toolkit.sample.render import render
from toolkit.sample.running import running_items
from toolkit.sample.styles import STYLES, ReportStyle, resolve_style, style_option_names
from toolkit.sample.truth import NoteTruth, ReportTruth, RunningLine

__all__ = ["STYLES", "ReportStyle", "ReportTruth", "bind_reports", "build_report"]

MAX_LABEL_PASSES = 6  # per-page labels: layouts until the assumed labels are the printed ones
FIXED_WIDTH_AFTER = 3  # then measure every marker as the widest label, so the layout stops moving
REPEAT_PAGES = 3  # repeated notes must stand on, and end the note area of, at least this many pages
REPEAT_SALTS = 6  # tries of other repeated-note choices before giving up
SUMMARY_FILL = 1.15  # summary text per requested page, times what fits on one


class _Run:
    """Everything one layout needs, so passes can differ in one thing only."""

    def __init__(self, style: ReportStyle, metrics: Metrics, chapters: int, seed: int) -> None:
        self.style, self.metrics, self.chapters, self.seed = style, metrics, chapters, seed
        self.summary_chars = _summary_chars(style, metrics) if style.summary_pages else 0

    def items(self, extra: int, salt: int = 0) -> tuple[list[tuple], list[str]]:
        style = self.style
        return compose(self.chapters, self.seed, extra, heading_notes=style.heading_notes,
                       repeated_notes=style.repeated_notes, repeat_salt=salt, summary_chars=self.summary_chars)

    def compose(self, extra: int, salt: int = 0) -> Composer:
        style = self.style
        items, non_markers = self.items(extra, salt)
        truth = ReportTruth(TITLE, REPORT_DATE, style.name, 0, HEADER_TEXT,
                            style.footer_format, non_markers=sorted(set(non_markers)),
                            numbering=style.numbering)
        composer = Composer(truth, _labeler(style))
        composer.compose(items)
        chapter_count = sum(1 for item in items if item[0] == "h1" and item[1])
        composer.annex(str(chapter_count + 1))
        truth.front_matter = [text for text, _, _ in self.front()]
        return composer

    def front(self) -> list[tuple[str, str, float]]:
        style = self.style
        if style.title_page:
            return [(TITLE, "bold", 26.0), (SUBTITLE, "body", 14.0), (REPORT_DATE, "body", 12.0),
                    (AUTHOR, "body", 11.0), ("Directie Consulaire Zaken en Migratie", "body", 11.0)]
        big, medium = style.heading_sizes[0] + 4, style.heading_sizes[1]
        return [(TITLE, "bold", big), (SUBTITLE, "body", medium), (f"{AUTHOR}, {REPORT_DATE}", "body", style.body_size)]

    def lay_out(self, composer: Composer, force: set[int] | None = None, force_budget: int = 2, any_note: int = 0,
                measure: str | None = None, defer_budget: int = 0) -> Layout:
        layout = Layout(self.style, self.metrics, composer.notes, composer.links, force or set(), force_budget,
                        any_note, label_measure=measure, defer_budget=defer_budget)
        if self.style.title_page:
            layout.title_page(self.front())
        else:
            layout.title_block(self.front())
        layout.run(composer.blocks)
        return layout

    def settle(self, extra: int, salt: int = 0, **force: Any) -> tuple[Layout, Composer]:
        """Compose and lay out; with per-page numbering, until every note carries its page's label."""
        composer = self.compose(extra, salt)
        return self.relabel(self.lay_out(composer, **force), composer, **force), composer

    def relabel(self, layout: Layout, composer: Composer, **force: Any) -> Layout:
        """Per-page numbering: lay out again until the labels assumed are the labels printed."""
        if self.style.numbering != "page":
            return layout
        measure = None
        for attempt in range(MAX_LABEL_PASSES):
            labels = _page_labels(self.style, layout)
            if all(labels[spec.n] == spec.label for spec in composer.notes):
                return layout
            if attempt + 1 >= FIXED_WIDTH_AFTER:
                # Label widths keep moving lines between pages: measure every marker alike.
                measure = max(_page_label_set(self.style), key=lambda lab: self.metrics.text_width(lab, "body", 10))
            composer.relabel(labels, measure)
            layout = self.lay_out(composer, measure=measure, **force)
        raise RuntimeError("per-page labels did not settle")  # pragma: no cover - fixed widths settle at once


def _page_label_set(style: ReportStyle) -> list[str]:
    """The labels a per-page run may use on one page (the widest decides fixed widths)."""
    count = len(numbering.SYMBOLS) if style.labels == "symbols" else 30
    return [numbering.label(style.labels, i) for i in range(count)]


def _labeler(style: ReportStyle) -> Labeler:
    kind, first = style.labels, style.first_number
    if style.numbering == "document":
        return lambda n, chapter: numbering.label(kind, first - 1 + n - 1)
    if style.numbering == "page":
        start = numbering.label(kind, 0)  # until the layout says which page a note is on
        return lambda n, chapter: start
    counts: Counter[int] = Counter()
    first_chapter: list[int] = []

    def per_chapter(n: int, chapter: int) -> str:
        if not first_chapter:
            first_chapter.append(chapter)
        counts[chapter] += 1
        offset = first - 1 if chapter == first_chapter[0] else 0
        return numbering.label(kind, offset + counts[chapter] - 1)

    return per_chapter


def _page_labels(style: ReportStyle, layout: Layout) -> dict[int, str]:
    """Per-page numbering: each note's label from the order its label is printed on its page."""
    on_page: Counter[int] = Counter()
    labels = {}
    for n, page in layout.note_starts:
        labels[n] = numbering.label(style.labels, on_page[page])
        on_page[page] += 1
    return labels


def _summary_chars(style: ReportStyle, metrics: Metrics) -> int:
    """Characters of small type that fill about ``summary_pages`` pages."""
    size = style.footnote_size
    per_line = style.column_width / (metrics.text_width("een ambtsbericht over Fictiland", "body", size) / 31)
    lines = (style.page_height - style.margin_top - style.margin_bottom) / (size * SMALL_PITCH) * style.columns
    return int(per_line * lines * style.summary_pages * SUMMARY_FILL)


def build_report(path: str | Path, style: str | ReportStyle = "default", chapters: int = 3, seed: int = 0,
                 target_pages: int | None = None, **options: Any) -> ReportTruth:
    """Write a sample report PDF to ``path`` and return what an extractor must find in it.

    ``target_pages`` grows the report with seeded sections until it has about that many pages
    (all hand-written hard cases stay in). ``options`` change fields of the style (see
    :class:`ReportStyle`), e.g. ``numbering="chapter"``; a name that is not a field, or a
    value the style refuses, raises ValueError.
    """
    report_style = resolve_style(style)
    if options:
        unknown = sorted(set(options) - set(style_option_names()))
        if unknown:
            raise ValueError(f"unknown report option {', '.join(map(repr, unknown))}; options are the "
                             f"ReportStyle fields: {', '.join(style_option_names())}")
        report_style = replace(report_style, **options)
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
    run = _Run(report_style, Metrics(report_style), chapters, seed)
    extra = 0
    composer = run.compose(extra)
    layout = run.lay_out(composer)
    if target_pages and len(layout.pages) < target_pages - 2:
        # Estimate from the amount of text (cheap), lay out, then correct once.
        base_pages, base_volume = len(layout.pages), volume(run.items(0)[0])
        per_char = (base_pages - 1) / base_volume

        def estimate(k: int) -> float:
            # Seeded sections carry more notes per line of body text than the core: about 1.28x.
            return base_pages + (volume(run.items(k)[0]) - base_volume) * per_char * 1.28

        per_section = max(0.2, (estimate(20) - base_pages) / 20)
        extra = max(1, round((target_pages - base_pages) / per_section))
        for _ in range(2):
            extra = max(1, extra + round((target_pages - estimate(extra)) / per_section))
        composer = run.compose(extra)
        layout = run.lay_out(composer)
        if abs(len(layout.pages) - target_pages) > 4:
            per_section = max(0.2, (len(layout.pages) - base_pages) / extra)
            extra = max(1, extra + round((target_pages - len(layout.pages)) / per_section))
            composer = run.compose(extra)
            layout = run.lay_out(composer)
    layout = run.relabel(layout, composer)
    force: dict[str, Any] = {}
    for attempt in range(3):
        if len(layout.continued) >= 2:
            break
        # Too few notes happened to straddle a page break: split any long note on a page
        # that is nearly full anyway.
        force = {"force": {spec.n for spec in composer.notes}, "force_budget": 2, "any_note": [1, 3, 100][attempt]}
        layout, composer = run.settle(extra, **force)
    if report_style.defer_notes and not layout.deferred_notes:
        # No note happened to miss its page: send one from a nearly full page to the next.
        force["defer_budget"] = 1
        layout, composer = run.settle(extra, **force)
    salt = 0
    if report_style.repeated_notes:
        while not _repeats_well(layout, composer):
            salt += 1
            if salt >= REPEAT_SALTS:
                raise ValueError("the report is too short for repeated notes on three pages; ask for more pages")
            layout, composer = run.settle(extra, salt, **force)
    truth = _truth(report_style, layout, composer, run.metrics)
    _check(report_style, layout, truth)
    render(path, report_style, layout, run.metrics,
           [running_items(report_style, page, len(layout.pages), run.metrics) for page in layout.pages])
    return truth


def _repeats_well(layout: Layout, composer: Composer) -> bool:
    """Repeated notes stand on several pages and end the note area of several pages."""
    repeated = {spec.n for spec in composer.notes if spec.text in (IBID, SHORT_CITATION)} | layout.ibid
    pages = {layout.note_pages[n][0] for n in repeated}
    last_on_page: dict[int, int] = {}
    for n, page in layout.note_starts:
        last_on_page[page] = n
    ends = sum(1 for page, n in last_on_page.items() if n in repeated and layout.note_pages[n] == [page])
    return len(pages) >= REPEAT_PAGES and ends >= REPEAT_PAGES


def _truth(style: ReportStyle, layout: Layout, composer: Composer, metrics: Metrics) -> ReportTruth:
    truth = composer.truth
    specs = composer.notes
    if style.numbering == "document":
        groups: list[object] = [0] * len(specs)
    elif style.numbering == "chapter":
        groups = [spec.chapter for spec in specs]
    else:
        groups = [layout.note_pages[spec.n][0] for spec in specs]
    runs = numbering.runs_of(groups)
    keys = numbering.keys_of([spec.label for spec in specs], runs)
    once = style.numbering == "document" and style.labels == "arabic"
    ref: dict[int, int | str] = {}
    for spec, run, key in zip(specs, runs, keys):
        pages = layout.note_pages[spec.n]
        text = IBID if spec.n in layout.ibid else spec.text
        truth.notes.append(NoteTruth(spec.label, key, run, text, pages, layout.marker_pages[spec.n], spec.before,
                                     spec.block))
        ref[spec.n] = int(spec.label) if once else key
        if once:
            number = int(spec.label)
            truth.footnotes[number] = text
            truth.markers[number] = spec.before
            truth.note_pages[number] = pages
    if once:
        truth.continued_notes = sorted({int(ref[n]) for n in layout.continued})
        truth.note_pages = dict(sorted(truth.note_pages.items()))
    # Notes printed as "Ibid." lost their titles, URLs and links.
    truth.titles = [record for record in truth.titles if record["note"] not in layout.ibid]
    truth.printed_urls = [record for record in truth.printed_urls if record["note"] not in layout.ibid]
    for record in truth.titles + truth.printed_urls:
        record["note"] = ref[record["note"]]
    truth.links = [dict(link, note=None if link["note"] is None else ref[link["note"]]) for link in composer.links
                   if link["note"] not in layout.ibid]
    truth.page_count = len(layout.pages)
    for page in layout.pages:
        for item in running_items(style, page, truth.page_count, metrics):
            truth.running.append(RunningLine(page.number, item.kind, item.text))
    truth.small_pages = [page.number for page in layout.pages if page.sizes and page.sizes <= {style.footnote_size}]
    return truth


def _check(style: ReportStyle, layout: Layout, truth: ReportTruth) -> None:
    """What the style asks for must be in the report (the fixtures rely on it)."""
    problems = []
    if style.summary_pages and not truth.small_pages:
        problems.append("no page is set entirely in small type")
    if style.defer_notes and not layout.deferred_notes:
        problems.append("no note went to the next page")
    if style.heading_notes and not any(note.block == "heading" for note in truth.notes):
        problems.append("no heading carries a marker")
    if not style.title_page and not any(1 in note.pages for note in truth.notes):
        problems.append("no note on the first page")
    if problems:  # pragma: no cover - a generator bug, not a user error
        raise RuntimeError(f"style {style.name!r}: " + "; ".join(problems))


def bind_reports(path: str | Path, parts: Sequence[tuple[str | Path, ReportTruth]]) -> ReportTruth:
    """Bind generated reports into one PDF at ``path``, in order; return the combined truth.

    Each part keeps its own numbering (so the notes of a later part start a new numbering
    run and get keys such as ``fn3-2``), its running text as printed ("Pagina 3 van 12" of
    the part) and its title page. Page numbers in the truth are those of the bound PDF.
    """
    import pymupdf

    if len(parts) < 2:
        raise ValueError("binding needs at least two reports")
    target = Path(path)
    out = pymupdf.open()
    for pdf, _ in parts:
        with pymupdf.open(str(pdf)) as source:
            out.insert_pdf(source)
    with pymupdf.open(str(parts[0][0])) as first:
        out.set_metadata(first.metadata)
    target.parent.mkdir(parents=True, exist_ok=True)
    out.save(str(target), garbage=2, deflate=True, no_new_id=True)
    out.close()
    return combine_truths([truth for _, truth in parts])


def combine_truths(truths: Sequence[ReportTruth]) -> ReportTruth:
    """The truth of reports bound one after the other (see :func:`bind_reports`)."""
    from toolkit.document import note_key

    first = truths[0]
    combined = ReportTruth(first.title, first.date, "+".join(t.style for t in truths), 0, first.header_text,
                           first.footer_pattern, numbering="bound")
    offset = run_offset = 0
    for truth in truths:
        new_key: dict[object, str] = {}
        for note in truth.notes:
            key = note_key(note.label, note.run + run_offset)
            new_key[note.key] = key
            if truth.once_through:
                new_key[int(note.label)] = key
            combined.notes.append(NoteTruth(note.label, key, note.run + run_offset, note.text,
                                            [p + offset for p in note.pages], note.marker_page + offset, note.before,
                                            note.block))
        for name in ("paragraphs", "headings", "bullets", "captions", "annex_sources", "annex_publishers",
                     "abbreviations", "front_matter"):
            getattr(combined, name).extend(getattr(truth, name))
        for link in truth.links:
            combined.links.append(dict(link, note=None if link["note"] is None else new_key[link["note"]],
                                       page=None if link["page"] is None else link["page"] + offset))
        combined.printed_urls += [dict(url, note=new_key[url["note"]]) for url in truth.printed_urls]
        combined.titles += [dict(title, note=new_key[title["note"]]) for title in truth.titles]
        combined.non_markers = sorted(set(combined.non_markers) | set(truth.non_markers))
        combined.running += [RunningLine(line.page + offset, line.kind, line.text) for line in truth.running]
        combined.small_pages += [p + offset for p in truth.small_pages]
        combined.parts.append({"style": truth.style, "numbering": truth.numbering, "first_page": offset + 1,
                               "page_count": truth.page_count})
        offset += truth.page_count
        run_offset += max((note.run for note in truth.notes), default=0)
    combined.page_count = offset
    return combined
