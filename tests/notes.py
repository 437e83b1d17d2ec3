"""Footnotes of an extracted document, looked up the way a test's ground truth names them."""

from __future__ import annotations


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
