"""The extract/validate command line: exit codes, one-line errors, no partial output, input untouched."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pymupdf
import pytest
from click.testing import CliRunner

from lxml import etree

from toolkit.cli import LAZY_COMMANDS, main
from toolkit.tei import validate_file, validate_tei


def run(*args, **kwargs):
    runner = CliRunner()
    return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_one_line_error(result, *words):
    assert result.exit_code != 0
    lines = [l for l in result.output.splitlines() if l.strip()]
    errors = [l for l in lines if l.startswith("Error:")]
    assert len(errors) == 1, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word.lower() in errors[0].lower(), errors[0]


@pytest.mark.parametrize("command", sorted(LAZY_COMMANDS))
def test_every_command_has_help_with_examples(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    assert "Example" in result.output or "example" in result.output


def test_version_and_short_help():
    assert run("--version").output.startswith("coitool, version")
    result = run("-h")
    assert result.exit_code == 0 and "extract" in result.output


def test_help_is_fast_and_imports_nothing_heavy():
    code = "import sys, toolkit.cli; print(sorted(m for m in ('pymupdf','lxml','argostranslate','ctranslate2','lingua','pymorphy3') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_not_a_pdf(tmp_path):
    bad = tmp_path / "notes.pdf"
    bad.write_text("this is plain text, not a PDF\n")
    before = digest(bad)
    result = run("extract", str(bad), "-o", str(tmp_path / "out.xml"))
    assert_one_line_error(result, "not a PDF")
    assert result.exit_code == 1
    assert not (tmp_path / "out.xml").exists()
    assert digest(bad) == before


def test_empty_file(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    result = run("extract", str(empty), "-o", str(tmp_path / "out.xml"))
    assert_one_line_error(result, "empty")
    assert not (tmp_path / "out.xml").exists()


def test_truncated_pdf(tmp_path, small_pdf):
    data = small_pdf.read_bytes()
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(data[: len(data) // 3])
    before = digest(broken)
    result = run("extract", str(broken), "-o", str(tmp_path / "out.xml"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Error:" in result.output
    assert not (tmp_path / "out.xml").exists()
    assert digest(broken) == before


def test_garbage_after_pdf_header(tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"%PDF-1.7\n" + os.urandom(4000))
    result = run("extract", str(junk), "-o", str(tmp_path / "out.xml"))
    assert_one_line_error(result)
    assert result.exit_code == 1


def test_encrypted_pdf(tmp_path, small_pdf):
    locked = tmp_path / "locked.pdf"
    doc = pymupdf.open(small_pdf)
    doc.save(locked, encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="geheim", owner_pw="geheim2")
    result = run("extract", str(locked), "-o", str(tmp_path / "out.xml"))
    assert_one_line_error(result, "encrypted")


def test_scanned_pdf_without_text_layer(tmp_path):
    scanned = tmp_path / "scan.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    pix = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), False)
    pix.clear_with(200)
    page.insert_image(page.rect, pixmap=pix)
    doc.save(scanned)
    result = run("extract", str(scanned), "-o", str(tmp_path / "out.xml"))
    assert_one_line_error(result, "no text layer")


def test_directory_without_pdfs(tmp_path):
    folder = tmp_path / "nothing"
    folder.mkdir()
    (folder / "readme.txt").write_text("no pdf here")
    result = run("extract", str(folder))
    assert_one_line_error(result, "no PDF")
    assert result.exit_code == 1


def test_missing_input(tmp_path):
    result = run("extract", str(tmp_path / "absent.pdf"), "-o", str(tmp_path / "o.xml"))
    assert_one_line_error(result, "no such file")


def test_unwritable_output_path(tmp_path, small_pdf):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = run("extract", str(small_pdf), "--no-langid", "-o", str(blocker / "out.xml"))
    assert_one_line_error(result, "cannot write")
    assert result.exit_code == 1


def test_existing_output_survives_a_failed_run(tmp_path):
    out = tmp_path / "out.xml"
    out.write_text("<previous/>")
    bad = tmp_path / "bad.pdf"
    bad.write_text("nope")
    result = run("extract", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert out.read_text() == "<previous/>"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_usage_errors_exit_2(tmp_path, small_pdf):
    assert run("extract").exit_code == 2
    assert run("extract", str(small_pdf), str(small_pdf), "-o", str(tmp_path / "x.xml")).exit_code == 2
    assert run("extract", str(small_pdf), "-o", "a.xml", "--out-dir", str(tmp_path)).exit_code == 2
    assert run("extract", str(small_pdf), "--format", "docx").exit_code == 2


def test_batch_one_bad_file_does_not_stop_the_others(tmp_path, small_pdf):
    folder = tmp_path / "in"
    folder.mkdir()
    good = folder / "good.pdf"
    good.write_bytes(small_pdf.read_bytes())
    (folder / "bad.pdf").write_text("not a pdf")
    out_dir = tmp_path / "out"
    result = run("extract", str(folder), "--out-dir", str(out_dir), "--jobs", "2", "--no-langid")
    assert result.exit_code == 1
    assert validate_file(out_dir / "good.tei.xml") == []
    assert not (out_dir / "bad.tei.xml").exists()
    assert "1 of 2 files extracted, 1 failed." in result.output
    assert result.output.count("Error:") == 1


def test_stdout_output(small_pdf):
    result = run("extract", str(small_pdf), "--no-langid", "-o", "-")
    assert result.exit_code == 0
    assert "<TEI" in result.output and "Dit is pagina 1" in result.output
    assert validate_tei(etree.ElementTree(etree.fromstring(result.stdout_bytes))) == []


def test_json_output(tmp_path, small_pdf):
    import json

    out = tmp_path / "doc.json"
    result = run("extract", str(small_pdf), "--no-langid", "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert data["type"] == "document" and data["schemaVersion"] == 2
    assert data["source"]["page_count"] == 2


def test_validate_reports_problems(tmp_path, small_pdf):
    out = tmp_path / "ok.xml"
    assert run("extract", str(small_pdf), "--no-langid", "-o", str(out)).exit_code == 0
    assert run("validate", str(out)).exit_code == 0
    broken = tmp_path / "broken.xml"
    text = out.read_text().replace("<body>", '<body><p><ref target="#nowhere">x</ref></p>', 1)
    broken.write_text(text)
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert "points nowhere" in result.output
    notxml = tmp_path / "n.xml"
    notxml.write_text("<TEI>")
    result = run("validate", str(notxml))
    assert result.exit_code == 1 and "not well-formed" in result.output


def test_control_characters_are_cleaned(tmp_path):
    path = tmp_path / "ctrl.pdf"
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "Tekst met\x07 een belletje en\x0b tab.", fontsize=11)
    doc.set_metadata({"title": "Titel\x01 met stuurteken"})
    doc.save(path)
    out = tmp_path / "ctrl.xml"
    result = run("extract", str(path), "--no-langid", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert run("validate", str(out)).exit_code == 0
