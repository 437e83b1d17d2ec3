"""Running text from layout lines: line joins, hyphenation, links, printed URLs, anchors.

A :class:`TextBuilder` collects the spans of a paragraph, heading or footnote in
reading order, records where each link rectangle and note marker falls in the
resulting string, and finally turns it into model inlines.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from toolkit.extract.layout import Line, LinkArea, TextSpan, vertical_share
from toolkit.extract.rules import RULES
from toolkit.document import Inline, Span, Text, TextCursor
from toolkit.text import URL, printed_urls as urls_in, uri_reference

WORD = re.compile(r"\w(?:[\w+]|-(?=\w))*")  # words, with their inner hyphens (niet-opvolgen)
URL_CONTINUATION = re.compile(r"^[\w\-./?=&%#~+:@!$*,;]+$")
HYPHEN_END = re.compile(r"([\w+]+) ?[-\u00ad\u2010]$")  # justified lines may space out the hyphen
# Prefixes that Dutch/German/English keep hyphenated before another word.
KEEP_HYPHEN_LEFT = {
    "niet", "anti", "ex", "oud", "pro", "non", "semi", "co", "pre", "post", "vice", "neo", "pseudo",
    "multi", "inter", "extra", "ultra", "self", "zelf", "kern", "e", "ngo", "oost", "west", "noord", "zuid",
}


@dataclass
class Vocabulary:
    """Words of the whole document, to decide line-end hyphens from the document's own usage."""

    words: set[str] = field(default_factory=set)
    hyphenated: set[str] = field(default_factory=set)
    # Does the document hyphenate words at line ends (justified, auto-hyphenation)? Then a
    # line-end hyphen is usually a break; in ragged text without it, usually a real hyphen.
    hyphenates: bool = False

    @classmethod
    def of(cls, lines: list[Line]) -> "Vocabulary":
        vocab = cls()
        words, hyphenated = vocab.words, vocab.hyphenated
        broken = False  # did the previous line end in a hyphen? then this line starts with a fragment
        line_ends = breaks = 0
        for line in lines:
            text = line.text.rstrip()
            if not text:
                continue
            found = WORD.findall(text.lower())
            ends_broken = text.endswith("-") and len(text) > 1 and text[-2].isalpha()
            if ends_broken and found:
                found.pop()  # "ver-": a fragment, not a word
            if broken and found:
                found.pop(0)  # "schillende": the rest of the previous line's fragment
            words.update(found)
            hyphenated.update(w for w in found if "-" in w)
            broken = ends_broken
            line_ends += 1
            breaks += broken
        # A few line-end hyphens say nothing; a hyphenating document has them by the dozen.
        vocab.hyphenates = breaks >= RULES.hyphen_min_breaks and breaks > RULES.hyphen_share * max(line_ends, 1)
        return vocab


# Vowels that read as one sound when they meet (eu, ie, oe, aa, ...): Dutch spelling puts
# a hyphen (or a trema) between the parts of a compound where they would, so a break
# between them is never a plain syllable break. Short right parts (muse-um) and English
# "-ing" (see-ing) are left to the other rules.
VOWEL_CLASH = frozenset("aa ae ai au ee ei eu ie ii oe oi oo ou ui uu".split())


def keeps_hyphen(left: str, right: str, vocab: Vocabulary) -> bool:
    """Is ``left-`` + ``right`` at a line end a real hyphen (niet-opvolgen) or a word break?"""
    l, r = left.lower(), right.strip(".,;:()[]“”\"'‘’!?").lower()
    if not r:
        return True
    if f"{l}-{r}" in vocab.hyphenated:
        return True
    if f"{l}{r}" in vocab.words:
        return False
    if r[:1].isupper() or right[:1].isupper() or right[:1].isdigit() or left[-1:].isdigit():
        return True
    if left.isupper() and len(left) > 1:  # acronyms: ngo-, LHBTIQ-
        return True
    if l in KEEP_HYPHEN_LEFT:
        return True
    if left[:1].isupper() and l in vocab.words and r in vocab.words and min(len(l), len(r)) > RULES.hyphen_min_word:
        return True  # a name and a word that both stand alone elsewhere: Telegram-kanaal
    if any(c.isupper() for c in left[1:]):
        return True  # WhatsApp-groep, LHBTIQ-: mixed case is no syllable
    if l[-1:] + r[:1] in VOWEL_CLASH and len(r) > RULES.hyphen_min_word and not r.startswith("ing"):
        return True  # defensie-uitgaven, zee-egel: Dutch writes that hyphen, no hyphenation splits there
    if not vocab.hyphenates and l in vocab.words and r in vocab.words and min(len(l), len(r)) > RULES.hyphen_min_word:
        return True  # both halves stand as words elsewhere and the text is not hyphenated: youtube-kanaal
    # No evidence either way: a document that hyphenates breaks words; one that does not
    # only ever shows real hyphens at line ends (vreemdelingen-detentie).
    return not vocab.hyphenates


class TextBuilder:
    """Accumulates spans into one string with events (anchors, page breaks) and link ranges."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.chunks: list[str] = []
        self.length = 0
        self.events: list[tuple[int, int, Inline]] = []  # (offset, order, node)
        self.links: list[tuple[int, int, str]] = []
        self.superscripts: list[tuple[int, int]] = []
        self.last_link_uri: str | None = None
        self._order = 0

    # -- text ---------------------------------------------------------------
    def text(self) -> str:
        return "".join(self.chunks)

    def _append(self, s: str) -> int:
        start = self.length
        self.chunks.append(s)
        self.length += len(s)
        return start

    def _tail(self, n: int = 200) -> str:
        out = ""
        for chunk in reversed(self.chunks):
            out = chunk + out
            if len(out) >= n:
                break
        return out[-n:]

    def _last_token(self) -> str:
        """The text after the last white space, however many chunks back it starts."""
        out = ""
        for chunk in reversed(self.chunks):
            cut = max(chunk.rfind(" "), chunk.rfind("\n"), chunk.rfind("\t"))
            if cut >= 0:
                return chunk[cut + 1 :] + out
            out = chunk + out
        return out

    def _drop_last_char(self) -> None:
        last = self.chunks[-1]
        self.chunks[-1] = last[:-1]
        self.length -= 1
        # Ranges that ended past the new end shrink with it.
        self.links = [(s, min(e, self.length), u) for s, e, u in self.links]

    def add_event(self, node: Inline) -> None:
        self._order += 1
        self.events.append((self.length, self._order, node))

    def begin_line(self, line: Line, first_text: str) -> None:
        """Join a new line to what came before: space, nothing (hyphen, URL), or nothing at all."""
        if self.length == 0:
            return
        tail = self._tail(80)
        head = first_text.lstrip()
        if tail.endswith(" ") or not head:
            return
        m = HYPHEN_END.search(tail) if tail[-1:] in ("-", "\u00ad", "\u2010") else None
        last_token = self._last_token()
        if m and tail[-2:-1] == " " and not self.vocab.hyphenates:
            # Only a hyphenating document spaces out a break hyphen ("beslo -" + "ten"); in
            # one that does not, "Föderation -" + "Militärdienst" is a dash and keeps its space.
            m = None
        if m and not URL.search(last_token) and head[:1].isalpha():
            next_word = head.split()[0] if head.split() else head
            if tail.endswith("\u00ad") or not keeps_hyphen(m.group(1), next_word, self.vocab):
                self._drop_last_char()
                if self._tail(1) == " ":
                    self._drop_last_char()
            elif tail.endswith(" -"):
                self._drop_last_char()
                self._drop_last_char()
                self._append("-")
            return
        if re.search(r"\d[-–]$", tail) and head[:1].isdigit():
            return  # a number range broken after its dash: 395-418
        if self._url_continues(last_token, head, line):
            return
        self._append(" ")

    def _url_continues(self, last_token: str, head: str, line: Line) -> bool:
        if not URL.match(last_token) or last_token[-1:] in ".,;)":
            return False
        first = head.split()[0]
        # The same link annotation over the end of one line and the start of the next decides.
        if self.last_link_uri and self._link_at_line_start(line) == self.last_link_uri:
            return True
        if not URL_CONTINUATION.match(first):
            return False
        if last_token[-1] in "/-_=?&.#%" :
            return True
        return bool(re.search(r"[/=&?_%]|\.\w{2,4}\b|\d", first)) and not first[:1].isupper()

    def _link_at_line_start(self, line: Line) -> str | None:
        first = next((s for s in line.spans if s.text.strip()), None)
        if first is None:
            return None
        for link in line.links:
            if covers(link, first, first.x0 + RULES.link_slack * first.size):
                return link.uri
        return None

    def add_span(self, line: Line, span_index: int, span: TextSpan, text: str | None = None, skip: int = 0) -> None:
        """Append a span's text (optionally only from character ``skip`` on), recording links."""
        raw = span.text if text is None else text
        if raw.isspace() and span.size < RULES.marker_small * line.size:
            return  # a space set in marker size belongs to the marker run, not to the text
        if self.length == 0 or self._tail(1) in (" ", ""):
            stripped = raw.lstrip()
            skip += len(raw) - len(stripped)
            raw = stripped
        prev_space = self._tail(1) == " "
        soft = "\u00ad" in raw[:-1]  # soft hyphens inside a line are invisible break points, not text
        if not soft and "  " not in raw and "\t" not in raw and "\n" not in raw and not (prev_space and raw[:1] == " "):
            if not raw:
                return
            kept = range(skip, skip + len(raw))  # nothing to collapse: character k came from k + skip
            out = raw
        else:
            # Collapse runs of white space, remembering where each kept character came from.
            kept_list: list[int] = []
            chars: list[str] = []
            last = len(raw) - 1
            for i, ch in enumerate(raw):
                if ch == "\u00ad" and i < last:
                    continue
                if ch.isspace():
                    if prev_space:
                        continue
                    ch = " "
                    prev_space = True
                else:
                    prev_space = False
                chars.append(ch)
                kept_list.append(i + skip)
            if not chars:
                return
            kept, out = kept_list, "".join(chars)
        start = self._append(out)
        self._record_links(line, span_index, span, start, kept)

    def separate(self, previous: TextSpan, span: TextSpan) -> None:
        """Insert a space between two spans of a line when the gap between them shows one."""
        if self.length == 0 or self._tail(1) == " " or span.text[:1].isspace():
            return
        gap = span.x0 - previous.x1
        if gap > RULES.span_gap * min(span.size, previous.size) and not span.superscript:
            self._append(" ")

    def _record_links(self, line: Line, span_index: int, span: TextSpan, start: int, kept: list[int]) -> None:
        if not line.links:
            return
        cover = span.cover
        for k, link in enumerate(line.links):
            if vertical_share(link, span) < RULES.link_vertical or link.x1 <= span.x0 or link.x0 >= span.x1:
                continue
            if cover is None:  # the link covers the whole span
                first, last = 0, len(kept) - 1
            else:
                covered = cover.get(k)
                if covered is None:
                    continue
                # kept holds, in order, the span index each appended character came from.
                first, last = bisect_left(kept, covered[0]), bisect_right(kept, covered[1]) - 1
            if first <= last:
                self.links.append((start + first, start + last + 1, link.uri))
                self.last_link_uri = link.uri

    # -- result ---------------------------------------------------------------
    def build(self) -> list[Inline]:
        text = self.text()
        end = len(text.rstrip())
        ranges = merge_ranges(self.links, text)
        ranges += printed_urls(text, ranges)
        # Superscripts that are no note markers (m², 10⁶) stay raised: <hi rend="superscript">.
        ranges += [(s, e, None) for s, e in self.superscripts if e <= end and not any(ls < e and s < le for ls, le, _ in ranges)]
        ranges.sort()
        return to_inlines(text[:end], [(min(o, end), k, n) for o, k, n in self.events], ranges)


def covers(link: LinkArea, span: TextSpan, x: float) -> bool:
    return vertical_share(link, span) > RULES.link_vertical and link.x0 <= x <= link.x1


def merge_ranges(ranges: list[tuple[int, int, str]], text: str) -> list[tuple[int, int, str]]:
    """One range per link: join pieces of the same URI separated only by white space."""
    out: list[tuple[int, int, str]] = []
    for s, e, uri in sorted(ranges):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s >= e:
            continue
        if out and out[-1][2] == uri and not text[out[-1][1] : s].strip():
            out[-1] = (out[-1][0], max(e, out[-1][1]), uri)
        elif out and s < out[-1][1]:  # overlapping links: keep the first
            continue
        else:
            out.append((s, e, uri))
    return out


def printed_urls(text: str, linked: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """URLs printed in the text that no link annotation already covers."""
    return [(s, e, target) for s, e, target in urls_in(text) if not any(ls < e and s < le for ls, le, _ in linked)]


def to_inlines(text: str, events: list[tuple[int, int, Inline]], ranges: list[tuple[int, int, str]]) -> list[Inline]:
    """Cut the text at event offsets and range edges; ranges become ref (or hi) spans."""
    cursor = TextCursor(text, events)
    out: list[Inline] = []
    for s, e, uri in ranges:
        if s < cursor.pos:
            continue
        cursor.emit_until(s, out, inclusive=True)  # an anchor right before a link stays outside it
        ref = Span("ref", attrs={"target": uri_reference(uri)}) if uri is not None else Span("hi", attrs={"rend": "superscript"})
        cursor.emit_until(e, ref.children, inclusive=False)
        ref.children = merge_texts(ref.children)
        out.append(ref)
    cursor.emit_until(len(text), out, inclusive=True)
    cursor.emit_rest(out)
    return merge_texts(out)


def merge_texts(nodes: list[Inline]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        if isinstance(node, Text):
            if not node.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + node.text)
                continue
        out.append(node)
    return out


def merge_inline(first: list, second: list) -> list:
    if first and second and isinstance(first[-1], Text) and isinstance(second[0], Text):
        return first[:-1] + [Text(first[-1].text + " " + second[0].text)] + second[1:]
    return first + ([Text(" ")] if first and second else []) + second
