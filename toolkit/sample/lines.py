"""Font metrics and line breaking: greedy, with real advances, word splits at hyphens,
Dutch syllables and inside URLs."""

from __future__ import annotations

import re

from toolkit.sample.markup import Piece, Unit
from toolkit.sample.styles import ReportStyle

SUP_SCALE = 0.62
SUP_RISE = 0.36
VOWELS = set("aeiouyáéëïóöüè")
ONSETS = {"bl", "br", "dr", "fl", "gl", "gr", "kl", "kr", "pl", "pr", "sl", "sm", "sn", "sp", "st", "tr", "vl", "vr", "zw"}


class Metrics:
    def __init__(self, style: ReportStyle) -> None:
        import pymupdf

        self.fonts = {
            "body": pymupdf.Font(style.body_font),
            "bold": pymupdf.Font(style.bold_font),
            "italic": pymupdf.Font(style.italic_font),
        }
        self._cache: dict[tuple[str, str, float], float] = {}
        self._advances: dict[str, dict[str, float]] = {role: {} for role in self.fonts}

    def text_width(self, text: str, role: str, size: float) -> float:
        key = (text, role, size)
        width = self._cache.get(key)
        if width is None:
            advances = self._advances[role]
            total = 0.0
            for ch in text:
                advance = advances.get(ch)
                if advance is None:
                    advance = advances[ch] = self.fonts[role].text_length(ch, fontsize=1.0)
                total += advance
            width = self._cache[key] = total * size
        return width

    def piece_width(self, piece: Piece, size: float) -> float:
        return self.text_width(piece.measure or piece.text, piece.role, size * SUP_SCALE if piece.sup else size)

    def unit_width(self, unit: Unit, size: float) -> float:
        cached = unit.width
        if cached is not None and cached[0] == size:
            return cached[1]
        width = sum(self.piece_width(p, size) for p in unit.pieces)
        if unit.soft_hyphen:
            width += self.text_width("-", unit.pieces[-1].role, size)
        unit.width = (size, width)
        return width


def _soft_breaks(word: str) -> list[int]:
    """Plausible Dutch syllable boundaries inside a long word (offsets into ``word``)."""
    out = []
    for i in range(3, len(word) - 2):
        a, b, before, after = word[i - 1], word[i], word[i - 2], word[i + 1]
        if not (a.isalpha() and b.isalpha() and before.isalpha() and after.isalpha()):
            continue
        if a not in VOWELS and b not in VOWELS and before in VOWELS and after in VOWELS and a + b not in ("ch", "ng"):
            if a + b not in ONSETS:
                out.append(i)
            elif i - 1 >= 3:
                out.append(i - 1)
        elif a in VOWELS and b not in VOWELS and after in VOWELS and before not in VOWELS and not (a == "i" and b == "j"):
            out.append(i)
    return out


def _split_points(unit: Unit, hyphenate: bool, url_anywhere: bool) -> list[tuple[int, int, bool]]:
    """(piece index, offset, soft) where ``unit`` may be broken at a line end."""
    points = []
    for pi, piece in enumerate(unit.pieces):
        if piece.sup is not None:
            continue
        text = piece.text
        if piece.url:
            if url_anywhere:
                preferred = [k + 1 for k, ch in enumerate(text[:-1]) if ch in "/-_.?=&"]
                points += [(pi, k, False) for k in (preferred or range(8, len(text) - 1))]
            continue
        for k in range(1, len(text) - 1):
            if text[k] == "-" and (text[k - 1].isalnum() or text[k - 1] == "+") and text[k + 1].isalpha():
                points.append((pi, k + 1, False))
        if hyphenate and piece.link is None and piece.role == "body":
            for run in re.finditer(r"[^\W\d_]{8,}", text):
                if run.group(0)[0].isupper():
                    continue
                points += [(pi, run.start() + k, True) for k in _soft_breaks(run.group(0))]
    return sorted(set(points))


def _split_unit(unit: Unit, at: tuple[int, int, bool]) -> tuple[Unit, Unit]:
    pi, offset, soft = at
    piece = unit.pieces[pi]
    head = unit.pieces[:pi] + [Piece(piece.text[:offset], piece.role, None, piece.link, piece.url)]
    tail = [Piece(piece.text[offset:], piece.role, None, piece.link, piece.url)] + unit.pieces[pi + 1:]
    return (Unit(head, unit.space_before, unit.force_break, soft_hyphen=soft),
            Unit(tail, space_before=False, soft_hyphen=unit.soft_hyphen))


def break_lines(units: list[Unit], metrics: Metrics, size: float, first_width: float, width: float,
                 hyphenate: bool) -> list[list[Unit]]:
    """Greedy line breaking with real font metrics, word splits at hyphens, syllables and in URLs."""
    space = metrics.text_width(" ", "body", size)
    lines: list[list[Unit]] = []
    line: list[Unit] = []
    used = 0.0
    queue = list(reversed(units))
    while queue:
        unit = queue.pop()
        avail = first_width if not lines else width
        if unit.force_break and line:
            lines.append(line)
            line, used, avail = [], 0.0, width
        gap = space if (line and unit.space_before) else 0.0
        w = metrics.unit_width(unit, size)
        if used + gap + w <= avail + 0.01:
            line.append(unit)
            used += gap + w
            continue
        room = avail - used - gap
        too_long = w > width
        best = None
        if not (too_long and line and room < 0.35 * width):
            for point in reversed(_split_points(unit, hyphenate, too_long)):
                head, tail = _split_unit(unit, point)
                if metrics.unit_width(head, size) <= room and tail.pieces[0].text:
                    best = (head, tail)
                    break
        if best is None and not line:
            # Nothing fits on an empty line: cut anywhere (a pathological long token).
            piece_index = next(i for i, p in enumerate(unit.pieces) if p.sup is None)
            text = unit.pieces[piece_index].text
            k = max(1, len(text) - 1)
            while k > 1 and metrics.unit_width(_split_unit(unit, (piece_index, k, False))[0], size) > room:
                k -= 1
            best = _split_unit(unit, (piece_index, k, False)) if len(text) > 1 else None
            if best is None:
                line.append(unit)
                lines.append(line)
                line, used = [], 0.0
                continue
        if best is not None:
            line.append(best[0])
            lines.append(line)
            line, used = [], 0.0
            queue.append(best[1])
        else:
            lines.append(line)
            line, used = [], 0.0
            queue.append(unit)
    if line or not lines:
        lines.append(line)
    return lines
