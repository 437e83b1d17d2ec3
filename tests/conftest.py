"""Shared fixtures: generated reports (one per layout style), extracted once per session."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def report_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="session")
def make_report(report_dir):
    """Build (once) a generated report for a style and return (pdf path, truth)."""
    from toolkit.sample import build_report

    cache: dict = {}

    def make(style: str = "default", **options):
        key = (style, tuple(sorted(options.items())))
        if key not in cache:
            path = report_dir / f"{style}-{len(cache)}.pdf"
            truth = build_report(path, style=style, **options)
            cache[key] = (path, truth)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def extracted(make_report):
    """(document, truth, pdf path) for a style, extracted once without language tagging."""
    from toolkit.core import extract

    cache: dict = {}

    def get(style: str = "default"):
        if style not in cache:
            path, truth = make_report(style)
            cache[style] = (extract(path, languages=False, citations=False), truth, path)
        return cache[style]

    return get


@pytest.fixture()
def small_pdf(tmp_path):
    """A plain two-page PDF with a text layer."""
    import pymupdf

    path = tmp_path / "small.pdf"
    doc = pymupdf.open()
    for i in range(2):
        page = doc.new_page()
        page.insert_text((72, 100), f"Dit is pagina {i + 1} van een klein verslag.", fontsize=11)
    doc.save(path)
    return path
