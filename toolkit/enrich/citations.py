"""Citations inside footnotes and the sources annex, wrapped in ``bibl`` spans.

A COI footnote is a ``;``-separated run of citations ("Kommersant, <title>,
5 oktober 2023 (RU); vertrouwelijke bron d.d. 5 november 2024"), sometimes
mixed with explanatory prose and "Zie ..." pointers.  This stage finds each
citation and marks its parts so archivists and translators can address them,
without ever changing a character: it only puts Spans around existing text.
The parser is heuristic and conservative; what does not have the shape of a
citation stays plain text, and any unexpected input is returned unparsed.

Span kinds and the attributes set here (each attribute becomes the TEI
attribute of the same name; ``lang`` becomes ``xml:lang``):

- ``bibl``: one citation.  ``type="confidential"`` for "vertrouwelijke bron d.d. ...".
- ``orgName`` / ``author``: the publisher, or a person ("Klein, M.", "Jane Doe (2024)").
- ``title``: ``level="a"`` for the cited article or report; a law ("Federale wet
  nr. 61-FZ") gets no level.  ``lang="ru"`` when the title is Cyrillic; the
  language of other titles is left to language tagging.
- ``date``: ``when`` in ISO 8601 (``2024``, ``2024-11``, ``2024-11-21``), only when
  the printed date is a real calendar date.  ``type="access"`` for "geraadpleegd
  op ...", ``type="updated"`` for "updated ..."/"bijgewerkt ...".
- ``citedRange``: ``unit="page"``; ``from``/``to`` for a single page range.
- ``textLang``: ``mainLang`` around a printed "(RU)": the printed title translates
  a source in that language.
- ``ref``: kept as the extractor made it (``target``); a printed ``http(s)://`` URL
  that has no ref yet gets one.  A ref never crosses a bibl: the bibl grows to
  contain it.  A title and a ref nest by extent: the ref sits inside the title
  when it covers the title or less, the title inside the ref when the ref is larger.

In an annex (:class:`~toolkit.document.Bibliography`) with a publisher head, each
entry is "title, date, ..." and gets the same structure without an ``orgName``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Iterable

from toolkit.dates import DAY_MONTH as _DAY_MONTH, match_date as _match_date, month_number as _month_number, normalise_date
from toolkit.document import Bibliography, Document, Inline, Span, Text, TextCursor, iter_blocks, plain_text
from toolkit.text import CYRILLIC, QUOTE_PAIRS, looks_like_url, printed_urls, sentence_end_pattern, sentence_ends

log = logging.getLogger(__name__)

__all__ = ["parse_note", "parse_bibliography", "parse_citations", "normalise_date", "iter_bibls"]

# --------------------------------------------------------------------------- patterns

_QUOTE_REACH = 300  # a quotation longer than this is taken for a stray quotation mark
_POINTER_REACH = 8  # capitalised words after "Zie voor …" where the citation may start
_OPEN_CLOSE = {"“": "”", "„": "“", "«": "»", "‘": "’", '"': '"', "'": "'"}

_ZIE = re.compile(
    r"(?:(?:[Zz]ie|[Ss]ee|[Ss]iehe|[Vv]gl\.|[Cc]f\.)(?:\s+(?:ook|also|auch))?"
    r"(?:\s+(?:voor|for|für)\s[^.;:]{0,120}?(?:\s+ook(?=\s)|:(?=\s)))?"
    r"|(?:[Bb]ron(?:nen)?|[Ss]ources?|[Qq]uellen?):)\s+"
)
_CROSSREF = re.compile(
    r"(?i)(?:paragraaf|paragrafen|par\.|§|hoofdstuk|sectie|bijlage|section|chapter|annex|appendix|"
    r"kapitel|abschnitt|noot|voetnoot|footnote|note|boven|hierboven|hieronder|onder|above|below|"
    r"het vorige|de vorige|eerder|\d)"
)
_CONFIDENTIAL = re.compile(
    r"(?i)(?:vertrouwelijke?\s+(?:bron(?:nen)?|e-?mail|gesprek|interview|document)"
    r"|confidential\s+(?:sources?|e-?mail|interview)|vertrauliche\s+quellen?)"
)
_LAW = re.compile(
    r"(?i)(?:federale\s+wet|federal\s+law|federales\s+gesetz|wet|gesetz|decreet|decree|besluit|ukaz|"
    r"oekaze|resolutie|resolution|закон|федеральный\s+закон|указ|постановление)(?!\w)"
)
# Lower-case particles inside a person's name: "Jan de Vries", "Ursula von der Leyen".
_PARTICLE = r"(?:de|van|der|den|ten|ter|von|zu|du|di|da|le|la|al|bin|ibn)"
_AUTHOR_YEAR = re.compile(
    r"(?P<a>[A-ZÀ-ÞА-Я][\w'’.-]+(?:\s+(?:" + _PARTICLE + r"\s+)*[A-ZÀ-ÞА-Я][\w'’.-]+){1,3})\s+\((?P<y>\d{4})\)(?=\s*[,:]\s)"
)
_ONE_AUTHOR = r"(?:" + _PARTICLE + r"\s+)*[A-ZÀ-ÞА-Я][\w'’-]+,\s+(?:[A-ZÀ-ÞА-Я]\.\s?){1,3}"
_AUTHOR_INITIALS = re.compile(
    r"(?P<a>" + _ONE_AUTHOR + r"(?:\s*(?:,|en|and|und|&)\s+" + _ONE_AUTHOR + r")*?)(?=,\s)"
)
_HEAD_SEP = re.compile(r",\s+|:\s+")

_SEP = re.compile(r"\s*,\s*|\s*")
_CONNECTOR = re.compile(r"(?:d\.d\.|dd\.|van|of|vom|from|от|dated)\s+")
_PAGES = re.compile(
    r"(?:(?:pp?\.|S\.|blz\.|pag\.|стр\.|с\.)\s*|(?:pp?|pages?|pagina's|pagina|Seiten?)\s+)"
    r"(?P<r>\d+(?:\s*[-–]\s*\d+)?(?:\s*(?:,|en|and|und|&)\s*\d+(?:\s*[-–]\s*\d+)?)*)"
    r"(?:\s*(?:ev\.?|e\.v\.|ff?\.|et seq\.?))?(?!\w)"
)
_PAGE_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
_ACCESS = re.compile(
    r"(?i:(?:laatst\s+)?geraadpleegd|bezocht|(?:last\s+)?accessed|retrieved|(?:zuletzt\s+)?(?:abgerufen|aufgerufen))"
    r"(?:\s+(?:op|on|am))?:?\s+"
)
_UPDATED = re.compile(
    r"(?i:(?:last\s+|laatst\s+)?(?:updated|bijgewerkt|aktualisiert)|stand)(?:\s+(?:op|on|am|tot|to|vom))?:?\s+"
)
_LANGMARK = re.compile(r"\((RU|EN|DE|NL|FR|UK|UA)\)")
_LANGCODES = {"RU": "ru", "EN": "en", "DE": "de", "NL": "nl", "FR": "fr", "UK": "uk", "UA": "uk"}
_NUMBER = re.compile(r"(?:nr|no|Nr|No|NR|NO|№|nummer|Nummer|number|Number|Issue|Heft)\.?\s*\d[\w/-]*(?:\.\d[\w/-]*)*")
# Parts of a citation after its title that are not part of it: a series ("SWP Comment",
# "Europe Report No. 265", "OSW Commentary", "Briefing Paper 1/2023"), a document symbol
# ("A/HRC/57/59", "CCPR/C/NRD/CO/8", "EUR 71/8123/2024", "Doc. 15892"), a journal with its
# volume ("Journal of Northern Affairs, 8:2"), a version, a paragraph reference.
_SERIES_WORD = (
    r"(?:Comment|Commentary|Aktuell|Studie|Study|Report|Paper|Brief|Briefing|Note|Notes|Analysis|Analyse|"
    r"Bulletin|Factsheet|Fact Sheet|Rapport|Notitie|Länderreport|Länderanalyse|Query Response|Background Paper|"
    r"Policy Paper|Working Paper|Research Paper|Occasional Paper|Policy Brief|Issue Brief|Series|Reeks|Reihe)"
)
_NUMBER_TOKEN = r"[\w/.-]*\d[\w/.-]*"
_SERIES = re.compile(
    r"(?:[A-ZÀ-Þ][\w&.]*[\s-]+){0,3}" + _SERIES_WORD + r"(?:\s+(?:No\.?|Nr\.?|Number|nr\.?|no\.?|N°|№)?\s*"
    + _NUMBER_TOKEN + r"(?:\s+" + _NUMBER_TOKEN + r")?)?(?=\s*(?:,|;|\(|$))"
)
_DOC_SYMBOL = re.compile(
    r"(?:[A-Z][A-Za-z]*\.?[A-Z]*(?:/[A-Za-z0-9.()\-]+)+|[A-Z]{2,5}\s\d+/\d+/\d{4}|Doc\.?\s*\d+|"
    r"(?:Resolution|Resolutie|Resolution)\s+\d+(?:\s*\(\d{4}\))?)(?=\s*(?:,|;|\(|$))"
)
_VOLUME = r"(?:\d+:\d+|\d+\s*\(\d+\)|\d{4}/\d+|(?:vol|Vol|jrg|Jg|Bd)\.\s*\d+)"
_JOURNAL = re.compile(
    r"(?:in:\s*)?(?P<j>[A-ZÀ-Þ][\w'’.&-]*(?:\s+(?:[A-ZÀ-Þ][\w'’.&-]*|of|for|on|voor|van|für|and|en|und|de|der)){0,7}),?\s+"
    + _VOLUME + r"(?=\s*(?:,|;|$))"
)
_BARE_RANGE = re.compile(r"\d{1,4}\s*[-–]\s*\d{1,4}(?=\s*(?:[.;]|$))")
_VERSION = re.compile(r"(?:Version|Versie|Fassung|Update|Edition|Editie)\s+\d[\w.]*(?=\s*(?:,|;|$))")
_PARAS = re.compile(r"(?:par\.|para\.|paras\.|§§?|alinea|Rn\.|Rz\.)\s*\d+(?:\.\d+)*(?:\s*[-–]\s*\d+(?:\.\d+)*)?(?!\w)")
_WITH_UPDATE = re.compile(r"(?:met|with|mit)\s+(?:updates?|update-?s|Aktualisierung(?:en)?)(?!\w)")
_ARTICLE = re.compile(r"(?:[Aa]rtikel(?:en)?|[Aa]rtt?\.|[Aa]rticles?|§)\s*\d[\w.]*(?:\s+(?:lid|sub|onder)\s+\w+)*")
_DOI = re.compile(r"(?:DOI|doi):?\s*10\.\d{3,9}/\S*[^\s.,;]")
_PAREN_REMARK = re.compile(r"\s*\([^()]{1,200}\)")
_NEW_SENTENCE_POINTER = re.compile(r"[.!?]\s+(?:[Zz]ie|[Ss]ee|[Ss]iehe)\s")
# Where the tail of a citation (date, pages, ...) may start after a title.
_TAIL_START = re.compile(
    r",\s*|\s+(?=\(|d\.d\.|dd\.|(?:van|of|vom|from|от|dated)\s+\d|(?:van|of|vom|from)\s+[^\W\d_]{3,10}\.?\s+\d"
    r"|\d{1,2}\.?\s+[^\W\d_]|\d{1,2}[./]\d|[^\W\d_]{3,10}\.?,?\s+\d|https?://|(?:nr|no|№)\.?\s*\d)"
)
# In a note a new sentence may also start in lower case: "… 2023. vertrouwelijke bron", "… Zie ook".
_SENTENCE_END = sentence_end_pattern(r"[A-ZÀ-ÞА-ЯЁ]|vertrouwelijk|zie\s")
# Lower-case words that mark prose, never part of a publisher's name.
_PROSE_WORDS = frozenset(
    """is zijn was waren werd werden wordt worden heeft hebben had hadden kan kon konden zou zouden moet
    moeten mag mogen volgens omgerekend dat niet geen om te ook nog er zich hij zij ze wij men gaat gaan
    ging kwam staat stond telde bedroeg volgde bijvoorbeeld namelijk respectievelijk resp. euro roebel
    dollar are were has have said would ist sind wurde wurden hat haben dass nicht wrote reported says writes
    reports stated meldde schreef berichtte aldus schrieb berichtete""".split()
)
_LANGUAGE_NAMES = frozenset(
    "russisch engels duits nederlands oekraïens frans russian english german dutch ukrainian french".split()
)
# Words that open a sentence but never a publisher's name ("In Moskou, Kazan en Oefa, ...").
_SENTENCE_OPENERS = frozenset(
    """in op na bij sinds tot voor tijdens door met uit onder naast toen als omdat hoewel ook daarnaast zo
    dit deze dat er hij zij ze wel niet nog maar en of want dus echter waar wanneer indien volgens
    after before since during on at from although however when while as according per im am seit nach laut""".split()
)
# Lower-case words that may open a publisher name: "website Human Rights House".
_LOWERCASE_HEAD_WORDS = frozenset("website webpagina telegram telegramkanaal kanaal dashboard".split())
_PREPOSITIONS = frozenset(
    """in of on at since until from to by van op tot sinds vanaf tussen na voor per met over om im am seit
    bis vom zum zur für mit nach und and en the de het een""".split()
)
_LETTER = re.compile(r"[^\W\d_]")
_FULL_STOP = re.compile(r"\.\s+\S")
_SPACE_CAPITAL = re.compile(r"\s+(?=[A-ZÀ-ÞА-Я])")
_COMMA_CAPITAL = re.compile(r",\s+(?=[A-ZÀ-ÞА-Я\"“‘«„])")
_AND_CAPITAL = re.compile(r"\s+(?:en|and|und|&)\s+(?=[A-ZÀ-ÞА-Я])")
# A pointer with words before the citation: "Zie voor de achtergrond Noordland Monitor, …".
_POINTER = re.compile(r"(?:[Zz]ie|[Ss]ee|[Ss]iehe|[Vv]gl\.|[Cc]f\.)\s+(?:ook\s+|also\s+|auch\s+)?(?:voor|for|für|hierover|daarover|in|on|zu|bij)\s")
_AMOUNT = re.compile(r"\d[\d.,]*\s")
_DAY_START = re.compile(r"(?<![\w.])\d{1,2}(?=\D)")
_LEAD_BULLET = re.compile(r"\s*(?:[-–—•·*]\s+)?")

# --------------------------------------------------------------------------- annotations


@dataclass(eq=False)
class _Ann:
    """A span over ``[start, end)`` of the flattened text, before it becomes a Span."""

    start: int
    end: int
    kind: str
    attrs: dict[str, str] = field(default_factory=dict)
    lang: str | None = None
    fixed: bool = False  # came with the input (or is a printed URL): never split, never dropped
    depth: int = 0
    seq: int = 0
    children: list["_Ann"] = field(default_factory=list)
    markers: list[tuple[int, int, Inline]] = field(default_factory=list)


@dataclass
class _Flat:
    text: str
    fixed: list[_Ann]
    markers: list[tuple[int, int, Inline, _Ann | None]]  # (pos, seq, node, original parent)


def _flatten(content: Iterable[Inline]) -> _Flat:
    parts: list[str] = []
    fixed: list[_Ann] = []
    markers: list[tuple[int, int, Inline, _Ann | None]] = []
    pos = 0

    def walk(nodes: Iterable[Inline], parent: _Ann | None, depth: int) -> None:
        nonlocal pos
        for node in nodes:
            if isinstance(node, Text):
                parts.append(node.text)
                pos += len(node.text)
            elif isinstance(node, Span) and _has_text(node.children):
                ann = _Ann(pos, pos, node.kind, dict(node.attrs), node.lang, True, depth, len(fixed))
                fixed.append(ann)
                walk(node.children, ann, depth + 1)
                ann.end = pos
            else:  # anchors, page breaks, empty spans: kept whole at their position
                markers.append((pos, len(markers), node, parent))

    walk(content, None, 0)
    return _Flat("".join(parts), fixed, markers)


def _has_text(nodes: Iterable[Inline]) -> bool:
    for node in nodes:
        if isinstance(node, Text) and node.text:
            return True
        if isinstance(node, Span) and _has_text(node.children):
            return True
    return False


def _crosses(a: _Ann, b: _Ann) -> bool:
    return a.start < b.start < a.end < b.end or b.start < a.start < b.end < a.end


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


# --------------------------------------------------------------------------- the parser


@dataclass
class _Citation:
    start: int
    end: int
    parts: list[_Ann]
    attrs: dict[str, str] = field(default_factory=dict)


class _NoteParser:
    """Finds citations in the flattened text of one note or annex entry."""

    def __init__(self, flat: _Flat, url_refs: list[_Ann]) -> None:
        self.text = flat.text
        self.refs = [a for a in flat.fixed if a.kind == "ref"] + url_refs
        self.ref_at = {a.start: a for a in self.refs}
        self.fixed_spans = [(a.start, a.end) for a in flat.fixed + url_refs if a.end > a.start]
        self.depth = 0  # nesting of look-ahead parses (see valid_end)

    # -- splitting ---------------------------------------------------------

    def segments(self, start: int, end: int) -> list[tuple[int, int]]:
        """``;``-separated pieces, not cut inside links, URLs or quotations."""
        text = self.text
        if ";" not in text[start:end]:
            return [(start, end)]
        cuts = []
        i = text.find(";", start, end)
        while i >= 0:
            if not _inside(i, self.fixed_spans) and not _in_quotation(text, i, start, end):
                cuts.append(i)
            i = text.find(";", i + 1, end)
        out, s = [], start
        for c in cuts:
            out.append((s, c))
            s = c + 1
        out.append((s, end))
        return out

    def sentence_starts(self, start: int, end: int) -> Iterable[int]:
        return _sentence_starts(self.text, start, end, self.fixed_spans)

    # -- note ---------------------------------------------------------------

    def parse_note(self) -> list[_Citation]:
        found: list[_Citation] = []
        segs = self.segments(0, len(self.text))
        i = 0
        while i < len(segs):
            s, e = segs[i]
            cits, open_end = self.parse_segment(s, e)
            if open_end and i + 1 < len(segs) and self._continues(segs[i + 1][0], segs[i + 1][1]):
                merged, _ = self.parse_segment(s, segs[i + 1][1])
                if merged and all(c.attrs.get("_tail") for c in merged[-1:]):
                    found.extend(merged)
                    i += 2
                    continue
            found.extend(cits)
            i += 1
        for c in found:
            c.attrs.pop("_tail", None)
        return found

    def _continues(self, s: int, e: int) -> bool:
        """Whether a piece after ``;`` looks like the rest of a title rather than a new citation."""
        piece = self.text[s:e].lstrip()
        if not piece or not piece[0].islower():
            return False
        return not (_CONFIDENTIAL.match(piece) or _ZIE.match(piece) or piece.startswith("http"))

    def parse_segment(self, start: int, end: int) -> tuple[list[_Citation], bool]:
        """Citations in one piece; the flag says the last one ran to the end without a tail."""
        out: list[_Citation] = []
        text = self.text
        pos = start
        open_end = False
        while pos < end:
            while pos < end and text[pos] in " \t\n\r.,:":
                pos += 1
            if pos >= end:
                break
            cit = self.citation_at(pos, end)
            nxt = next(iter(self.sentence_starts(pos, end)), None)
            if cit is None:
                cit = self.linked_in_prose(pos, nxt if nxt is not None else end)
            if cit is None and _POINTER.match(text, pos, end):
                cit = self.after_pointer(pos, nxt if nxt is not None else end, end)
            if cit is not None:
                out.append(cit)
                open_end = not cit.attrs.get("_tail") and text[cit.end : end].strip(" .;,:\t\n") == ""
                pos = cit.end
                joined = _AND_CAPITAL.match(text, pos, end)  # "…, 4 april 2024 en Oostmark Courant, …"
                if joined and cit.attrs.get("_tail"):
                    pos = joined.end()
                continue
            if nxt is None:
                break
            pos = nxt
        return out, open_end

    def after_pointer(self, start: int, stop: int, end: int) -> _Citation | None:
        """"Zie voor de achtergrond Noordland Monitor, …": the citation starts at one of the next
        few capitalised words."""
        for k, m in enumerate(_SPACE_CAPITAL.finditer(self.text, start, stop)):
            if k >= _POINTER_REACH:
                break
            found = self.citation_at(m.end(), end)
            if found is not None and found.attrs.get("_tail"):
                return found
        return None

    def linked_in_prose(self, start: int, stop: int) -> _Citation | None:
        """A link that starts inside a sentence and names the cited article, then its
        publisher and date: "Volgens de krant <werden veertig mannen opgepakt>, Noordstad
        Nieuws, 30 maart 2024". The citation starts at the link."""
        for ref in self.refs:
            if start < ref.start < stop:
                found = self.linked_title(ref.start, len(self.text))
                if found is not None:
                    return found
        return None

    def linked_title(self, core: int, end: int) -> _Citation | None:
        """"<link over the title>, Publisher, date": the title first, its publisher after it."""
        text = self.text
        ref = self.ref_at.get(core)
        if ref is None or ref.end > end or looks_like_url(text[ref.start : ref.end]):
            return None
        m = _HEAD_SEP.match(text, ref.end, end)
        if m is None or text[ref.end] != ",":
            return None
        head = self.head_end(m.end(), end)
        if head is None or _match_date(text, m.end(), end):
            return None
        found = self.tail(head[0], end)
        if not found or not any(a.kind == "date" for a in found[0]) or not self.valid_end(found[1], end):
            return None
        parts = [_title(text, ref.start, ref.end, "a"), _Ann(m.end(), head[0], "orgName")] + found[0]
        return _Citation(core, found[1], parts, {"_tail": "1"})

    def citation_at(self, pos: int, end: int) -> _Citation | None:
        text = self.text
        core = pos
        m = _ZIE.match(text, pos, end)
        if m:
            if _CROSSREF.match(text, m.end(), end):
                return None
            core = m.end()
        ref = self.ref_at.get(core)
        if ref is not None and ref.end <= end and looks_like_url(text[ref.start : ref.end]):
            # A bare URL, with the date it was consulted: "https://…, geraadpleegd op 3 mei 2024".
            tail = self.tail(ref.end, end)
            if tail and self.valid_end(tail[1], end):
                return _Citation(core, tail[1], tail[0], {"_tail": "url"})
            return _Citation(core, ref.end, [], {"_tail": "url"})
        m = _CONFIDENTIAL.match(text, core, end)
        if m:
            tail = self.tail(m.end(), end)
            stop = tail[1] if tail else m.end()
            return _Citation(core, stop, tail[0] if tail else [], {"type": "confidential", "_tail": "1"})
        linked = self.linked_title(core, end)
        if linked is not None:
            return linked
        headed = self.headed(core, end)
        if headed is not None and headed.attrs.get("_tail"):
            return headed
        bare = self.unheaded(core, end)
        if bare is not None:
            return bare
        return headed

    # -- forms ----------------------------------------------------------------

    def headed(self, core: int, end: int) -> _Citation | None:
        """Publisher or author, then title, then date/pages/...: the common form."""
        text = self.text
        parts: list[_Ann] = []
        m = _AUTHOR_YEAR.match(text, core, end)
        if m:
            parts.append(_Ann(m.start("a"), m.end("a"), "author"))
            parts.append(_Ann(m.start("y"), m.end("y"), "date", {"when": m["y"]}))
            title_start = _HEAD_SEP.match(text, m.end() + _spaces(text, m.end(), end), end)
            if title_start is None:
                return None
            title_start = title_start.end()
        else:
            m = _AUTHOR_INITIALS.match(text, core, end)
            if m:
                parts.append(_Ann(m.start("a"), m.end("a"), "author"))
                title_start = _HEAD_SEP.match(text, m.end(), end).end()
            else:
                head = self.head_end(core, end)
                if head is None:
                    return None
                head_end, title_start = head
                quoted = _enclosing_quote(text, core, head_end)
                if quoted:
                    return self.finish(core, end, parts, core, quoted_title_end=head_end)
                parts.append(_Ann(core, head_end, "orgName"))
                m = _AUTHOR_INITIALS.match(text, title_start, end)
                if m:
                    parts.append(_Ann(m.start("a"), m.end("a"), "author"))
                    title_start = _HEAD_SEP.match(text, m.end(), end).end()
        return self.finish(core, end, parts, title_start)

    def finish(
        self, core: int, end: int, parts: list[_Ann], title_start: int, quoted_title_end: int | None = None
    ) -> _Citation | None:
        text = self.text
        if quoted_title_end is not None:
            found = self.tail_after(quoted_title_end, end)
            if not found:
                return None
            tail_anns, stop, _ = found
            return _Citation(core, stop, [_title(text, core, quoted_title_end, "a")] + tail_anns, {"_tail": "1"})
        found = self.tail_after(title_start, end)
        if found:
            tail_anns, stop, title_end = found
            title_end = _rstrip(text, title_start, title_end)
            has_access = any(a.attrs.get("type") == "access" for a in tail_anns)
            if title_end > title_start:
                parts.append(_title(text, title_start, title_end, "a"))
            elif not has_access:
                return None
            return _Citation(core, stop, parts + tail_anns, {"_tail": "1"})
        # No tail: "Publisher, Title" up to the end of the piece.
        stop = _rstrip(text, title_start, end, extra=".;:")
        title = text[title_start:stop]
        if stop <= title_start or len(title.split()) > 30 or text[stop:end].strip(" .;:\t\n"):
            return None
        linked = any(r.start < stop and r.end > title_start for r in self.refs)
        if not linked and (
            not _starts_upper(title)
            or title.lstrip(" \"'“‘«„(")[:1].isdigit()
            or any(w.lower() in _PROSE_WORDS for w in title.split())
        ):
            return None
        parts.append(_title(text, title_start, stop, "a"))
        return _Citation(core, stop, parts, {})

    def unheaded(self, core: int, end: int) -> _Citation | None:
        """"Wet nr. 61-FZ d.d. 23 maart 2024", "Meduza Telegram bericht nr. 5 d.d. ...": name, then date."""
        text = self.text
        if not _starts_upper(text[core : core + 4]) or _match_date(text, core, end) is not None:
            return None
        next_sentence = next(iter(self.sentence_starts(core, end)), end)
        for m in _TAIL_START.finditer(text, core, end):
            p = m.start()
            if p == core:
                continue
            if p >= next_sentence:
                return None
            name = text[core:p]
            words = name.split()
            if len(words) > 12 or any(w.lower() in _PROSE_WORDS for w in words):
                return None
            found = self.tail(p, end, prev_word=words[-1])
            if found and any(a.kind == "date" for a in found[0]) and self.valid_end(found[1], end):
                parts = found[0]
                name_end = _rstrip(text, core, p)
                if _LAW.match(text, core, name_end):
                    parts = [_title(text, core, name_end, None)] + parts
                return _Citation(core, found[1], parts, {"_tail": "1"})
        return None

    def head_end(self, core: int, end: int) -> tuple[int, int] | None:
        """End of a publisher name and start of the title after its ``,`` or ``:``."""
        m = _HEAD_SEP.search(self.text, core, min(end, core + 90))
        if m is None:
            return None
        sep = m.start()
        if _inside(sep, self.fixed_spans) and not any(r.start <= core and sep < r.end for r in self.refs):
            return None  # a comma inside a linked title does not end the publisher's name
        return (sep, m.end()) if _valid_head(self.text[core:sep]) else None

    # -- tail ----------------------------------------------------------------

    def tail_after(self, title_start: int, end: int) -> tuple[list[_Ann], int, int] | None:
        """The earliest position after the title where a well-formed tail runs to the end."""
        text = self.text
        # No title at all: "Website X, geraadpleegd op 3 mei 2024".
        found = self.tail(title_start, end, after_comma=True) if _ACCESS.match(text, title_start, end) else None
        if found and self.valid_end(found[1], end):
            return found[0], found[1], title_start
        for m in _TAIL_START.finditer(text, title_start, end):
            p = m.start()
            if p <= title_start:
                continue
            if _NEW_SENTENCE_POINTER.search(text, title_start, p):
                return None  # the "title" runs into the next sentence
            words = text[title_start:p].split()
            found = self.tail(p, end, prev_word=words[-1] if words else "")
            if found and self.valid_end(found[1], end):
                return found[0], found[1], p
        return None

    def valid_end(self, q: int, end: int) -> bool:
        """Whether a citation may stop at ``q``: end of piece, sentence end, remark, next citation."""
        rest = self.text[q:end]
        if not rest.strip(" .;,:\t\n)"):
            return True
        if _PAREN_REMARK.match(rest) or _FULL_STOP.match(rest):
            return True
        # A missing ";" between two citations: "... 2023 (RU) The Moscow Times, ..., 2023", or a
        # "," in its place: "..., 3 mei 2024, Oostmark Courant, ..., 5 mei 2024".
        m = _SPACE_CAPITAL.match(rest) or _COMMA_CAPITAL.match(rest) or _AND_CAPITAL.match(rest)
        if m and self.depth < 2:
            self.depth += 1
            try:
                return self.citation_at(q + m.end(), end) is not None
            finally:
                self.depth -= 1
        return False

    def tail(self, p: int, end: int, prev_word: str = "", after_comma: bool = False) -> tuple[list[_Ann], int] | None:
        """Consume date, access date, pages, "(RU)", URL, number ... items from ``p``."""
        text = self.text
        anns: list[_Ann] = []
        q = p
        n = 0
        while q < end:
            m = _SEP.match(text, q, end)
            comma = "," in m.group() or (after_comma and n == 0)
            r = m.end()
            if r == q and n > 0:
                break
            item = self.item(r, end, comma, first=(n == 0), prev_word=prev_word)
            if item is None:
                break
            stop, item_anns = item
            anns.extend(item_anns)
            q = stop
            n += 1
        if n == 0:
            return None
        return anns, q

    def item(self, r: int, end: int, comma: bool, first: bool, prev_word: str) -> tuple[int, list[_Ann]] | None:
        text = self.text
        if r >= end:
            return None
        # A link or printed URL, bare or in brackets.
        paren = text[r] == "("
        u = r + 1 if paren else r
        ref = self.ref_at.get(u)
        if ref is not None and ref.end <= end and looks_like_url(text[ref.start : ref.end]):
            stop = ref.end
            if paren:
                if text[stop : stop + 1] != ")":
                    return None
                stop += 1
            return stop, []
        m = _LANGMARK.match(text, r, end)
        if m:
            return m.end(), [_Ann(m.start(), m.end(), "textLang", {"mainLang": _LANGCODES[m[1]]})]
        if not comma:
            m = _CONNECTOR.match(text, r, end)
            if m:
                d = _match_date(text, m.end(), end)
                if d:
                    return d[0], [_Ann(m.end(), d[0], "date", {"when": d[1]})]
                return None
            m = _NUMBER.match(text, r, end)
            if m:
                return m.end(), []
            if first and _may_precede_date(prev_word):
                d = _match_date(text, r, end)
                if d:
                    return d[0], [_Ann(r, d[0], "date", {"when": d[1]})]
            m = _ACCESS.match(text, r, end)
            if m and not first:
                return self._dated(m.end(), end, "access")
            m = _WITH_UPDATE.match(text, r, end)
            if m and not first:
                return m.end(), []  # "29 oktober 2021 met update": the date stays the date
            return None
        m = _ACCESS.match(text, r, end)
        if m:
            return self._dated(m.end(), end, "access")
        m = _UPDATED.match(text, r, end)
        if m:
            found = self._dated(m.end(), end, "updated")
            if found:
                return found
            dm = _DAY_MONTH.match(text, m.end(), end)
            if dm and _month_number(dm["m"]):
                return dm.end(), []
            return None
        m = _CONNECTOR.match(text, r, end)
        if m:  # ", vom 21. Juni 2024", ", d.d. 3 mei 2024"
            d = _match_date(text, m.end(), end)
            if d:
                return d[0], [_Ann(m.end(), d[0], "date", {"when": d[1]})]
        m = _WITH_UPDATE.match(text, r, end)
        if m and not first:
            return m.end(), []
        d = _match_date(text, r, end, allow_year=True)
        if d:
            return d[0], [_Ann(r, d[0], "date", {"when": d[1]})]
        m = _PAGES.match(text, r, end)
        if m:
            attrs = {"unit": "page"}
            rng = _PAGE_RANGE.fullmatch(m["r"])
            if rng and int(rng[1]) <= int(rng[2]):
                attrs["from"], attrs["to"] = rng[1], rng[2]
            return m.end(), [_Ann(r, m.end(), "citedRange", attrs)]
        m = _PARAS.match(text, r, end)
        if m:
            return m.end(), [_Ann(r, m.end(), "citedRange", {"unit": "para"})]
        m = (
            _NUMBER.match(text, r, end) or _DOI.match(text, r, end) or _ARTICLE.match(text, r, end)
            or _DOC_SYMBOL.match(text, r, end) or _SERIES.match(text, r, end) or _JOURNAL.match(text, r, end)
            or _VERSION.match(text, r, end)
        )
        if m:
            return m.end(), []
        m = _BARE_RANGE.match(text, r, end)
        if m and not first:
            return m.end(), [_Ann(r, m.end(), "citedRange", {"unit": "page"})]
        return None

    def _dated(self, r: int, end: int, kind: str) -> tuple[int, list[_Ann]] | None:
        d = _match_date(self.text, r, end, allow_year=True)
        if d is None:
            return None
        return d[0], [_Ann(r, d[0], "date", {"when": d[1], "type": kind})]

    # -- annex --------------------------------------------------------------

    def parse_entry(self, with_publisher: bool) -> list[_Citation]:
        """One annex entry: "title, date ..." under a publisher head, else a full citation.

        The entry is one ``bibl`` from its first to its last character (punctuation
        included), so the annex item and the citation are the same element.
        """
        found = self._entry(with_publisher)
        if len(found) == 1:
            found[0].start, found[0].end = 0, len(self.text)
        return found

    def _entry(self, with_publisher: bool) -> list[_Citation]:
        text = self.text
        start = _LEAD_BULLET.match(text).end()
        end = len(text)
        if not text[start:end].strip():
            return []
        if not with_publisher:
            found = self.parse_note()
            if found:
                return found
        parts: list[_Ann] = []
        title_start = start
        m = _AUTHOR_YEAR.match(text, start, end)
        if m:
            parts += [_Ann(m.start("a"), m.end("a"), "author"), _Ann(m.start("y"), m.end("y"), "date", {"when": m["y"]})]
            title_start = _HEAD_SEP.match(text, m.end() + _spaces(text, m.end(), end), end).end()
        else:
            m = _AUTHOR_INITIALS.match(text, start, end)
            if m:
                parts.append(_Ann(m.start("a"), m.end("a"), "author"))
                title_start = _HEAD_SEP.match(text, m.end(), end).end()
        found = self.tail_after(title_start, end)
        if found:
            tail_anns, stop, title_end = found
            title_end = _rstrip(text, title_start, title_end)
            if title_end > title_start:
                parts.append(_title(text, title_start, title_end, "a"))
            return [_Citation(start, stop, parts + tail_anns)]
        stop = _rstrip(text, start, end, extra=".;:")
        if stop > title_start:
            parts.append(_title(text, title_start, stop, "a"))
        return [_Citation(start, stop, parts)] if stop > start else []


# --------------------------------------------------------------------------- helpers


def _spaces(text: str, pos: int, end: int) -> int:
    n = 0
    while pos + n < end and text[pos + n].isspace():
        n += 1
    return n


def _sentence_starts(text: str, start: int, end: int, protected: list[tuple[int, int]] = []) -> Iterable[int]:
    """Offsets where a new sentence starts (not after "p.", "d.d.", initials, inside links)."""
    for m in sentence_ends(text, start, end, _SENTENCE_END):
        if protected and _inside(m.start(), protected):
            continue
        yield m.end()


def _may_precede_date(word: str) -> bool:
    """Whether a date may follow this word without a comma ("Federatie maart 2023", not "in May 2024")."""
    if not word or not (word[-1].isalpha() or word[-1] == ")"):
        return False
    return word.lower().strip("(") not in _PREPOSITIONS


def _starts_upper(s: str) -> bool:
    s = s.lstrip(" \"'“‘«„(")
    return bool(s) and (s[0].isupper() or s[0].isdigit())


def _valid_head(head: str) -> bool:
    h = head.strip()
    if not h or len(h) > 80 or h != head:
        return False
    words = h.split()
    if len(words) > 9:
        return False
    first = words[0]
    if not (
        h[0].isupper()
        or h[0] in "“‘«„\"'"
        or any(c.isupper() for c in first)
        or "." in first.strip(".")
        or (first.lower() in _LOWERCASE_HEAD_WORDS and len(words) > 1)
    ):
        return False
    if _AMOUNT.match(h):
        return False
    low = [w.lower().strip(".,:()") for w in words]
    if low[0] in _SENTENCE_OPENERS:
        return False
    if any(w in _PROSE_WORDS for w in low) or (len(words) == 1 and low[0] in _LANGUAGE_NAMES):
        return False
    if low[-1] in _LANGUAGE_NAMES and len(words) <= 3 and not any(w[:1].isupper() for w in words[1:]):
        return False  # "Vertaald uit het Russisch: ..." introduces a gloss; "BBC News Russian" is a name
    if next(iter(_sentence_starts(h, 0, len(h))), None) is not None:
        return False
    for m in _DAY_START.finditer(h):
        if _match_date(h, m.start(), len(h)):
            return False  # a full date inside: not a publisher name
    return True


def _in_quotation(text: str, i: int, start: int, end: int) -> bool:
    """Whether offset ``i`` lies between a pair of quotation marks (a ";" in a quoted title)."""
    lo, hi = max(start, i - _QUOTE_REACH), min(end, i + _QUOTE_REACH)
    for open_q, close_q in QUOTE_PAIRS:
        if open_q == close_q:  # straight quotes: inside when an odd number precede
            marks = [k for k in _find_all(text, open_q, start, i) if not _apostrophe(text, k)]
            if len(marks) % 2 == 1 and marks[-1] >= lo and _next_mark(text, close_q, i + 1, hi) >= 0:
                return True
            continue
        o = text.rfind(open_q, lo, i)
        if o < 0 or _next_mark(text, close_q, o + 1, i) >= 0:
            continue
        if _next_mark(text, close_q, i + 1, hi) >= 0:
            return True
    return False


def _find_all(text: str, ch: str, start: int, end: int) -> list[int]:
    out, k = [], text.find(ch, start, end)
    while k >= 0:
        out.append(k)
        k = text.find(ch, k + 1, end)
    return out


def _apostrophe(text: str, k: int) -> bool:
    """A ' or ’ between two letters ("Russia’s", "don't") is an apostrophe, not a quotation mark."""
    return 0 < k < len(text) - 1 and text[k - 1].isalnum() and text[k + 1].isalnum()


def _next_mark(text: str, close_q: str, start: int, end: int) -> int:
    k = text.find(close_q, start, end)
    while k >= 0 and close_q in "’'\"" and _apostrophe(text, k):
        k = text.find(close_q, k + 1, end)
    return k


def _enclosing_quote(text: str, start: int, end: int) -> bool:
    s = text[start:end]
    close = _OPEN_CLOSE.get(s[:1])
    return bool(close) and len(s) > 2 and s.endswith(close) and close not in s[1:-1]


def _rstrip(text: str, start: int, end: int, extra: str = "") -> int:
    chars = " \t\n\r," + extra
    while end > start and text[end - 1] in chars:
        end -= 1
    return end


def _title(text: str, start: int, end: int, level: str | None) -> _Ann:
    s = text[start:end]
    close = _OPEN_CLOSE.get(s[:1])
    if close and len(s) > 2 and s.endswith(close) and close not in s[1:-1]:
        start, end = start + 1, end - 1  # the quotation marks are punctuation, not title
    lang = None
    if CYRILLIC.search(text, start, end):
        letters = _LETTER.findall(text[start:end])
        if sum(1 for c in letters if CYRILLIC.match(c)) * 2 > len(letters):
            lang = "ru"
    return _Ann(start, end, "title", {"level": level} if level else {}, lang)


def _url_refs(flat: _Flat) -> list[_Ann]:
    """Refs for printed http(s) URLs that the extractor left as plain text (a "www." address
    is not taken: without its scheme the target would not be the printed text)."""
    spans = [(a.start, a.end) for a in flat.fixed if a.kind == "ref"]
    return [
        _Ann(s, e, "ref", {"target": target}, fixed=True, depth=0, seq=-1)
        for s, e, target in printed_urls(flat.text)
        if target == flat.text[s:e] and not _inside(s, spans) and not any(s < b and a < e for a, b in spans)
    ]


# --------------------------------------------------------------------------- tree building


_NAME_KINDS = frozenset({"title", "orgName", "author"})
_FIELD_RANK = {"title": 0, "orgName": 1, "author": 1, "date": 2, "citedRange": 3, "textLang": 4}


def _resolve(fixed: list[_Ann], citations: list[_Citation], text: str) -> list[_Ann]:
    """Turn citations into bibl and field annotations that nest with the fixed spans."""
    accepted: list[_Ann] = []
    last_end = 0
    for cit in citations:
        bibl = _Ann(cit.start, cit.end, "bibl", {k: v for k, v in cit.attrs.items() if not k.startswith("_")})
        changed = True
        while changed:  # grow over any link it cuts, so a link never spans two bibls
            changed = False
            for f in fixed:
                if _crosses(bibl, f):
                    bibl.start, bibl.end = min(bibl.start, f.start), max(bibl.end, f.end)
                    changed = True
        if bibl.start < last_end or bibl.end <= bibl.start or not text[bibl.start : bibl.end].strip():
            continue
        if any(f.start <= bibl.start and bibl.end <= f.end and f.kind == "bibl" for f in fixed):
            continue
        accepted.append(bibl)
        last_end = bibl.end
        fields: list[_Ann] = []
        for part in sorted(cit.parts, key=lambda a: _FIELD_RANK.get(a.kind, 9)):
            part.start, part.end = max(part.start, bibl.start), min(part.end, bibl.end)
            for f in fixed:
                if not _crosses(part, f):
                    continue
                if part.kind not in _NAME_KINDS:
                    break  # a date or page range cut by a link is dropped below, never reshaped
                overlap = min(part.end, f.end) - max(part.start, f.start)
                if overlap * 2 >= f.end - f.start:  # mostly inside: take the link in
                    part.start, part.end = min(part.start, f.start), max(part.end, f.end)
                elif f.start > part.start:
                    part.end = f.start
                else:
                    part.start = f.end
            part.end = _rstrip(text, part.start, part.end)
            if part.end <= part.start or not text[part.start : part.end].strip():
                continue
            if part.start < bibl.start or part.end > bibl.end:
                continue
            if any(_crosses(part, f) for f in fixed) or any(_crosses(part, g) for g in fields):
                continue
            if any(g.start == part.start and g.end == part.end for g in fields):
                continue
            fields.append(part)
        accepted.extend(fields)
    return accepted


def _build(flat: _Flat, extra_fixed: list[_Ann], new: list[_Ann]) -> list[Inline]:
    text = flat.text
    anns = flat.fixed + extra_fixed + new

    def key(a: _Ann) -> tuple[int, int, int, int]:
        if not a.fixed:
            rank = 0 if a.kind == "bibl" else 1
        else:
            rank = 2 + a.depth
        return (a.start, -a.end, rank, a.seq)

    root = _Ann(0, len(text), "root")
    stack = [root]
    for a in sorted(anns, key=key):
        while len(stack) > 1 and stack[-1].end <= a.start:
            stack.pop()
        stack[-1].children.append(a)
        stack.append(a)
    if not flat.markers:
        return _emit(text, root)
    # Depth of every node, to place markers as deep as their position allows.
    depth: dict[int, int] = {id(root): 0}
    parent_of: dict[int, _Ann] = {}
    order = [root]
    for node in order:
        for child in node.children:
            depth[id(child)] = depth[id(node)] + 1
            parent_of[id(child)] = node
            order.append(child)
    for pos, seq, node, orig in flat.markers:
        best = root
        cur = root
        while True:
            nxt = next((c for c in cur.children if c.start < pos < c.end), None)
            if nxt is None:
                break
            cur = nxt
        best = cur
        if orig is not None and depth.get(id(orig), -1) > depth[id(best)]:
            best = orig
        best.markers.append((pos, seq, node))
    return _emit(text, root)


def _emit(text: str, node: _Ann) -> list[Inline]:
    if not node.markers:
        out: list[Inline] = []
        pos = node.start
        for child in node.children:
            if child.start > pos:
                out.append(Text(text[pos : child.start]))
            out.append(Span(child.kind, _emit(text, child), dict(child.attrs), child.lang))
            pos = child.end
        if node.end > pos:
            out.append(Text(text[pos : node.end]))
        return out
    out = []
    cursor = TextCursor(text, node.markers, start=node.start)
    for child in node.children:
        cursor.emit_until(child.start, out)
        out.append(Span(child.kind, _emit(text, child), dict(child.attrs), child.lang))
        cursor.pos = child.end
    cursor.emit_until(node.end, out)
    cursor.emit_rest(out)
    return out


# --------------------------------------------------------------------------- public API


def parse_note(content: list[Inline]) -> list[Inline]:
    """The footnote's content with each citation wrapped in a ``bibl`` span.

    The text content never changes; on input it cannot parse (or already parsed)
    it returns a copy of the content as it was.
    """
    try:
        flat = _flatten(content)
        if not flat.text.strip() or any(a.kind == "bibl" for a in flat.fixed):
            return list(content)
        urls = _url_refs(flat)
        parser = _NoteParser(flat, urls)
        citations = parser.parse_note()
        new = _resolve(flat.fixed + urls, citations, flat.text)
        return _checked(content, flat.text, _build(flat, urls, new))
    except Exception:  # noqa: BLE001 - a footnote we cannot parse stays as printed
        log.warning("citation parsing failed on a note; left unparsed", exc_info=True)
        return list(content)


def _parse_entry(content: list[Inline], with_publisher: bool) -> list[Inline]:
    try:
        flat = _flatten(content)
        if not flat.text.strip() or any(a.kind == "bibl" for a in flat.fixed):
            return list(content)
        urls = _url_refs(flat)
        parser = _NoteParser(flat, urls)
        citations = parser.parse_entry(with_publisher)
        new = _resolve(flat.fixed + urls, citations, flat.text)
        return _checked(content, flat.text, _build(flat, urls, new))
    except Exception:  # noqa: BLE001 - an entry we cannot parse stays as printed
        log.warning("citation parsing failed on an annex entry; left unparsed", exc_info=True)
        return list(content)


def _checked(before: list[Inline], text: str, after: list[Inline]) -> list[Inline]:
    if plain_text(after) != text:  # pragma: no cover - guarded by construction
        log.warning("citation parsing changed a note's text; left unparsed")
        return list(before)
    return after


def parse_bibliography(bib: Bibliography) -> None:
    """Wrap each annex entry in a ``bibl`` span, in place.

    Under a publisher head an entry is "title, date ..."; in a flat annex it is
    a full citation with its publisher first.
    """
    with_publisher = bib.head is not None and bool(_has_text(bib.head))
    for entry in bib.entries:
        entry.content = _parse_entry(entry.content, with_publisher)


def parse_citations(doc: Document) -> None:
    """Parse the citations of every footnote and every sources annex of ``doc``, in place."""
    for note in doc.footnotes.values():
        note.content = parse_note(note.content)
    for block in iter_blocks(doc.blocks):
        if isinstance(block, Bibliography):
            parse_bibliography(block)


def iter_bibls(content: Iterable[Inline]) -> Iterable[Span]:
    """The ``bibl`` spans of parsed content, outermost first."""
    for node in content:
        if isinstance(node, Span):
            if node.kind == "bibl":
                yield node
            else:
                yield from iter_bibls(node.children)

