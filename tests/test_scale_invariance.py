"""Every layout rule is relative: the same report scaled (fonts, margins, page) gives the same model."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from toolkit.extract.pipeline import extract
from toolkit.jsonout import document_to_json

PDFS = Path(__file__).parent / "pdfs"


def scaled_copy(source: Path, target: Path, factor: float) -> None:
    """The PDF with every page scaled by ``factor``: text, rules and link rectangles alike."""
    src = pymupdf.open(source)
    out = pymupdf.open()
    out.set_metadata(src.metadata)  # the same report: its title and dates do not change with its size
    for page in src:
        new = out.new_page(width=page.rect.width * factor, height=page.rect.height * factor)
        new.show_pdf_page(new.rect, src, page.number)
        for link in page.get_links():
            if link.get("kind") == pymupdf.LINK_URI:
                new.insert_link({"kind": pymupdf.LINK_URI, "from": link["from"] * pymupdf.Matrix(factor, factor), "uri": link["uri"]})
    out.save(target)


def model(path: Path) -> dict:
    """The document model as JSON, without what describes the file rather than the report."""
    data = document_to_json(extract(path, languages=False, citations=False))
    data.pop("source")
    return data


@pytest.fixture(scope="module")
def reports(make_report):
    return {
        "generated-default": make_report("default")[0],
        "generated-compact": make_report("compact")[0],
        "libreoffice-word-style": PDFS / "lo-word-style.pdf",
    }


@pytest.mark.parametrize("name", ["generated-default", "generated-compact", "libreoffice-word-style"])
@pytest.mark.parametrize("factor", [0.8, 1.4])
def test_scaled_report_gives_the_identical_model(reports, tmp_path, name, factor):
    source = reports[name]
    target = tmp_path / f"{name}-{factor}.pdf"
    scaled_copy(source, target, factor)
    assert pymupdf.open(target)[0].rect.width == pytest.approx(pymupdf.open(source)[0].rect.width * factor)
    original = model(source)
    assert original["footnotes"] and original["blocks"]
    assert model(target) == original
