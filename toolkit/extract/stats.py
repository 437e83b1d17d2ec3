"""The document's own measures: body size, line pitch, text column, page size.

Every threshold of the later stages is a multiple of one of these (see :mod:`.rules`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from toolkit.extract.layout import Layout


@dataclass
class LayoutStats:
    """The document's own measures; every threshold downstream is derived from these."""

    body_size: float
    line_pitch: float
    left: float  # left edge of the body text column
    right: float  # right edge of the body text column
    page_height: float
    page_width: float
    body_color: int = 0


def measure(layout: Layout) -> LayoutStats:
    """Body font size, line pitch and text column, from the document itself."""
    sizes: Counter[float] = Counter()
    colors: Counter[int] = Counter()
    for page in layout.pages:
        for line in page.lines:
            for s in line.spans:
                if not s.superscript:
                    n = len(s.text.strip())
                    sizes[round(s.size * 2) / 2] += n
                    colors[s.color] += n
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    pitches: Counter[float] = Counter()
    lefts: Counter[float] = Counter()
    rights: list[float] = []
    for page in layout.pages:
        body = [l for l in page.lines if round(l.size * 2) / 2 == body_size]  # the body size bucket itself: not the notes
        for a, b in zip(body, body[1:]):
            d = b.baseline - a.baseline
            if 0.8 * body_size < d < 2.5 * body_size:
                pitches[round(d * 2) / 2] += 1
        for l in body:
            lefts[round(l.x0)] += 1
            rights.append(l.x1)
    line_pitch = pitches.most_common(1)[0][0] if pitches else 1.2 * body_size
    left = float(lefts.most_common(1)[0][0]) if lefts else 72.0
    rights.sort()
    right = rights[int(0.9 * (len(rights) - 1))] if rights else layout.pages[0].width - 72.0
    first = layout.pages[0]
    body_color = colors.most_common(1)[0][0] if colors else 0
    return LayoutStats(body_size, line_pitch, left, right, first.height, first.width, body_color)
