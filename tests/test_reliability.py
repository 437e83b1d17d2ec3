"""Damaged input and interrupted runs: clear errors, valid output, nothing lost or half-written."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pymupdf
import pytest
from lxml import etree

from toolkit.text import sentence_ends, uri_reference
from toolkit.translate.segment import split_sentences

COITOOL = [sys.executable, "-c", "from toolkit.cli import main; main()"]


def test_link_targets_are_valid_uri_references_and_valid_ones_unchanged():
    assert uri_reference("https://example.org/100%-sure") == "https://example.org/100%25-sure"
    assert uri_reference("https://a.org/a b\\c[1]") == "https://a.org/a%20b%5Cc%5B1%5D"
    assert uri_reference("https://ru.org/путь?q=1") == "https://ru.org/%D0%BF%D1%83%D1%82%D1%8C?q=1"
    for ok in ("https://a.org/%41ok?x=1&y=(2)#f", "https://www.rijksoverheid.nl/documenten/ambtsberichten"):
        assert uri_reference(ok) == ok


def test_a_hostile_link_becomes_a_valid_target_and_the_text_keeps_it(tmp_path):
    pdf = tmp_path / "links.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Zie het rapport van de organisatie over dienstplicht.", fontsize=11)
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 88, 200, 104), "uri": "https://example.org/100%-sure [x]"})
    doc.save(pdf)
    out = tmp_path / "links.tei.xml"
    run = subprocess.run(COITOOL + ["extract", str(pdf), "-o", str(out), "--no-langid"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    targets = etree.parse(str(out)).xpath("//*[local-name()='ref']/@target")
    assert targets == ["https://example.org/100%25-sure%20%5Bx%5D"]
    valid = subprocess.run(COITOOL + ["validate", str(out)], capture_output=True, text=True)
    assert valid.returncode == 0, valid.stderr + valid.stdout


@pytest.mark.parametrize("text", [".", "!?", "…"])
def test_sentence_ends_are_linear_on_runs_of_marks(text):
    def cost(n):
        start = time.perf_counter()
        split_sentences(text * n + " Слово")
        return time.perf_counter() - start

    cost(1000)  # warm the regular expression
    small, large = cost(5_000), cost(50_000)
    # Ten times the text may cost ten times as much, with room for timer noise; the
    # quadratic scan took a hundred times as long (12 s for 20,000 dots).
    assert large < 30 * small + 0.05


def test_sentence_ends_still_split_after_a_run_of_marks():
    text = "Hij kreeg een oproep... Daarna vertrok hij. Toen?! Niets."
    assert [m.group("punct") for m in sentence_ends(text)] == ["...", ".", "?!"]


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_stops_extraction_with_its_status_and_no_partial_file(tmp_path, signum, status):
    pdf = tmp_path / "long.pdf"
    subprocess.run(COITOOL + ["sample", str(pdf), "--pages", "150", "--seed", "4"], check=True, capture_output=True)
    out = tmp_path / "out" / "long.tei.xml"
    process = subprocess.Popen(COITOOL + ["extract", str(pdf), "-o", str(out)], stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)  # the interpreter is up and the pages are being read
    assert process.poll() is None, "extraction ended before the signal"
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == status
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("Error: ")
    assert not out.exists()
    assert [p.name for p in out.parent.iterdir()] == [] if out.parent.exists() else True
