"""Markup to text units and blocks: what the line breaker moves around, and the truth's text.

:class:`Composer` turns the markup items of :mod:`toolkit.sample.content` into blocks of
:class:`Unit` (characters between two spaces, where a line may break) and numbers the
notes in marker order, recording what an extractor must read (note texts, marker contexts,
paragraphs, headings, links) in the :class:`~toolkit.sample.truth.ReportTruth`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from toolkit.sample.content import ABBREVIATIONS, FORCE_SPLIT, GLUED, REPEATABLE
from toolkit.sample.truth import ReportTruth


@dataclass(slots=True)
class Piece:
    """A run of characters in one font and position; ``sup`` marks a footnote marker."""

    text: str
    role: str = "body"  # body | bold | italic
    sup: int | None = None
    link: int | None = None
    url: bool = False
    measure: str | None = None  # measure as if this were printed (a marker whose label may change)


@dataclass(slots=True)
class Unit:
    """Characters between two spaces: where a line may break (and a word may be split)."""

    pieces: list[Piece]
    space_before: bool = True
    force_break: bool = False
    soft_hyphen: bool = False  # prefix of a word split at a line end: print a "-"
    width: tuple[float, float] | None = None  # cache: (size, width)


@dataclass
class Block:
    kind: str  # title | heading | para | small | bullet | figure | caption | publisher | source | abbr
    units: list[Unit] = field(default_factory=list)
    level: int = 0
    number: str | None = None
    label: list[Unit] = field(default_factory=list)
    indent: bool = False
    text: str = ""  # headings: number and text, for running heads


@dataclass
class NoteSpec:
    """A note as composed: ``n`` counts notes in marker order through the whole document."""

    n: int
    units: list[Unit]
    glued: bool = False
    splittable: bool = False  # long note we may split over a page break
    label: str = ""
    chapter: int = 0  # level-1 division holding the marker (0: before the first)
    text: str = ""
    before: str = ""  # the last 30 characters of body text before the marker
    block: str = "paragraph"
    repeatable: bool = False  # may be printed as "Ibid." when it ends a page's note area


# Gives the label of note n in chapter c: (n, c) -> label.
Labeler = Callable[[int, int], str]


_BODY_TOKEN = re.compile(r"\[\[(.+?)\|(\S+?)\]\]|\^")
_NOTE_TOKEN = re.compile(r"\{([^{}|]+)\|([^{}|]*)\|([a-z]{2})\}|<(!?)([^<>\s]+)>")
_WS = re.compile(r"(\s+)")


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class UnitBuilder:
    """Turns text into units, keeping the visible text (markers left out) for the truth."""

    def __init__(self, role: str = "body") -> None:
        self.role = role
        self.units: list[Unit] = []
        self.visible: list[str] = []
        self._space = False
        self._force = False

    def text(self, text: str, **attrs: Any) -> None:
        for part in _WS.split(text):
            if not part:
                continue
            if part.isspace():
                self._space = True
                self.visible.append(" ")
                continue
            role = attrs.get("role", self.role)
            self._piece(Piece(part, role, **{k: v for k, v in attrs.items() if k != "role"}))

    def marker(self, n: int, label: str) -> None:
        self._piece(Piece(label, self.role, sup=n))

    def force_break(self) -> None:
        self._force = True

    def _piece(self, piece: Piece) -> None:
        if not self.units or self._space or self._force:
            self.units.append(Unit([piece], space_before=self._space and bool(self.units), force_break=self._force))
        else:
            self.units[-1].pieces.append(piece)
        if piece.sup is None:
            self.visible.append(piece.text)
        self._space = self._force = False

    def plain(self) -> str:
        return norm("".join(self.visible))


class Composer:
    """Markup items to blocks and notes, numbering notes in marker order, recording the truth."""

    def __init__(self, truth: ReportTruth, labeler: Labeler) -> None:
        self.truth = truth
        self.labeler = labeler
        self.chapter = 0
        self.notes: list[NoteSpec] = []
        self.marker_at: dict[int, tuple[Unit, Piece]] = {}  # the printed marker of each note
        self.links: list[dict] = []
        self.blocks: list[Block] = []
        self._sources: list[str] = []  # note markup, for the sources annex

    # body text ---------------------------------------------------------------------------
    def body(self, markup: str, notes: list[str], role: str = "body", block: str = "paragraph") -> tuple[list[Unit], str]:
        builder = UnitBuilder(role)
        pending = list(notes)
        pos = 0
        for match in _BODY_TOKEN.finditer(markup):
            builder.text(markup[pos:match.start()])
            pos = match.end()
            if match.group(0) == "^":
                if not pending:
                    raise ValueError(f"marker without note in {markup[:40]!r}")
                n = len(self.notes) + 1
                label = self.labeler(n, self.chapter)
                before = builder.plain()[-30:].rstrip()
                builder.marker(n, label)
                self.marker_at[n] = (builder.units[-1], builder.units[-1].pieces[-1])
                self._note(n, pending.pop(0))
                self.notes[-1].label, self.notes[-1].before, self.notes[-1].block = label, before, block
            else:
                words, uri = match.group(1), match.group(2)
                link = self._link(uri, norm(words), None)
                builder.text(words, link=link)
        builder.text(markup[pos:])
        if pending:
            raise ValueError(f"{len(pending)} notes without marker in {markup[:40]!r}")
        return builder.units, builder.plain()

    def relabel(self, labels: dict[int, str], measure: str | None = None) -> None:
        """Print other labels (per-page numbering), measuring markers as ``measure`` if given."""
        for spec in self.notes:
            unit, piece = self.marker_at[spec.n]
            spec.label = piece.text = labels[spec.n]
            piece.measure = measure
            unit.width = None
        for link in self.links:
            link["page"], link["rects"] = None, 0

    def _link(self, uri: str, text: str, note: int | None) -> int:
        self.links.append({"uri": uri, "text": text, "note": note, "page": None, "rects": 0})
        return len(self.links) - 1

    # notes -------------------------------------------------------------------------------
    def _note(self, n: int, markup: str) -> None:
        glued = markup.startswith(GLUED)
        split = markup.startswith(FORCE_SPLIT)
        repeatable = markup.startswith(REPEATABLE)
        markup = markup.lstrip(GLUED + FORCE_SPLIT + REPEATABLE)
        builder = UnitBuilder("body")
        pos = 0
        for match in _NOTE_TOKEN.finditer(markup):
            builder.text(markup[pos:match.start()])
            pos = match.end()
            if match.group(1) is not None:
                title, uri, lang = match.group(1), match.group(2), match.group(3)
                self.truth.titles.append({"note": n, "text": norm(title), "lang": lang})
                link = self._link(uri, norm(title), n) if uri else None
                builder.text(title, link=link)
            else:
                own_line, url = match.group(4), match.group(5)
                self.truth.printed_urls.append({"url": url, "note": n})
                if own_line:
                    builder.force_break()
                builder.text(url, link=self._link(url, url, n), url=True)
        builder.text(markup[pos:])
        self.notes.append(NoteSpec(n, builder.units, glued=glued, splittable=split, chapter=self.chapter,
                                   text=builder.plain(), repeatable=repeatable))
        self._sources.append(markup)

    # items -------------------------------------------------------------------------------
    def compose(self, items: list[tuple]) -> None:
        for item in items:
            kind = item[0]
            if kind in ("h1", "h2", "h3", "h4"):
                level = int(kind[1])
                if level == 1:
                    self.chapter += 1
                units, text = self.body(item[2], item[3] if len(item) > 3 else [], role="bold", block="heading")
                self.truth.headings.append((level, item[1], text))
                self.blocks.append(Block("heading", units, level=level, number=item[1],
                                         text=f"{item[1]} {text}" if item[1] else text))
            elif kind == "p":
                units, text = self.body(item[1], item[2])
                self.truth.paragraphs.append(text)
                after_heading = bool(self.blocks) and self.blocks[-1].kind == "heading"
                self.blocks.append(Block("para", units, indent=not after_heading))
            elif kind == "small":  # a paragraph in the note size
                units, text = self.body(item[1], item[2])
                self.truth.paragraphs.append(text)
                self.blocks.append(Block("small", units))
            elif kind == "ul":
                for markup, notes in item[1]:
                    units, text = self.body(markup, notes, block="item")
                    self.truth.bullets.append(text)
                    self.blocks.append(Block("bullet", units))
            elif kind == "fig":
                units, text = self.body(item[1], [], role="italic")
                self.truth.captions.append(text)
                self.blocks.append(Block("figure"))
                self.blocks.append(Block("caption", units))
            else:  # pragma: no cover - content tables are fixed
                raise ValueError(f"unknown content item {kind!r}")

    def annex(self, number: str) -> None:
        """Sources annex built from the notes' citations, then the abbreviation list."""
        self.compose([
            ("h1", number, "Bijlagen"),
            ("h2", f"{number}.1", "Bronnen"),
            ("p", "Hieronder staan de geraadpleegde openbare bronnen, gerangschikt per uitgever.", []),
        ])
        groups: dict[str, list[str]] = {}
        seen: set[tuple[str, str]] = set()
        cite = re.compile(r"(?:^|; )(?:Zie )?([^;{}]{2,60}?), \{([^{}|]+)\|[^{}|]*\|[a-z]{2}\}([^;]*)")
        for markup in self._sources:
            for match in cite.finditer(markup):
                publisher = match.group(1).strip()
                after = re.sub(r"\s*\(?<!?[^<>]*>\)?", "", match.group(3)).strip().rstrip(".").strip()
                after = re.sub(r"\s*(Zie|Het|De) .*$", "", after).rstrip(".")
                if after.startswith("(RU)"):
                    after = " " + after
                elif after:
                    after = ", " + after.lstrip(", ")
                item = norm(match.group(2)) + after
                if (publisher, item) not in seen:
                    seen.add((publisher, item))
                    groups.setdefault(publisher, []).append(item)
        for publisher in sorted(groups, key=str.casefold):
            self.truth.annex_publishers.append(publisher)
            units, _ = self.body(publisher, [], role="bold")
            self.blocks.append(Block("publisher", units))
            entries = groups[publisher]
            for i, entry in enumerate(entries):
                text = entry + ("." if i == len(entries) - 1 else ";")
                self.truth.annex_sources.append(text)
                units, _ = self.body(text, [])
                self.blocks.append(Block("source", units))
        self.compose([("h2", f"{number}.2", "Afkortingen")])
        for abbr, meaning in ABBREVIATIONS:
            label, _ = self.body(abbr, [])
            units, _ = self.body(meaning, [])
            self.truth.abbreviations.append((abbr, meaning))
            self.blocks.append(Block("abbr", units, label=label))
