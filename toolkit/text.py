"""Text facts every stage shares: languages, scripts, URLs, quotation marks, acronyms, sentence ends.

One definition each, so that the extractor, the citation parser, the language tagger
and the translator agree on what a URL, a sentence end or an abbreviation is.
"""

from __future__ import annotations

import re
from typing import Iterator

# -- languages -------------------------------------------------------------------------

SOURCE_LANGUAGE = "ru"  # the language coitool translates from
PIVOT_LANGUAGE = "en"  # Dutch and German go through English when there is no direct model
TARGET_LANGUAGES = ("en", "nl", "de")  # the languages it translates into
REPORT_LANGUAGES = ("nl", "en", "de", "ru")  # the languages of the reports and their sources

# -- scripts ----------------------------------------------------------------------------

CYRILLIC = re.compile(r"[\u0400-\u052f]")  # Cyrillic and Cyrillic Supplement


def has_cyrillic(text: str) -> bool:
    return CYRILLIC.search(text) is not None


# -- URLs ------------------------------------------------------------------------------

# A URL as printed in running text: up to white space, angle brackets or a quotation mark.
URL = re.compile(r"(?:https?://|www\.)[^\s<>\"“”‘’«»]+", re.I)
URL_TAIL_PUNCT = ".,;:!?)]}'»"  # punctuation after a printed URL that belongs to the sentence
_SCHEME = re.compile(r"^(?:https?://|www\.)", re.I)
_DOMAIN = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?:/\S*)?")


def url_target(url: str) -> str:
    """The address a printed URL points to: "www.x.org" -> "https://www.x.org"."""
    return uri_reference(url if url.lower().startswith(("http://", "https://")) else "https://" + url)


# What RFC 3986 allows in a URI reference besides an escape: unreserved, reserved and "%".
_URI_SAFE = "-._~:/?#@!$&'()*+,;=%"  # brackets only delimit IPv6 hosts; libxml2 refuses them elsewhere
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def uri_reference(uri: str) -> str:
    """``uri`` as a valid URI reference (RFC 3986), as ``ref/@target`` must be.

    Links in PDFs carry spaces, backslashes, bare ``%`` and non-ASCII letters; each is
    percent-encoded (UTF-8), escapes already there are kept, and a valid URI comes back
    unchanged. The text of the link keeps the address as printed.
    """
    from urllib.parse import quote

    uri = _BAD_PERCENT.sub("%25", uri.strip())
    return quote(uri, safe=_URI_SAFE)


def printed_urls(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, target) of every URL printed in ``text``, without the sentence's punctuation after it.

    A closing bracket stays when the URL opened one ("…/Wiki_(band)").
    """
    for m in URL.finditer(text):
        s, e = m.span()
        while e > s and text[e - 1] in URL_TAIL_PUNCT:
            if text[e - 1] == ")" and text[s:e].count("(") >= text[s:e].count(")"):
                break
            e -= 1
        url = text[s:e]
        if not _SCHEME.sub("", url):
            continue  # a scheme with nothing after it
        yield s, e, url_target(url)


def looks_like_url(text: str) -> bool:
    """A whole string that is a URL or a bare domain ("meduza.io/news", "www.ovd.info")."""
    s = text.strip()
    return bool(s) and " " not in s and ("://" in s or s.lower().startswith("www.") or _DOMAIN.fullmatch(s) is not None)


# -- quotation marks ------------------------------------------------------------------

# Opening mark -> closing marks it pairs with (German „…“, Russian «…», English “…”).
QUOTE_PAIRS = (("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’"), ('"', '"'), ("'", "'"))
OPENING_QUOTES = "\"'“‘„«"
CLOSING_QUOTES = "\"'”’»"

# -- month names -------------------------------------------------------------------

# The months as sources write them: nl, en, de, fr and ru (genitive and nominative), with abbreviations.
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    1: ("januari", "jan", "january", "januar", "jänner", "janvier", "января", "январь", "янв"),
    2: ("februari", "feb", "febr", "february", "februar", "février", "февраля", "февраль", "фев"),
    3: ("maart", "mrt", "mar", "march", "märz", "maerz", "mär", "mars", "марта", "март", "мар"),
    4: ("april", "apr", "avril", "апреля", "апрель", "апр"),
    5: ("mei", "may", "mai", "мая", "май"),
    6: ("juni", "jun", "june", "juin", "июня", "июнь", "июн"),
    7: ("juli", "jul", "july", "juillet", "июля", "июль", "июл"),
    8: ("augustus", "aug", "august", "août", "августа", "август", "авг"),
    9: ("september", "sep", "sept", "septembre", "сентября", "сентябрь", "сен"),
    10: ("oktober", "okt", "oct", "october", "octobre", "октября", "октябрь", "окт"),
    11: ("november", "nov", "novembre", "ноября", "ноябрь", "ноя"),
    12: ("december", "dec", "dezember", "dez", "décembre", "декабря", "декабрь", "дек"),
}
MONTHS = {name: n for n, names in MONTH_NAMES.items() for name in names}

# -- acronyms and abbreviations -------------------------------------------------------


def is_acronym(word: str) -> bool:
    """FSB, LHBTIQ, OVD-Info, WvS, ФСБ, КоАП: mostly capitals, or a capitalised head before a hyphen."""
    head = word.split("-")[0]
    uppers = sum(1 for c in head if c.isupper())
    return len(head) >= 2 and uppers >= 2 and uppers * 2 >= len(head)


# Words a full stop follows without ending the sentence (compared in lower case, without
# the final stop). Single letters (initials) and dotted forms (o.a., U.S.) count as well.
ABBREVIATIONS = frozenset(
    # Dutch, English, German
    """art artt p pp pag par blz nr no vol ca cf resp ibid etc e.g i.e vs d.d dd e.a o.a z.g zgn bijv vgl jl
    e.v ev z.b u.a bzw abs mr mrs dr prof st jr sr inc ltd co corp
    jan feb febr mrt apr aug sep sept okt oct nov dec dez"""
    # Russian
    """ г гг ст ч п пп т е д др пр см им ул обл р руб тыс млн млрд кв стр рис табл с н э англ нем
    ред изд вып напр прим т.е т.д т.п т.к ср проф акад юр""".split()
)
_DOTTED = re.compile(r"(?:\w\.)+\w")
ABBREVIATION_REACH = 24  # characters looked at before a full stop: longer than any abbreviation
_TOKEN_LEAD = "(" + OPENING_QUOTES + "["


def is_abbreviation(word: str) -> bool:
    """Is ``word`` (the text before a full stop) an abbreviation or an initial?"""
    w = word.lower().lstrip(_TOKEN_LEAD).rstrip(".")
    return w in ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or _DOTTED.fullmatch(w) is not None


# -- sentence ends ----------------------------------------------------------------------

SENTENCE_START = "A-ZÀ-ÖØ-ÞА-ЯЁ0-9"  # what a new sentence starts with: a capital or a digit


def sentence_end_pattern(starts: str = f"[{SENTENCE_START}]") -> re.Pattern:
    """End punctuation (``punct``), closing quotes (``close``), white space (``space``), then ``starts``.

    ``starts`` is a regular expression for the beginning of the next sentence, after an
    optional opening quote or bracket.
    """
    return re.compile(
        # The look-behind starts a match only at the first mark of a run, so a run of
        # thousands of dots is scanned once, not once per dot (linear, not quadratic).
        r"(?<![.!?…])(?P<punct>[.!?…]++)(?P<close>[\"'”’»)\]]*)(?P<space>\s+)(?=[" + re.escape(_TOKEN_LEAD) + r"]?(?:" + starts + "))"
    )


SENTENCE_END = sentence_end_pattern()


def sentence_ends(text: str, start: int = 0, end: int | None = None, pattern: re.Pattern = SENTENCE_END) -> Iterator[re.Match]:
    """Every sentence boundary in ``text[start:end]``; a full stop after an abbreviation is none.

    Each match's ``space`` group is the white space between the two sentences.
    """
    end = len(text) if end is None else end
    for m in pattern.finditer(text, start, end):
        if m.group("punct") == ".":
            before = text[max(start, m.start() - ABBREVIATION_REACH) : m.start()].rsplit(None, 1)
            if before and is_abbreviation(before[-1]):
                continue
        yield m
