"""The document's own measures: body size, line pitch, text column, page size.

Every threshold of the later stages is a multiple of one of these (see :mod:`.rules`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from toolkit.extract.layout import Layout
from toolkit.extract.rules import RULES


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
    # Each page's body size where a run of pages sets it in another size than the document's
    # (a report bound with an annex), by page number; pages not listed use body_size.
    page_bodies: dict[int, float] = field(default_factory=dict)

    def page_body(self, page: int) -> float:
        return self.page_bodies.get(page, self.body_size)

    @property
    def leading(self) -> float:
        """The body's line pitch as a multiple of its size (1.2 for 10 pt on 12 pt)."""
        return self.line_pitch / self.body_size


def same_size(a: float, b: float) -> bool:
    """Two type sizes that are one size (within :attr:`LayoutRules.same_size` of each other)."""
    return abs(a - b) <= RULES.same_size * max(a, b)


def size_key(size: float, stats: "LayoutStats") -> int:
    """A type size as steps of ``same_size`` of the body size: equal for sizes that are one size,
    and the same for a document scaled."""
    return round(size / stats.body_size / RULES.same_size)


def clusters(weights: Counter[float]) -> list[tuple[float, float]]:
    """Values grouped where each lies within ``same_size`` of the next: (representative, weight).

    The representative is the group's heaviest exact value. The grouping is relative, so it
    is the same for a document and for the document scaled.
    """
    groups: list[list[float]] = []
    for value in sorted(weights):
        if groups and same_size(groups[-1][-1], value):
            groups[-1].append(value)
        else:
            groups.append([value])
    return [(max(g, key=lambda v: (weights[v], v)), sum(weights[v] for v in g)) for g in groups]


def heaviest(weights: Counter[float]) -> float | None:
    found = clusters(weights)
    return max(found, key=lambda c: (c[1], c[0]))[0] if found else None


def body_size_of(sizes: Counter[float]) -> float:
    """The body size: the largest type that carries a good share of the characters.

    Not simply the commonest: a law review or a report with long notes may print more
    characters in its note size than in its body size.
    """
    found = clusters(sizes)
    if not found:
        raise ValueError("a layout without text has no measures")
    total = sum(weight for _, weight in found)
    candidates = [c for c in found if c[1] >= RULES.body_share * total] or found
    return max(candidates, key=lambda c: c[0])[0]


def measure(layout: Layout) -> LayoutStats:
    """Body font size, line pitch and text column, from the document itself."""
    sizes: Counter[float] = Counter()
    colors: Counter[int] = Counter()
    for page in layout.pages:
        for line in page.lines:
            for s in line.spans:
                if not s.superscript:
                    n = len(s.text.strip())
                    sizes[s.size] += n
                    colors[s.color] += n
    body_size = body_size_of(sizes)
    pitches: Counter[float] = Counter()
    lefts: Counter[int] = Counter()
    rights: list[float] = []
    step = RULES.edge_step * body_size
    for page in layout.pages:
        body = [l for l in page.lines if same_size(l.size, body_size)]  # the body size itself: not the notes
        for a, b in zip(body, body[1:]):
            d = b.baseline - a.baseline
            if RULES.pitch_min * body_size < d < RULES.pitch_max * body_size:
                pitches[d] += 1
        for l in body:
            lefts[round(l.x0 / step)] += 1
            rights.append(l.x1)
    line_pitch = heaviest(pitches) or RULES.default_pitch * body_size
    left = lefts.most_common(1)[0][0] * step if lefts else min(l.x0 for page in layout.pages for l in page.lines)
    rights.sort()
    right = rights[int(RULES.body_right_share * (len(rights) - 1))] if rights else max(
        l.x1 for page in layout.pages for l in page.lines
    )
    first = layout.pages[0]
    body_color = colors.most_common(1)[0][0] if colors else 0
    return LayoutStats(body_size, line_pitch, left, right, first.height, first.width, body_color, page_bodies(layout, body_size))


def page_bodies(layout: Layout, body_size: float) -> dict[int, float]:
    """The pages whose part of the document sets its body in another size than ``body_size``.

    A page's own body size is taken where it has enough text, smoothed over its neighbours
    (the median of a window of pages), so a page of notes or a table does not count as a
    part of its own; sizes that are one size with the document's body are the document's.
    """
    raw: list[float | None] = []
    for page in layout.pages:
        sizes: Counter[float] = Counter()
        for line in page.lines:
            for s in line.spans:
                if not s.superscript:
                    sizes[s.size] += len(s.text.strip())
        raw.append(body_size_of(sizes) if sum(sizes.values()) >= RULES.page_measure_chars else None)
    half = RULES.page_measure_window // 2
    out: dict[int, float] = {}
    for k, page in enumerate(layout.pages):
        window = sorted(v for v in raw[max(0, k - half) : k + half + 1] if v is not None)
        body = window[len(window) // 2] if window else body_size
        if not same_size(body, body_size):
            out[page.number] = body
    return out


def page_measures(layout: Layout, stats: LayoutStats) -> list[LayoutStats]:
    """The measures of each page's part of the document (see :func:`page_bodies`)."""
    out = []
    for page in layout.pages:
        body = stats.page_body(page.number)
        out.append(stats if body == stats.body_size else replace(stats, body_size=body, line_pitch=stats.leading * body))
    return out
