"""The ground truth of a generated report: what an extractor must find, character for character."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields


@dataclass
class NoteTruth:
    """One footnote as printed.

    ``label`` as printed in the body marker ("12", "*", "a"; in the note area it may be
    written "12." or "[12]"); ``key`` after :func:`toolkit.document.note_key` with ``run``,
    the numbering run (1 for the first; a new run starts where the numbering restarts);
    ``text`` without the label, lines joined with single spaces; ``pages`` every page it is
    printed on; ``marker_page`` the page of its marker (before its first page when the note
    did not fit there); ``before`` the last 30 characters of body text before the marker
    (markers removed, whitespace normalised, right-stripped); ``block`` what holds the
    marker: "paragraph", "heading" or "item".
    """

    label: str
    key: str
    run: int
    text: str
    pages: list[int]
    marker_page: int
    before: str
    block: str = "paragraph"


@dataclass
class RunningLine:
    """A running header, footer or page number as printed (``toolkit.document.RunningText``)."""

    page: int
    kind: str  # "header" | "footer" | "pageNum"
    text: str


@dataclass
class ReportTruth:
    """What an extractor must find in a generated report, character for character.

    ``notes``: every footnote in document order (:class:`NoteTruth`), whatever the
    numbering; ``numbering`` the scheme ("document", "chapter", "page", or "bound" for
    reports bound into one PDF, see ``parts``). ``running``: every running header, footer
    and page number, page by page (:class:`RunningLine`).

    The number-keyed fields ``footnotes``, ``markers``, ``note_pages`` and
    ``continued_notes`` are filled when the notes are numbered once through in arabic
    numerals (keys: the printed numbers); with other numberings they are empty and the
    ``note`` of ``links``, ``printed_urls`` and ``titles`` is the note's key instead of its
    number (None: a body link).

    ``footnotes``: note text without its number, lines joined with single spaces (a URL
    or compound word broken at a line end joined without one); an empty note is "".
    ``markers``: the last 30 characters of body text before each marker, markers removed,
    whitespace normalised, right-stripped. ``paragraphs`` holds body paragraphs only (not
    the title page, headings, bullets, captions or annex lists; a small-type summary's
    paragraphs are body paragraphs). ``annex_sources``: the source list items without
    their leading "- ", as printed (with their final ";" or "."). ``small_pages``: pages
    whose body is set entirely in the note size. ``header_text`` and ``footer_pattern``
    describe the report-title header and the page footer; ``running`` is exact for every
    header scheme.
    """

    title: str
    date: str
    style: str
    page_count: int
    header_text: str
    footer_pattern: str
    footnotes: dict[int, str] = field(default_factory=dict)
    markers: dict[int, str] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)
    headings: list[tuple[int, str | None, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # {uri, text, note, page, rects}
    printed_urls: list[dict] = field(default_factory=list)  # {url, note}
    continued_notes: list[int] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)  # {note, text, lang}
    non_markers: list[str] = field(default_factory=list)
    annex_sources: list[str] = field(default_factory=list)
    annex_publishers: list[str] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    note_pages: dict[int, list[int]] = field(default_factory=dict)  # every page a note is printed on
    front_matter: list[str] = field(default_factory=list)  # title page lines
    numbering: str = "document"
    notes: list[NoteTruth] = field(default_factory=list)
    running: list[RunningLine] = field(default_factory=list)
    small_pages: list[int] = field(default_factory=list)
    parts: list[dict] = field(default_factory=list)  # bound reports: {style, numbering, first_page, page_count}

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> ReportTruth:
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in raw.items() if k in known}
        for key in ("footnotes", "markers", "note_pages"):
            data[key] = {int(k): v for k, v in data.get(key, {}).items()}
        data["headings"] = [tuple(h) for h in data.get("headings", [])]
        data["abbreviations"] = [tuple(a) for a in data.get("abbreviations", [])]
        data["notes"] = [NoteTruth(**note) for note in data.get("notes", [])]
        data["running"] = [RunningLine(**line) for line in data.get("running", [])]
        return cls(**data)

    @property
    def once_through(self) -> bool:
        """Notes numbered 1.. (or from a first number) once through the document in arabic numerals."""
        return self.numbering == "document" and all(note.label.isdigit() for note in self.notes)
