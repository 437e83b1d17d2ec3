"""Running headers, footers and page numbers: text that recurs at the same place on many pages.

Running text is found from repetition, not from gaps: a line belongs to a *slot* (top or
bottom of the page, its baseline height, its type size); a slot holds running text when
it is filled on enough pages and its lines mostly repeat from page to page (digits folded,
so "Pagina 12 van 83" repeats as "pagina # van #"). A chapter title in the header changes
with the chapter but repeats within it; odd and even pages and the first page may differ.
Within a running slot, a line with a text of its own (the header of a one-page chapter)
is running too when it is set like the slot's other lines.

Only lines reached from the page edge through running lines are taken, so a repeated
note ("Ibid.") or body sentence in the middle of a page never is; and a slot whose lines
differ from page to page (the last note line, the first body line) is not running.
A bare page number at the outer edge ("12", "- 12 -", "Pagina 12 van 83") is always one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from toolkit.document import RunningText
from toolkit.extract.layout import Layout, Line
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats, same_size, size_key

PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:pagina|page|seite|blz\.?|p\.|s\.)\s*)?(\d{1,4}|[ivxlcdm]{1,6})"
    r"(?:\s*(?:van|of|von|/|de|sur)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.I,
)


def shape(text: str) -> str:
    """The text with digits (and roman page numbers) folded: what repeats from page to page."""
    folded = re.sub(r"\d+", "#", " ".join(text.split())).lower()
    return re.sub(r"(?<![\w])[ivxlc]{1,6}(?![\w])", "#", folded) if PAGE_NUMBER.match(text) else folded


def core(folded: str) -> str:
    """A folded text without its numbers and the punctuation around them: "openbare versie"."""
    return re.sub(r"[#\s\W]+", " ", folded).strip()


@dataclass
class _Candidate:
    line: Line
    where: str  # "top" | "bottom"
    depth: int  # 0 for the outermost line, 1 for the next one in, ...
    slot: tuple[str, int, float]
    shape: str
    glued: bool = False  # set like the line next to it inwards, at its line pitch: one block of text


def find_running(layout: Layout, stats: LayoutStats) -> tuple[set[tuple[int, int]], list[RunningText]]:
    """The (page, line index) keys of running lines, and their records for the TEI."""
    height_step = RULES.running_height * stats.line_pitch
    candidates: list[_Candidate] = []
    for page in layout.pages:
        candidates.extend(_page_candidates(page, height_step, stats))
    slots = _running_slots(candidates, len(layout.pages))
    # The texts that run on most pages, for a page that sets them elsewhere (a first page).
    everywhere = RULES.running_glued_share * len(layout.pages)
    cores = {
        (key[0], key[2], core(shape_))
        for key, slot in slots.items() for shape_, n in slot.shapes.items() if n >= 2 and n >= everywhere
    }
    keys: set[tuple[int, int]] = set()
    records: list[RunningText] = []
    by_page: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_page[c.line.page].append(c)
    for page_number, page_candidates in sorted(by_page.items()):
        for where in ("top", "bottom"):
            edge = [c for c in page_candidates if c.where == where]
            peeling = True
            for depth in range(max((c.depth for c in edge), default=-1) + 1):
                # Peel from the edge inwards: a level of the page is running when a piece of it
                # is; the first level without running text ends the peeling. Deeper in the band
                # only a known running text in its own size is still taken (a first page that
                # sets its footer above a line of its own).
                found = False
                for c in (c for c in edge if c.depth == depth):
                    known = (c.where, c.slot[2], core(c.shape)) in cores and len(core(c.shape)) >= 4
                    kind = _running_kind(c, slots, known, page_height=layout.pages[page_number - 1].height)
                    if kind is None or not (peeling or known):
                        continue
                    if c.glued and kind != "pageNum" and not _everywhere(c, slots):
                        # One block with the text inside it: the last line of a note repeated
                        # on a few pages ("Ibid.", "para 35"), not a footer.
                        continue
                    found = True
                    keys.add((c.line.page, c.line.index))
                    records.append(RunningText(page=c.line.page, kind=kind, text=" ".join(c.line.text.split())))
                peeling = peeling and found
    records.sort(key=lambda r: (r.page, r.kind != "header"))
    return keys, records


def _running_kind(c: _Candidate, slots: dict, known: bool, page_height: float) -> str | None:
    """"header", "footer" or "pageNum" for a running line; None for any other.

    ``known``: the line's text is a running text of another page, in the same size.
    """
    number = PAGE_NUMBER.match(c.line.text) is not None
    slot = slots.get(_slot_key(c.slot, slots))
    if slot is not None and slot.takes(c) or known:
        return "pageNum" if number else ("header" if c.where == "top" else "footer")
    # A bare page number is one without a slot (a document of two pages, a first page),
    # when it stands in the outer part of the band.
    edge = c.line.y1 if c.where == "top" else page_height - c.line.y0
    if number and edge <= RULES.page_number_band * page_height:
        return "pageNum"
    return None


def _page_candidates(page, height_step: float, stats: LayoutStats) -> list[_Candidate]:
    """The lines in the top and bottom bands of a page, with their depth from the edge."""
    if not page.lines:
        return []
    band = RULES.running_band * page.height
    by_height = sorted(page.lines, key=lambda l: l.baseline)
    out: list[_Candidate] = []
    for where, ordered in (("top", by_height), ("bottom", by_height[::-1])):
        depth, last_baseline = -1, None
        for k, line in enumerate(ordered):
            inside = line.y1 <= band if where == "top" else line.y0 >= page.height - band
            if not inside:
                break
            if last_baseline is None or abs(line.baseline - last_baseline) > RULES.same_baseline * line.size:
                depth += 1  # pieces of one line (left, centre, right) share a depth
            last_baseline = line.baseline
            inner = next((l for l in ordered[k + 1 :] if abs(l.baseline - line.baseline) > RULES.same_baseline * line.size), None)
            slot = (where, round(line.baseline / height_step), size_key(line.size, stats))
            out.append(_Candidate(line, where, depth, slot, shape(line.text), _glued(line, inner, stats.leading)))
    return out


def _everywhere(c: _Candidate, slots: dict) -> bool:
    """Is the line's slot filled with repeated text on most pages (a footer set right under the notes)?"""
    slot = slots.get(_slot_key(c.slot, slots))
    return slot is not None and slot.coverage >= RULES.running_glued_share


def _glued(line: Line, inner: Line | None, leading: float) -> bool:
    """Is ``inner`` the next line of the same block of text (same type, at its line pitch)?"""
    if inner is None or not line.spans or not inner.spans:
        return False
    same_type = same_size(line.size, inner.size) and line.spans[0].font == inner.spans[0].font
    close = abs(line.baseline - inner.baseline) <= RULES.block_pitch * max(line.size, inner.size) * leading
    return same_type and close and line.x0 < inner.x1 and inner.x0 < line.x1


@dataclass
class _Slot:
    shapes: Counter
    fonts: Counter
    pages: int
    coverage: float  # share of the document's pages with a repeated text in this slot

    def takes(self, c: _Candidate) -> bool:
        """A line of a running slot: a repeated text, or one set like the repeated ones."""
        if self.shapes[c.shape] >= 2 or PAGE_NUMBER.match(c.line.text):
            return True
        font = c.line.spans[0].font if c.line.spans else ""
        return self.fonts[font] >= 2 and font == self.fonts.most_common(1)[0][0]


def _running_slots(candidates: list[_Candidate], pages: int) -> dict[tuple[str, int, float], _Slot]:
    """The slots that hold running text (see the module docstring)."""
    grouped: dict[tuple[str, int, float], list[_Candidate]] = defaultdict(list)
    for c in candidates:
        grouped[c.slot].append(c)
    # Neighbouring heights merge: a header may sit half a pitch lower on some pages.
    merged: dict[tuple[str, int, float], list[_Candidate]] = {}
    for key in sorted(grouped, key=lambda k: -len(grouped[k])):
        home = next((k for k in merged if k[0] == key[0] and k[2] == key[2] and abs(k[1] - key[1]) <= 1), None)
        merged.setdefault(home or key, []).extend(grouped[key])
    if pages < RULES.running_min_pages:
        return {}  # too few pages to tell running text from text that happens to repeat
    needed = max(RULES.running_min_pages, RULES.running_page_share * pages)
    slots: dict[tuple[str, int, float], _Slot] = {}
    for key, members in merged.items():
        filled = len({c.line.page for c in members})
        if filled < needed:
            continue
        shapes = Counter()
        for page_shapes in {(c.line.page, c.shape) for c in members}:
            shapes[page_shapes[1]] += 1
        repeated = sum(1 for c in members if shapes[c.shape] >= 2 or PAGE_NUMBER.match(c.line.text))
        if repeated < RULES.running_repeat_share * len(members):
            continue
        fonts = Counter(c.line.spans[0].font for c in members if c.line.spans and shapes[c.shape] >= 2)
        covered = len({c.line.page for c in members if shapes[c.shape] >= 2 or PAGE_NUMBER.match(c.line.text)})
        slots[key] = _Slot(shapes, fonts, filled, covered / max(pages, 1))
    return slots


def _slot_key(slot: tuple[str, int, float], slots: dict) -> tuple[str, int, float] | None:
    """The running slot a line's slot was merged into (its own, or a neighbouring height)."""
    if slot in slots:
        return slot
    where, height, size = slot
    for d in (-1, 1):
        if (where, height + d, size) in slots:
            return (where, height + d, size)
    return None
