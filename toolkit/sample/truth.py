"""The ground truth of a generated report: what an extractor must find, character for character."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields


@dataclass
class ReportTruth:
    """What an extractor must find in a generated report, character for character.

    ``footnotes``: note text without its number, lines joined with single spaces (a URL
    or compound word broken at a line end joined without one); an empty note is "".
    ``markers``: the last 30 characters of body text before each marker, markers removed,
    whitespace normalised, right-stripped. ``paragraphs`` holds body paragraphs only (not
    the title page, headings, bullets, captions or annex lists). ``annex_sources``: the
    source list items without their leading "- ", as printed (with their final ";" or ".").
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
        return cls(**data)
