"""Note markers in the body and note labels: what they look like, and which note each marker names.

A marker is a superscript (told by size and baseline, see :mod:`.pdf`) whose text is a
label: a number, a run of numbers ("45 46", "12, 13", "12–14"), a symbol ("*", "†") or a
letter. Markers are matched to the notes of their own page, in reading order, by label:
the numbering scheme of the document (on through, anew per chapter or page, symbols) never
has to be assumed. A marker whose note did not fit on its page is matched on the next page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from toolkit.extract.layout import Line

# Symbols in the order notes use them; doubled and tripled forms follow the single ones.
SYMBOLS = ("*", "†", "‡", "§", "‖", "¶", "#")
SYMBOL_CHARS = "".join(SYMBOLS)
# Labels: numbers, symbols (up to three), roman numerals, a letter or a doubled letter (after z: aa).
_DOUBLED = "|".join(c * 2 for c in "abcdefghijklmnopqrstuvwxyz")
LABEL = rf"\d{{1,4}}|[{re.escape(SYMBOL_CHARS)}]{{1,3}}|[ivxlc]{{2,7}}|{_DOUBLED}|[a-z]"
MARKER_TEXT = re.compile(rf"^[\s,;–\-]*(?:{LABEL})(?:[\s,;–\-]+(?:{LABEL}))*[\s,;–\-]*$")
LABEL_TOKEN = re.compile(LABEL)
RANGE = re.compile(r"(\d+)\s*[–\-]\s*(\d+)")
MAX_RANGE = 10  # "12–14" names 12, 13 and 14; a wider "range" is two numbers, not a range
_ROMAN = re.compile(r"^(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
FIRST_LABELS = {"number": "1", "letter": "a", "roman": "i", "symbol": SYMBOLS[0]}


def roman_value(label: str) -> int | None:
    if not _ROMAN.match(label):
        return None
    total = 0
    for i, ch in enumerate(label):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(label) and _ROMAN_VALUES[label[i + 1]] > value else value
    return total


def to_roman(n: int) -> str:
    out = []
    for value, digits in ((100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out.append(digits)
            n -= value
    return "".join(out)


def label_kinds(label: str) -> frozenset[str]:
    """The numbering schemes a label may belong to: "i" is a roman one or the ninth letter."""
    if label.isdigit():
        return frozenset({"number"})
    if label[:1] in SYMBOL_CHARS:
        return frozenset({"symbol"})
    kinds = set()
    if roman_value(label) is not None:
        kinds.add("roman")
    if len(label) == 1 or (len(label) == 2 and label[0] == label[1]):
        kinds.add("letter")
    return frozenset(kinds)


def label_kind(label: str) -> str:
    """The label's scheme where it has one reading; a roman numeral that is also a letter is a letter."""
    kinds = label_kinds(label)
    return "letter" if "letter" in kinds else next(iter(kinds), "letter")


def next_labels(label: str, kind: str) -> frozenset[str]:
    """The labels that may follow ``label`` in the scheme ``kind``: 12 → 13, z → aa, viii → ix,
    * → † or ** (the asterisk series), § → ‖ or ** (Word's series starts over doubled)."""
    if kind == "number":
        return frozenset({str(int(label) + 1)})
    if kind == "roman":
        value = roman_value(label)
        return frozenset({to_roman(value + 1)}) if value is not None else frozenset()
    if kind == "letter":
        if len(label) == 1:
            return frozenset({chr(ord(label) + 1) if label < "z" else "aa"})
        return frozenset({chr(ord(label[0]) + 1) * 2}) if label[0] < "z" else frozenset()
    base, times = label[0], len(label)
    if label != base * times:
        return frozenset()
    position = SYMBOLS.index(base) if base in SYMBOLS else len(SYMBOLS)
    following = {SYMBOLS[0] * (times + 1), base * (times + 1)}
    if position + 1 < len(SYMBOLS):
        following.add(SYMBOLS[position + 1] * times)
    return frozenset(following)


def next_label(label: str) -> str | None:
    """The usual label after ``label`` in its own scheme (see :func:`next_labels`)."""
    kind = label_kind(label)
    following = next_labels(label, kind)
    if kind == "symbol":
        position = SYMBOLS.index(label[0]) if label[0] in SYMBOLS else len(SYMBOLS)
        if position + 1 < len(SYMBOLS):
            return SYMBOLS[position + 1] * len(label)
    return min(following, default=None)


def first_label(kind: str) -> str:
    return FIRST_LABELS[kind]


def split_run(text: str, wanted: set[str]) -> list[str] | None:
    """Digits of several markers printed as one ("45" for 4 and 5, "891011"): consecutive labels
    that are all in ``wanted``, or None."""
    for first in range(1, len(text)):
        labels, position, value = [], 0, int(text[:first])
        while position < len(text):
            piece = str(value)
            if not text.startswith(piece, position):
                break
            labels.append(piece)
            position += len(piece)
            value += 1
        if position == len(text) and len(labels) > 1 and all(label in wanted for label in labels):
            return labels
    return None


def marker_labels(text: str) -> list[str]:
    """The labels a superscript names: "12" → [12]; "45 46", "12, 13" → both; "12–14" → 12, 13, 14."""
    if not MARKER_TEXT.match(text):
        return []
    out: list[str] = []
    position = 0
    for m in RANGE.finditer(text):
        out.extend(LABEL_TOKEN.findall(text[position : m.start()]))
        a, b = int(m.group(1)), int(m.group(2))
        out.extend(str(n) for n in range(a, b + 1)) if 0 < b - a <= MAX_RANGE else out.extend([m.group(1), m.group(2)])
        position = m.end()
    out.extend(LABEL_TOKEN.findall(text[position:]))
    return [str(int(label)) if label.isdigit() else label for label in out]


@dataclass
class MarkerCandidate:
    """A superscript in the body that may be a note marker."""

    page: int
    position: tuple[int, int, int]  # (page, line index, span index)
    labels: list[str]
    exponent_like: bool  # glued to a word or number and ≤ 3: m², 10³


def marker_candidates(lines: list[Line]) -> list[MarkerCandidate]:
    """The superscript labels of body lines, in reading order."""
    out = []
    for line in lines:
        for si, span in enumerate(line.spans):
            if not span.superscript:
                continue
            labels = marker_labels(span.text)
            if not labels:
                continue
            before = line.spans[si - 1].text[-1:] if si > 0 else ""
            exponent_like = before.isalnum() and len(labels) == 1 and labels[0].isdigit() and int(labels[0]) <= 3
            out.append(MarkerCandidate(line.page, (line.page, line.index, si), labels, exponent_like))
    return out


@dataclass
class MarkerLinks:
    # (page, line index, span index) -> keys of the notes the superscript anchors
    anchors: dict[tuple[int, int, int], list[str]] = field(default_factory=dict)
    anchored: set[str] = field(default_factory=set)
    # (page, label) of superscripts that look like markers but name no note
    orphans: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Slot:
    candidate: MarkerCandidate
    k: int  # which of the candidate's labels
    used: bool = False

    @property
    def label(self) -> str:
        return self.candidate.labels[self.k]


def slots_of(candidates: list[MarkerCandidate]) -> list[_Slot]:
    return [_Slot(c, k) for c in candidates for k in range(len(c.labels))]


def link_page(notes: list[tuple[str, str]], slots: list[_Slot], links: MarkerLinks) -> None:
    """Match a page's notes (key, label), in order, to marker slots, in reading order.

    The match is monotonic: a note's marker comes after the previous note's. An
    exponent-like superscript (m²) gives way to a later one with the same label before
    the next note's marker.
    """
    wanted = {label for _, label in notes}
    for i in range(len(slots) - 1, -1, -1):
        slot = slots[i]
        if slot.used or slot.label in wanted or not slot.label.isdigit() or len(slot.candidate.labels) != 1:
            continue
        labels = split_run(slot.label, wanted)
        if labels:
            parts = MarkerCandidate(slot.candidate.page, slot.candidate.position, labels, False)
            slots[i : i + 1] = [_Slot(parts, k) for k in range(len(labels))]
    position = 0
    for index, (key, label) in enumerate(notes):
        following = notes[index + 1][1] if index + 1 < len(notes) else None
        chosen = None
        for i in range(position, len(slots)):
            slot = slots[i]
            if slot.used or slot.label != label:
                continue
            if chosen is None:
                chosen = i
                if not slot.candidate.exponent_like:
                    break
                continue
            if following is not None and any(s.label == following for s in slots[chosen:i]):
                break
            if not slot.candidate.exponent_like:
                chosen = i
                break
        if chosen is None:
            continue
        slot = slots[chosen]
        slot.used = True
        links.anchors.setdefault(slot.candidate.position, []).append(key)
        links.anchored.add(key)
        position = chosen + 1
    # A marker out of order (in a table or a caption set apart from the text): any free one.
    for key, label in notes:
        if key in links.anchored:
            continue
        slot = next((s for s in slots if not s.used and s.label == label), None)
        if slot is not None:
            slot.used = True
            links.anchors.setdefault(slot.candidate.position, []).append(key)
            links.anchored.add(key)
