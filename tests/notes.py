"""Footnotes of an extracted document, looked up the way a test's ground truth names them,
and an extracted document compared with a report's ground truth, note by note."""

from __future__ import annotations

import json
from pathlib import Path


def numbered(doc) -> dict:
    """The notes of a document numbered once through (1..N): {number: Footnote}.

    Fails when a number occurs twice, so a test written for one numbering run never
    silently reads a note of another run.
    """
    out: dict = {}
    for note in doc.footnotes.values():
        assert note.number is not None, f"note {note.key} has the label {note.label!r}, not a number"
        assert note.number not in out, f"note number {note.number} occurs twice ({out[note.number].key}, {note.key})"
        out[note.number] = note
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


def anchors(doc) -> list[tuple[str, str]]:
    """Every note anchor in reading order: (key, the body text of its block before it)."""
    from toolkit.document import Division, ItemList, NoteAnchor, Paragraph, Span, Table, Text, iter_blocks

    found: list[tuple[str, str]] = []

    def walk(content, acc):
        for node in content:
            if isinstance(node, Text):
                acc.append(node.text)
            elif isinstance(node, Span):
                walk(node.children, acc)
            elif isinstance(node, NoteAnchor):
                found.append((node.key, _norm("".join(acc))))

    for block in iter_blocks(doc.blocks):
        if isinstance(block, Division):
            walk(block.head, [])
        elif isinstance(block, Paragraph):
            walk(block.content, [])
        elif isinstance(block, ItemList):
            for item in block.items:
                walk(item.content, [])
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    walk(cell, [])
    return found


def wordprocessor_truth(path: Path):
    """A LibreOffice fixture's truth (tests/pdfs/layouts/) as a ReportTruth."""
    from toolkit.sample import NoteTruth, ReportTruth, RunningLine

    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    paragraphs = raw["paragraphs"]
    return ReportTruth(
        title="", date="", style=raw["source"], page_count=raw["pages"], header_text=raw["header"],
        footer_pattern=raw["footer"] or "",
        paragraphs=[p["text"] for p in paragraphs if p["kind"] == "p"],
        bullets=[p["text"] for p in paragraphs if p["kind"] == "item"],
        captions=[p["text"] for p in paragraphs if p["kind"] == "caption"],
        headings=[tuple(h) for h in raw["headings"]],
        numbering=raw["numbering"],
        notes=[NoteTruth(**note) for note in raw["notes"]],
        running=[RunningLine(**line) for line in raw["running"]],
    )


def _where_texts_differ(got: str, want: str, context: int = 35) -> str:
    at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
    start = max(0, at - context)
    return f"{got[start:at + context]!r} != {want[start:at + context]!r}"


def _first_difference(found: list, wanted: list) -> str:
    for i, (a, b) in enumerate(zip(found, wanted)):
        if a != b:
            return f"first difference at #{i + 1}: found {a!r}, expected {b!r}"
    return f"found {len(found)}, expected {len(wanted)}"


ASPECTS = ("notes", "anchors", "running", "body", "tei")


def differences(doc, truth, aspects: tuple[str, ...] = ASPECTS, limit: int = 6) -> list[str]:
    """What an extracted document gets wrong against a report's ground truth, one line per kind.

    ``notes``: every note with its label and key, in order, with its exact text and pages;
    ``anchors``: every anchor in reading order at its place; ``running``: exactly the
    running lines recorded; ``body``: the headings, the text of the body paragraphs exactly
    (so no running line or note in it), no note text anywhere in the body; ``tei``: valid TEI.
    """
    from toolkit.tei import document_to_tei, validate_tei

    unknown = set(aspects) - set(ASPECTS)
    assert not unknown, f"unknown aspects {unknown}"
    problems: list[str] = []
    if "notes" in aspects:
        problems += _note_differences(doc, truth, limit)
    if "anchors" in aspects:
        problems += _anchor_differences(doc, truth, limit)
    if "running" in aspects:
        running = sorted((r.page, r.kind, _norm(r.text)) for r in doc.running)
        wanted_running = sorted((r.page, r.kind, _norm(r.text)) for r in truth.running)
        if running != wanted_running:
            missing = [r for r in wanted_running if r not in running]
            extra = [r for r in running if r not in wanted_running]
            problems.append(f"running lines: {len(missing)} missing, e.g. {missing[:limit // 2]}; "
                            f"{len(extra)} not running text, e.g. {extra[:limit // 2]}")
    if "body" in aspects:
        problems += _body_differences(doc, truth, limit)
    if "tei" in aspects:
        try:
            errors = validate_tei(document_to_tei(doc))
        except Exception as error:  # a TEI writer failing on a document is a finding too
            errors = [f"{type(error).__name__}: {error}"]
        if errors:
            problems.append(f"TEI: {len(errors)} errors, e.g. {errors[:2]}")
    return problems


def _note_differences(doc, truth, limit: int) -> list[str]:
    from toolkit.document import plain_text

    problems = []
    notes = list(doc.footnotes.values())
    found = [(n.key, n.label) for n in notes]
    wanted = [(n.key, n.label) for n in truth.notes]
    if found != wanted:
        problems.append(f"notes (key, label): {len(found)} found, {len(wanted)} expected; "
                        + _first_difference(found, wanted))
    by_key = doc.footnotes
    texts = [(n.key, _norm(plain_text(by_key[n.key].content)), _norm(n.text)) for n in truth.notes if n.key in by_key]
    wrong = [(key, got, want) for key, got, want in texts if got != want]
    if wrong:
        problems.append(f"note texts: {len(wrong)} of {len(texts)} found notes differ, e.g. "
                        + "; ".join(f"{k}: {_where_texts_differ(g, w)}" for k, g, w in wrong[:limit // 2]))
    pages = [(n.key, by_key[n.key].pages, n.pages) for n in truth.notes if n.key in by_key and by_key[n.key].pages != n.pages]
    if pages:
        problems.append(f"note pages: {len(pages)} differ, e.g. " + "; ".join(f"{k}: {g} != {w}" for k, g, w in pages[:limit]))
    return problems


def _anchor_differences(doc, truth, limit: int) -> list[str]:
    problems = []
    placed = anchors(doc)
    order = [key for key, _ in placed]
    if order != [n.key for n in truth.notes]:
        problems.append(f"anchors: {len(order)} in reading order, expected {len(truth.notes)}; "
                        + _first_difference(order, [n.key for n in truth.notes]))
    before = dict(placed)
    misplaced = [(n.key, before[n.key][-40:], n.before) for n in truth.notes
                 if n.key in before and not before[n.key].endswith(_norm(n.before))]
    if misplaced:
        problems.append(f"anchors at the wrong place: {len(misplaced)}, e.g. "
                        + "; ".join(f"{k}: after {g!r}, expected after {w!r}" for k, g, w in misplaced[:limit // 2]))
    if doc.notes_without_marker or doc.markers_without_note:
        problems.append(f"notes without marker {doc.notes_without_marker[:limit]}, "
                        f"markers without note {doc.markers_without_note[:limit]}")
    return problems


def _body_differences(doc, truth, limit: int) -> list[str]:
    from toolkit.document import ItemList, Paragraph, iter_blocks, iter_divisions, plain_text

    problems = []
    heads = [(d.n, _norm(plain_text(d.head))) for d in iter_divisions(doc.blocks)]
    wanted_heads = [(number, _norm(text)) for _, number, text in truth.headings]
    if heads != wanted_heads:
        problems.append(f"headings: {len(heads)} found, {len(wanted_heads)} expected; "
                        + _first_difference(heads, wanted_heads))

    # The body paragraphs' text in reading order, nothing inserted (a running line, a note)
    # and nothing lost. Where one paragraph ends and the next begins is not compared: at a
    # page break without first-line indents the PDF does not show it.
    found = _norm(" ".join(plain_text(b.content) for b in iter_blocks(doc.blocks)
                           if isinstance(b, Paragraph) and b.rend != "caption"))
    wanted = _norm(" ".join(truth.paragraphs))
    if found != wanted:
        problems.append(f"body text: {len(found)} characters, expected {len(wanted)}; "
                        + _where_texts_differ(found, wanted, 60))
    # Paragraphs, headings and list items; not the sources annex, which repeats cited titles.
    body = [plain_text(b.content) for b in iter_blocks(doc.blocks) if isinstance(b, Paragraph)]
    body += [plain_text(d.head) for d in iter_divisions(doc.blocks)]
    body += [plain_text(i.content) for b in iter_blocks(doc.blocks) if isinstance(b, ItemList) for i in b.items]
    flat = _norm(" ".join(body))
    in_body = [n.key for n in truth.notes if len(n.text) > 60 and _norm(n.text)[20:60] in flat]
    if in_body:
        problems.append(f"note text in the body: {len(in_body)} notes, e.g. {in_body[:limit]}")
    return problems

