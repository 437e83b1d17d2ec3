"""The sample report generator, checked against the PDF's own text layer with plain PyMuPDF.

If the fixtures lie, every extractor test built on them lies too: so the truth the generator
returns is compared here with what PyMuPDF actually reads from the written file.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.sample.generator import STYLES, ReportStyle, ReportTruth, build_report

SUPERSCRIPT = 1


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, tuple[Path, ReportTruth]]:
    folder = tmp_path_factory.mktemp("reports")
    built = {}
    for name in STYLES:
        path = folder / f"{name}.pdf"
        built[name] = (path, build_report(path, name, seed=3))
    return built


def _spans(page: pymupdf.Page) -> list[dict]:
    out = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                if span["text"].strip():
                    out.append(span)
    return out


def _body_stream(doc: pymupdf.Document, style: ReportStyle) -> str:
    """Body-size text of the whole document, markers as <n>, lines joined like an extractor would."""
    parts: list[str] = []
    for page in doc:
        for block in page.get_text("dict", sort=True)["blocks"]:
            for line in block.get("lines", []):
                spans = line["spans"]
                y = spans[0]["origin"][1]
                if y < style.margin_top or y > style.page_height - style.margin_bottom:
                    continue  # running header and footer
                if not any(abs(sp["size"] - style.body_size) < 0.05 and sp["text"].strip() for sp in spans):
                    continue  # headings, notes, captions
                text = ""
                for span in spans:
                    if span["flags"] & SUPERSCRIPT and span["size"] < style.body_size * 0.8:
                        text += re.sub(r"\d+", lambda m: f"<{m.group(0)}>", span["text"])
                    else:
                        text += span["text"]
                parts.append(text.strip())
    joined = ""
    for line in parts:
        if joined.endswith("-") and line[:1].isalpha():
            joined += line  # compound word broken at the hyphen: keep the hyphen, no space
        else:
            joined += " " + line
    return joined


@pytest.mark.parametrize("name", list(STYLES))
def test_pdf_opens_with_metadata_and_page_count(reports, name):
    path, truth = reports[name]
    with pymupdf.open(path) as doc:
        assert doc.page_count == truth.page_count >= 8
        assert doc.metadata["author"] == "Ministerie van Buitenlandse Zaken"
        assert doc.metadata["title"].startswith(truth.title)
        assert doc.metadata["creationDate"].startswith("D:2025")
        style = STYLES[name]
        assert doc[0].rect.width == pytest.approx(style.page_width, abs=1)


@pytest.mark.parametrize("name", list(STYLES))
def test_every_marker_is_a_raised_small_superscript_in_note_order(reports, name):
    path, truth = reports[name]
    style = STYLES[name]
    seen: list[int] = []
    with pymupdf.open(path) as doc:
        for page in doc:
            spans = _spans(page)
            body_baselines = [s["origin"][1] for s in spans if abs(s["size"] - style.body_size) < 0.05]
            for span in spans:
                if abs(span["size"] - style.body_size * 0.62) > 0.05:
                    continue
                assert span["flags"] & SUPERSCRIPT, span
                # raised: its baseline sits above the nearest body baseline
                nearest = min(body_baselines, key=lambda y: abs(y - span["origin"][1]))
                assert 0.2 * style.body_size < nearest - span["origin"][1] < 0.5 * style.body_size
                seen += [int(n) for n in span["text"].split()]
    assert seen == list(range(1, len(truth.footnotes) + 1))


@pytest.mark.parametrize("name", ["default", "compact"])  # styles without soft hyphenation
def test_body_text_paragraphs_and_marker_contexts_match_truth(reports, name):
    path, truth = reports[name]
    with pymupdf.open(path) as doc:
        stream = _body_stream(doc, STYLES[name])
    plain = re.sub(r"\s+", " ", re.sub(r"<\d+>", "", stream))
    for paragraph in truth.paragraphs:
        assert paragraph in plain, paragraph[:60]
    for n, context in truth.markers.items():
        before = stream[: stream.index(f"<{n}>")]
        before = re.sub(r"\s+", " ", re.sub(r"<\d+>", "", before)).rstrip()
        assert before.endswith(context), (n, context, before[-40:])
    for text in truth.non_markers:
        assert text in plain
    for hard in ("maart 2023<1>", "tussen de 100<", "159.7<", "paragraaf 1.2.2.<", "SNILS<", "roebel. <", "COI<"):
        assert hard in stream, hard


@pytest.mark.parametrize("name", list(STYLES))
def test_continued_notes_really_span_two_pages(reports, name):
    path, truth = reports[name]
    style = STYLES[name]
    assert len(truth.continued_notes) >= 2
    with pymupdf.open(path) as doc:
        for n in truth.continued_notes:
            first, second = truth.note_pages[n][:2]
            assert second == first + 1
            # the next page's footnote area starts with the rest of note n, without a number
            notes = [s for s in _spans(doc[second - 1]) if abs(s["size"] - style.footnote_size) < 0.05
                     and style.margin_top < s["origin"][1] < style.page_height - style.margin_bottom]
            top = min(notes, key=lambda s: (round(s["origin"][1], 1), s["origin"][0]))
            assert top["origin"][0] >= style.margin_left - 0.5
            assert top["text"].strip() in truth.footnotes[n]
            assert not (top["flags"] & SUPERSCRIPT)


@pytest.mark.parametrize("name", list(STYLES))
def test_links_cover_exactly_their_text(reports, name):
    path, truth = reports[name]
    found: dict[str, list[str]] = defaultdict(list)
    with pymupdf.open(path) as doc:
        for page in doc:
            chars = [(c["c"], (c["bbox"][0] + c["bbox"][2]) / 2, c["bbox"][3] - (c["bbox"][3] - c["bbox"][1]) * 0.4)
                     for block in page.get_text("rawdict")["blocks"] for line in block.get("lines", [])
                     for span in line["spans"] for c in span["chars"]]
            for link in page.get_links():
                x0, y0, x1, y1 = link["from"]
                inside = "".join(c for c, x, y in chars if x0 <= x <= x1 and y0 <= y <= y1)
                found[link["uri"]].append(re.sub(r"\s+", " ", inside).strip())
    expected: dict[str, list[dict]] = defaultdict(list)
    for link in truth.links:
        expected[link["uri"]].append(link)
    assert set(found) == set(expected)
    multi_line_title = False
    for uri, links in expected.items():
        pieces = found[uri]
        assert len(pieces) == sum(link["rects"] for link in links)
        for link in links:
            parts, pieces = pieces[: link["rects"]], pieces[link["rects"]:]
            text = parts[0]
            for part in parts[1:]:
                glue = "" if link["text"] == uri or text.endswith("-") else " "
                text += glue + part
            assert text == link["text"], (link, text)
            multi_line_title |= link["rects"] > 1 and link["note"] is not None and link["text"] != uri
    assert multi_line_title
    assert any(link["note"] is None for link in truth.links)  # a link in the body too


@pytest.mark.parametrize("name", list(STYLES))
def test_running_header_footer_and_notes_on_their_pages(reports, name):
    path, truth = reports[name]
    with pymupdf.open(path) as doc:
        texts = [page.get_text() for page in doc]
    assert truth.header_text not in texts[0]
    for number, text in enumerate(texts[1:], start=2):
        assert truth.header_text in text
        assert truth.footer_pattern.format(n=number, m=truth.page_count) in text
    for n, note in truth.footnotes.items():
        here = " ".join(texts[p - 1] for p in truth.note_pages[n])
        here = re.sub(r"\s+", " ", here)
        for word in note.split()[:12]:
            if not word.startswith("http"):
                assert word in here, (n, word)
    assert "" in truth.footnotes.values()  # the empty note
    langs = {title["lang"] for title in truth.titles}
    assert {"nl", "en", "de", "ru", "no"} <= langs
    for url in truth.printed_urls:
        assert url["url"].startswith("https://")


def test_glued_note_number_and_cyrillic_text(reports):
    path, truth = reports["default"]
    with pymupdf.open(path) as doc:
        text = " ".join(page.get_text() for page in doc)
    assert truth.footnotes[1].startswith("Ministerie van Buitenlandse Zaken")
    assert "Единый реестр сведений" in text
    assert any(t["lang"] == "ru" and re.search("[а-я]", t["text"]) for t in truth.titles)
    assert truth.abbreviations[0] == ("AWOL", "Absent Without Leave")
    assert any(item.endswith("(RU).") or "(RU)" in item for item in truth.annex_sources)
    levels = {level for level, _, _ in truth.headings}
    assert levels == {1, 2, 3, 4}
    assert truth.bullets and truth.captions[0].startswith("Bron:")


def test_long_report_reaches_target_pages_quickly(tmp_path):
    start = time.perf_counter()
    truth = build_report(tmp_path / "long.pdf", "default", target_pages=100)
    elapsed = time.perf_counter() - start
    assert abs(truth.page_count - 100) <= 10
    assert elapsed < 10  # about 2 s on a laptop; generous for slow CI machines
    with pymupdf.open(tmp_path / "long.pdf") as doc:
        assert doc.page_count == truth.page_count
    assert truth.markers[1].endswith("maart 2023")
    assert len(truth.continued_notes) >= 2


@pytest.mark.parametrize("chapters", [1, 5])
def test_chapter_counts_keep_every_hard_case(tmp_path, chapters):
    truth = build_report(tmp_path / "c.pdf", "compact", chapters=chapters, seed=1)
    numbered = [number for level, number, _ in truth.headings if level == 1 and number]
    assert len(numbered) == chapters + 1  # plus the annex
    contexts = " | ".join(truth.markers.values())
    for hard in ("SNILS", "tussen de 100", "159.7", "paragraaf 1.2.2."):
        assert hard in contexts or hard.replace("1.2.2", "1.") in contexts


def test_same_seed_same_bytes_other_seed_other_text(tmp_path):
    a = build_report(tmp_path / "a.pdf", "default", seed=5)
    b = build_report(tmp_path / "b.pdf", "default", seed=5)
    c = build_report(tmp_path / "c.pdf", "default", seed=6)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert a == b
    assert a.paragraphs != c.paragraphs


def test_truth_json_round_trip(reports):
    _, truth = reports["letter"]
    again = ReportTruth.from_json(truth.to_json())
    assert again == truth
    assert isinstance(next(iter(again.footnotes)), int)


@pytest.mark.parametrize("change, message", [
    ({"body_font": "comic"}, "pymupdf-fonts"),
    ({"footnote_size": 12.0}, "footnote_size"),
    ({"margin_top": 5.0}, "margins"),
    ({"margin_left": 300.0, "margin_right": 300.0}, "narrower"),
    ({"heading_sizes": (8.0, 12.0, 10.0)}, "heading_sizes"),
    ({"first_line_indent": 0.0, "paragraph_gap": 0.0}, "paragraphs"),
])
def test_style_rejects_nonsense(change, message):
    from dataclasses import replace

    with pytest.raises(ValueError, match=message):
        replace(STYLES["default"], **change)


def test_unknown_style_and_bad_arguments():
    with pytest.raises(ValueError, match="unknown style"):
        build_report("/nonexistent/x.pdf", "fancy")
    with pytest.raises(ValueError, match="chapters"):
        build_report("/nonexistent/x.pdf", chapters=0)


def test_cli_writes_pdf_and_truth(tmp_path):
    out = tmp_path / "new" / "dir" / "sample.pdf"
    truth_path = tmp_path / "sample.truth.json"
    result = CliRunner().invoke(main, ["sample", str(out), "--style", "large", "--seed", "2",
                                       "--truth", str(truth_path)])
    assert result.exit_code == 0, result.output
    truth = ReportTruth.from_json(truth_path.read_text(encoding="utf-8"))
    with pymupdf.open(out) as doc:
        assert doc.page_count == truth.page_count
    assert truth.style == "large"
    assert not list(out.parent.glob("*.part"))


def test_cli_errors_are_one_line_without_partial_files(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["sample", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().startswith("Error:") and len(result.output.strip().splitlines()) == 1
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(main, ["sample", str(blocker / "sub" / "s.pdf")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error:")
    result = runner.invoke(main, ["sample", str(tmp_path / "s.pdf"), "--style", "fancy"])
    assert result.exit_code == 2
    assert not (tmp_path / "s.pdf").exists()
    assert runner.invoke(main, ["sample", "--help"]).output.count("coitool sample") >= 3
