"""Headings: their printed numbers, their style, the PDF's bookmarks, and the level each gets.

The level of a heading comes from the best evidence it has, in this order:

1. its number: ``1.1.4`` is level 3 whatever its font; a numbering scheme that starts
   inside another one (``A.`` under ``II.``, ``a.`` under ``1.2``) nests one level below
   the heading it first appears under, so law-review numbering (I. / A. / 1. / a.) and
   decimal numbering both come out right;
2. the PDF's bookmarks (:attr:`Layout.outline`), which word processors write from the
   heading styles with their exact levels;
3. its style, relative to the numbered headings around it: an unnumbered heading whose
   style is not more prominent than the numbered heading it follows nests one level below
   it; one set like the numbered headings of some level takes that level.

Small capitals count as style: word processors print them as capitals of two sizes
("F" + "AIR" + " U" + "SE"), so a small-caps heading is recognised from its spans.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from toolkit.extract.layout import Line
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats, size_key

# "1", "1.2", "1.2.3." followed by the heading text.
DECIMAL_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?=\S)")
# "IV.", "A.", "a." or "a)" followed by the heading text.
ROMAN_NUMBER = re.compile(r"^\s*(M{0,3}(?:C[MD]|D?C{0,3})(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3}))\.\s+(?=\S)")
UPPER_NUMBER = re.compile(r"^\s*([A-Z])\.\s+(?=\S)")
LOWER_NUMBER = re.compile(r"^\s*([a-z])[.)]\s+(?=\S)")
# Letters that read as roman numerals when they stand alone ("I.", "V.", "X."), unless they
# continue a sequence of capital letters ("H." then "I.").
ROMAN_LETTERS = frozenset("IVX")


@dataclass(frozen=True)
class HeadingNumber:
    printed: str  # "1.1.4", "II", "A", "a"
    scheme: str  # "decimal" | "roman" | "upper" | "lower"
    end: int  # characters of the number, its dot and the space after it

    @property
    def depth(self) -> int:
        return self.printed.count(".") + 1 if self.scheme == "decimal" else 1


def heading_number(text: str) -> HeadingNumber | None:
    """The number a heading line starts with, or None."""
    m = DECIMAL_NUMBER.match(text)
    if m:
        return HeadingNumber(m.group(1), "decimal", m.end())
    m = ROMAN_NUMBER.match(text)
    if m and m.group(1) and (len(m.group(1)) > 1 or m.group(1) in ROMAN_LETTERS):
        return HeadingNumber(m.group(1), "roman", m.end())
    m = UPPER_NUMBER.match(text)
    if m:
        return HeadingNumber(m.group(1), "upper", m.end())
    m = LOWER_NUMBER.match(text)
    if m:
        return HeadingNumber(m.group(1), "lower", m.end())
    return None


def visible_spans(line: Line) -> list:
    """The spans that carry the line's text: not note markers, not white space."""
    return [s for s in line.spans if s.text.strip() and not s.superscript]


def caps_kind(line: Line) -> str | None:
    """"small" for small capitals (capitals in two sizes on one baseline), "all" for a line
    in capitals only, None for mixed case."""
    spans = visible_spans(line)
    letters = [c for s in spans for c in s.text if c.isalpha()]
    if len(letters) < RULES.caps_min_letters or any(c.islower() for c in letters):
        return None
    if not any(unicodedata.category(c) == "Lu" for c in letters):
        return None  # a script without case
    sizes = sorted({s.size for s in spans if any(c.isalpha() for c in s.text)})
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        if RULES.small_caps_min <= small / large <= RULES.small_caps_max:
            return "small"
    return "all"


def display_size(line: Line) -> float:
    """The size the reader sees: the larger capitals of a small-caps line, else the line's size."""
    if caps_kind(line) == "small":
        return max(s.size for s in visible_spans(line))
    return line.size


def plain_line_text(line: Line) -> str:
    """The line's text without its note markers."""
    return "".join(s.text for s in line.spans if not s.superscript)


@dataclass(frozen=True)
class HeadingStyle:
    """How a heading is set, in the document's own units: equal for headings set alike."""

    size: int  # size_key of the display size
    bold: bool
    italic: bool
    caps: bool

    @classmethod
    def of(cls, line: Line, stats: LayoutStats) -> "HeadingStyle":
        return cls(size_key(display_size(line), stats), line.bold, line.italic, caps_kind(line) is not None)

    @property
    def prominence(self) -> tuple:
        """Larger type first, then bold, then capitals, then upright before italic."""
        return (self.size, self.bold, self.caps, not self.italic)


# -- bookmarks ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """Text to compare a bookmark with a printed line: number, case, spacing and punctuation dropped."""
    number = heading_number(text)
    if number is not None:
        text = text[number.end :]
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in text if c.isalnum())


def match_outline(lines: list[Line], outline: list[tuple[int, str, int]]) -> dict[tuple[int, int], int]:
    """The bookmark level of each line that prints a bookmarked heading, by (page, line index).

    A bookmark matches the line (or the run of lines, for a heading that wraps) on its
    page whose text is the bookmark's title; bookmarks are taken in order, so a title
    that also appears on the contents page is found where the bookmark points.
    """
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    keys = {id(line): fold(plain_line_text(line)) for line in lines}
    found: dict[tuple[int, int], int] = {}
    taken: set[int] = set()
    for level, title, page in outline:
        want = fold(title)
        if not want:
            continue
        pages = [page] if page > 0 else sorted(by_page)
        for candidate_page in pages:
            run = _lines_spelling(by_page.get(candidate_page, []), keys, want, taken)
            if run:
                for line in run:
                    found[(line.page, line.index)] = level
                    taken.add(id(line))
                break
    return found


def _lines_spelling(lines: list[Line], keys: dict[int, str], want: str, taken: set[int]) -> list[Line] | None:
    """The first run of consecutive lines whose folded texts join to ``want``."""
    for start, line in enumerate(lines):
        key = keys[id(line)]
        if id(line) in taken or not key or not want.startswith(key):
            continue
        run, spelled = [line], key
        k = start + 1
        while spelled != want and k < len(lines) and len(run) < RULES.heading_max_lines:
            nxt = keys[id(lines[k])]
            if not nxt or not want.startswith(spelled + nxt):
                break
            run.append(lines[k])
            spelled += nxt
            k += 1
        if spelled == want:
            return run
    return None


def outline_offset(pairs: list[tuple[int, int]]) -> int:
    """How much deeper numbered headings stand than their bookmarks say (a document title as the
    one top bookmark puts every heading one bookmark level down): the commonest difference."""
    if not pairs:
        return 0
    counts: dict[int, int] = {}
    for number_level, outline_level in pairs:
        counts[number_level - outline_level] = counts.get(number_level - outline_level, 0) + 1
    return max(counts, key=lambda d: (counts[d], -abs(d)))


# -- levels ------------------------------------------------------------------------------


@dataclass
class HeadingFacts:
    """What the level decision knows about one heading."""

    number: HeadingNumber | None
    style: HeadingStyle
    outline_level: int | None = None  # already corrected by the outline offset


@dataclass
class OpenHeading:
    level: int
    numbered: bool
    style: HeadingStyle


class Numbering:
    """What the numbering has shown so far: the level of each scheme's single-part numbers."""

    def __init__(self) -> None:
        self.base: dict[str, int] = {}
        self.last_letter: str | None = None
        self.last: OpenHeading | None = None  # the last heading with a number or a bookmark

    def scheme_of(self, number: HeadingNumber) -> str:
        """"I." after "H." is a letter, not a roman one."""
        if number.scheme == "roman" and number.printed in ROMAN_LETTERS and self.last_letter is not None:
            if ord(number.printed) == ord(self.last_letter) + 1 and "upper" in self.base:
                return "upper"
        return number.scheme

    def level(self, head: HeadingFacts) -> int | None:
        """The level a number or a bookmark gives (None for neither)."""
        number = head.number
        if number is None:
            if head.outline_level is not None:
                self.last = OpenHeading(head.outline_level, True, head.style)
            return head.outline_level
        scheme = self.scheme_of(number)
        if scheme == "upper":
            self.last_letter = number.printed
        if scheme not in self.base:
            # The first numbering starts at the top; one that starts later nests under the
            # numbered heading it first appears under.
            self.base[scheme] = self.last.level + 1 if self.last is not None and self.base else 1
        level = self.base[scheme] + number.depth - 1
        self.last = OpenHeading(level, True, head.style)
        return level


class HeadingLevels:
    """Decides the level of each heading as they come in reading order (see the module docstring)."""

    def __init__(self, heads: list[HeadingFacts]):
        self.numbering = Numbering()
        self.leading: dict[HeadingStyle, int] = {}  # styles of the unnumbered headings before any number
        # The least prominent style of each level among numbered (or bookmarked) headings:
        # a heading set at least like that can stand at that level.
        preview = Numbering()
        by_level: dict[int, HeadingStyle] = {}
        top: tuple | None = None  # the most prominent style of a numbered chapter
        for head in heads:
            level = preview.level(head)
            if level is not None and (level not in by_level or head.style.prominence < by_level[level].prominence):
                by_level[level] = head.style
            if level == 1 and (top is None or head.style.prominence > top):
                top = head.style.prominence
        self.level_styles = sorted(by_level.items())
        self.chapter_prominence = top
        # Without any numbered heading, the distinct styles ranked by prominence are the levels.
        styles = sorted({h.style for h in heads}, key=lambda s: s.prominence, reverse=True)
        self.style_rank = {style: rank + 1 for rank, style in enumerate(styles)}

    def level(self, head: HeadingFacts, stack: list[OpenHeading]) -> int:
        explicit = self.numbering.level(head)
        if explicit is not None:
            return explicit
        style = head.style
        anchor = self.numbering.last
        if anchor is None:
            level = self.before_numbering(style, stack)
            self.leading.setdefault(style, level)
            return level
        if style in self.leading:
            # Set like the unnumbered headings before the numbering began ("Inleiding",
            # "Samenvatting"): the same kind of heading ("Conclusie", "Bijlagen"), at their level.
            return self.leading[style]
        if style.prominence > anchor.style.prominence:
            return self.level_for_style(style)
        # Not more prominent than the numbered heading it follows: below it, or beside an
        # unnumbered heading set alike that is already open there.
        for open_heading in reversed([h for h in stack if not h.numbered and h.level > anchor.level]):
            if open_heading.style == style:
                return open_heading.level
            if open_heading.style.prominence > style.prominence:
                return open_heading.level + 1
        return anchor.level + 1

    def before_numbering(self, style: HeadingStyle, stack: list[OpenHeading]) -> int:
        """Before the first numbered heading ("Voorwoord", "Samenvatting" and their parts): set
        like a numbered chapter is a chapter; else below a more prominent open heading, beside
        one set alike."""
        if self.chapter_prominence is not None and style.prominence >= self.chapter_prominence:
            return 1
        for open_heading in reversed(stack):
            if open_heading.style == style:
                return open_heading.level
            if open_heading.style.prominence > style.prominence:
                return open_heading.level + 1
        return self.level_for_style(style) if self.level_styles else self.style_rank.get(style, 1)

    def level_for_style(self, style: HeadingStyle) -> int:
        """The highest level whose numbered headings are not more prominent than ``style``."""
        for level, level_style in self.level_styles:
            if level_style.prominence <= style.prominence:
                return level
        return self.level_styles[-1][0] + 1
