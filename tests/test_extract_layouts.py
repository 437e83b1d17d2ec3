"""The extractor on the layouts real reports break it with, one regression test per failure class.

Each test builds (once per session) a small generated report that shows one failure
class found on real reports, or reads a LibreOffice fixture from tests/pdfs/layouts/, and
asks what a demanding user expects: every note found with its printed label and key,
in order, with its exact text, on its pages; every anchor at its place; exactly the
running lines in ``doc.running`` and none of them (nor any note text) in the body; the
headings and the body text exactly; valid TEI (see ``notes.differences``). A fixture
check first makes sure the report really shows its case, so a passing test means the
extractor handles it.
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from notes import differences, wordprocessor_truth
from toolkit.sample import BASE_STYLES, STYLES, bind_reports, build_report

LAYOUTS = Path(__file__).parent / "pdfs" / "layouts"
IBID = "Ibid."


@pytest.fixture(scope="session")
def layout_case(tmp_path_factory):
    """(document, truth) for a generated case, built and extracted once per session."""
    from toolkit.extract.pipeline import extract

    folder = tmp_path_factory.mktemp("layout-cases")
    cache: dict = {}

    def get(style: str, **options):
        key = (style, tuple(sorted(options.items())))
        if key not in cache:
            path = folder / f"case-{len(cache)}.pdf"
            truth = build_report(path, style, **options)
            cache[key] = (extract(path, languages=False, citations=False), truth)
        return cache[key]

    return get


def assert_exact(doc, truth, **kwargs) -> None:
    problems = differences(doc, truth, **kwargs)
    assert not problems, "\n".join(problems)


def runs(truth) -> int:
    return len({note.run for note in truth.notes})


# -- numbering -----------------------------------------------------------------------------


def test_notes_numbered_anew_in_each_chapter(layout_case):
    doc, truth = layout_case("default", chapters=3, seed=11, numbering="chapter")
    assert runs(truth) >= 4 and truth.notes[0].label == "1"
    assert_exact(doc, truth)


def test_notes_numbered_anew_on_each_page(layout_case):
    doc, truth = layout_case("letter", chapters=2, seed=12, numbering="page")
    assert runs(truth) >= 8
    assert_exact(doc, truth)


def test_first_note_is_not_1(layout_case):
    doc, truth = layout_case("large", chapters=2, seed=13, first_number=37)
    assert truth.notes[0].label == "37" and truth.notes[-1].label == str(36 + len(truth.notes))
    assert_exact(doc, truth)


@pytest.mark.parametrize("style", ["symbols", "letters"])
def test_symbol_and_letter_labels_per_page(layout_case, style):
    doc, truth = layout_case(style, chapters=2, seed=14)
    labels = Counter(note.label for note in truth.notes)
    assert ("**" in labels and "†" in labels) if style == "symbols" else ("c" in labels)
    assert_exact(doc, truth)


def test_long_report_with_1500_notes(layout_case):
    """About 160 pages and notes 1..1500: four-digit labels, notes that must not swallow others."""
    doc, truth = layout_case("compact", seed=15, target_pages=160)
    assert len(truth.notes) >= 1400 and truth.page_count >= 150
    assert_exact(doc, truth)


def _bound_pairs(count: int = 3) -> list[tuple[tuple[str, int], tuple[str, int]]]:
    """Pairs of (style, seed), drawn once from a fixed seed: a property over styles and seeds."""
    rng = random.Random("coitool-bound-reports")
    styles = sorted(STYLES)
    pairs = []
    while len(pairs) < count:
        first, second = (rng.choice(styles), rng.randrange(1000)), (rng.choice(styles), rng.randrange(1000))
        if first != second:
            pairs.append((first, second))
    return pairs


@pytest.mark.parametrize("first, second", _bound_pairs())
def test_bound_reports_give_both_reports_notes_exactly(tmp_path, first, second):
    """Several documents bound in one PDF (an annex with notes of its own): both parts' notes, exactly."""
    from toolkit.extract.pipeline import extract

    parts = []
    for i, (style, seed) in enumerate((first, second)):
        path = tmp_path / f"part{i}.pdf"
        parts.append((path, build_report(path, style, chapters=1, seed=seed)))
    truth = bind_reports(tmp_path / "bound.pdf", parts)
    doc = extract(tmp_path / "bound.pdf", languages=False, citations=False)
    assert len(truth.notes) == len(parts[0][1].notes) + len(parts[1][1].notes)
    assert_exact(doc, truth, aspects=("notes", "anchors", "tei"))


# -- labels in the note area ---------------------------------------------------------------

LABEL_FORMS = {
    "dot-tab": dict(note_label_format="{}.", note_label_gap="tab", note_tab=18.0, note_indent=18.0,
                    note_label_font="plain"),  # Word: "37." then a tab
    "superscript-tab": dict(note_label_gap="tab", note_tab=10.0, note_first_indent=8.0, note_indent=0.0),  # InDesign
    "wide-gap": dict(note_label_gap="tab", note_tab=24.0, note_indent=0.0, note_label_font="plain"),
    "paren": dict(note_label_format="{})", note_label_font="plain"),
    "bracket": dict(note_label_format="[{}]", note_label_font="plain", note_indent=16.0),
    "alone-on-line": dict(note_label_gap="line", note_label_font="plain", note_indent=8.0),
    "bold": dict(note_label_font="bold", note_indent=12.0),
}


@pytest.mark.parametrize("form", list(LABEL_FORMS))
def test_note_labels_in_every_form(layout_case, form):
    doc, truth = layout_case("default", chapters=2, seed=16, **LABEL_FORMS[form])
    assert_exact(doc, truth)


# -- running text --------------------------------------------------------------------------


def test_two_line_header_right_above_the_body(layout_case):
    doc, truth = layout_case("default", chapters=2, seed=17, header="two-line", header_gap=0.0, footer_format="")
    assert {line.kind for line in truth.running} == {"header", "pageNum"}
    assert_exact(doc, truth)


def test_page_number_right_under_the_notes(layout_case):
    doc, truth = layout_case("default", chapters=2, seed=18, footer_position="under-notes")
    assert_exact(doc, truth)


def test_odd_and_even_pages_differ(layout_case):
    doc, truth = layout_case("letter", chapters=2, seed=19, header="odd-even", footer_format="")
    assert_exact(doc, truth)


def test_first_page_differs_and_carries_a_note(layout_case):
    doc, truth = layout_case("default", chapters=2, seed=20, title_page=False)
    assert truth.notes[0].pages == [1] and not [line for line in truth.running if line.page == 1 and line.kind == "header"]
    assert_exact(doc, truth)


def test_chapter_titles_in_the_running_header(layout_case):
    doc, truth = layout_case("default", chapters=3, seed=21, header="chapter")
    assert len({line.text for line in truth.running if line.kind == "header"}) >= 4
    assert_exact(doc, truth)


def test_running_header_in_the_body_size(layout_case):
    doc, truth = layout_case("large", chapters=2, seed=22, header="chapter", header_size=12.0)
    assert_exact(doc, truth)


# -- pages and notes -----------------------------------------------------------------------


def test_pages_set_entirely_in_the_note_size(layout_case):
    doc, truth = layout_case("default", chapters=2, seed=23, summary_pages=2)
    assert len(truth.small_pages) >= 2
    assert_exact(doc, truth)


def test_notes_repeated_word_for_word_on_many_pages(layout_case):
    """"Ibid." alone at the foot of many pages, at the same height: it is not a running footer."""
    doc, truth = layout_case("letter", seed=24, target_pages=20, repeated_notes=True, footer_format="")
    last = {}  # the last note whose label is printed on each page
    for note in truth.notes:
        last[note.pages[0]] = note
    assert sum(1 for page, note in last.items() if note.text == IBID and note.pages == [page]) >= 3
    assert_exact(doc, truth)


def test_note_printed_on_the_page_after_its_marker(layout_case):
    doc, truth = layout_case("letter", chapters=3, seed=25, defer_notes=True)
    assert any(note.marker_page < note.pages[0] for note in truth.notes)
    assert_exact(doc, truth)


def test_marker_on_a_heading(layout_case):
    doc, truth = layout_case("compact", chapters=2, seed=26, heading_notes=True)
    assert [note.block for note in truth.notes].count("heading") == 2
    assert_exact(doc, truth)


def test_three_columns_with_notes_at_the_foot_of_each(layout_case):
    doc, truth = layout_case("columns3", chapters=2, seed=27)
    assert_exact(doc, truth)


# -- the named layouts, each a realistic combination ----------------------------------------


@pytest.mark.parametrize("style", [name for name in STYLES if name not in BASE_STYLES])
def test_named_layout(layout_case, style):
    doc, truth = layout_case(style, chapters=2, seed=28)
    assert_exact(doc, truth)


# -- word-processor PDFs -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name[: -len(".truth.json")] for p in LAYOUTS.glob("*.truth.json")))
def test_wordprocessor_layout(name):
    """LibreOffice: notes numbered per chapter, per page; header on the body, footer under the notes."""
    from toolkit.extract.pipeline import extract

    truth = wordprocessor_truth(LAYOUTS / f"{name}.truth.json")
    doc = extract(LAYOUTS / f"{name}.pdf", languages=False, citations=False)
    assert_exact(doc, truth)
