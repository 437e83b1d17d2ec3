"""The report's own metadata: its title, publication date and publisher, from what the PDF shows.

- Title, in order of evidence: the cover page (the largest text on the first pages, when
  it stands out from the headings), the bookmarks (one top bookmark over all the others),
  the PDF's title metadata when it is meaningful (not a file name, not "Microsoft Word -
  …"), the running header (its text without page number and date).
- Publication date: a date standing on a line of its own on the cover page, else the date
  that the running header repeats ("Thematisch ambtsbericht | 14 februari 2025").
- Publisher: an organisation named on the cover page, or in the colophon ("Uitgegeven
  door", "Published by", "Herausgeber"), or the PDF's author metadata when that is an
  organisation rather than a person.

Each finding records where it came from, so the TEI header can say.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from toolkit.dates import find_dates
from toolkit.document import Document, RunningText, iter_divisions, plain_text
from toolkit.extract.headings import display_size, heading_number, plain_line_text
from toolkit.extract.layout import Layout, Line
from toolkit.extract.rules import RULES
from toolkit.extract.stats import LayoutStats, same_size

# Words that make a line the name of an organisation (nl, en, de).
ORGANISATION = re.compile(
    r"(?i)\b(?:ministerie|ministry|ministerium|bundesministerium|bundesamt|amt|department|departement|directie|"
    r"directorate|dienst|service|agency|agentschap|agentur|office|bureau|commissie|commission|kommission|raad|"
    r"council|board|institute|instituut|institut|centre|center|centrum|zentrum|stichting|foundation|stiftung|"
    r"university|universiteit|universität|court|tribunal|gericht|parliament|parlement|bundestag|kamer|"
    r"secretariat|secretariaat|organisation|organization|organisatie|association|vereniging|verein|union|unie|"
    r"nations|government|regering|regierung|inspectie|inspectorate|authority|autoriteit|"
    r"behörde|committee|comité|komitee|library|bibliotheek|bibliothek|unhcr|euaa|easo|ind)\b"
)
# Labels in a colophon (or on a cover) before the publisher's name.
PUBLISHER_LABEL = re.compile(
    r"(?i)^\s*(?:uitgegeven\s+door|uitgave(?:\s+van)?|uitgever|published\s+by|publisher|issued\s+by|"
    r"herausgegeben\s+von|herausgeber(?:in)?|verlag)\s*:?\s*"
)
# The subject line of a letter or memo, which is its title.
SUBJECT_LABEL = re.compile(r"(?i)^\s*(?:(?:onderwerp|betreft|subject|betreff)\b\s*:?|re\s*:)\s*")
# Words a name does not end with: a line that does is a fragment of a sentence.
TRAILING_WORDS = frozenset("of for to the and or in on at by van voor de het en of in op der die das und für von zu".split())
COLOPHON = re.compile(r"(?i)^\s*(?:colofon|colophon|impressum)\s*$")
# Lines of a cover that state a period, not the date of the report.
PERIOD = re.compile(r"(?i)\b(?:periode|period|zeitraum|verslagperiode|reporting|tot en met|t/m|until|bis)\b")
# Words that may stand on a date's line: a place, "Datum", "Date", "Stand", "Version".
DATE_LINE_WORDS = 4
# What a running header holds besides the title: page numbers.
PAGE_NUMBER = re.compile(r"(?i)^\s*(?:(?:pagina|page|seite|blz\.?|p\.)\s*)?\d+(?:\s*(?:van|of|von|/)\s*\d+)?\s*$|^\s*[ivxlc]+\s*$")
HEADER_PARTS = re.compile(r"\s+[|–—/]\s+|\s+-\s+|\t+|\s{3,}")
PAGE_TOKEN = re.compile(r"(?i)\b(?:pagina|page|seite|blz\.?)\s*\d+(?:\s*(?:van|of|von|/)\s*\d+)?|\b\d+\s*/\s*\d+\b|^\s*\d+\s+|\s+\d+\s*$")
# PDF title metadata that names the file or the program, not the report.
FILE_LIKE = re.compile(
    r"(?i)\.(?:docx?|odt|rtf|pdf|indd|tex|txt)$|^untitled\b|^microsoft\s+(?:word|powerpoint)\b|^(?:document|dokument|"
    r"documento|naamloos|unbenannt)\s*\d*$|[^\W\d_]_[^\W\d_]|_(?:final|def|v\d+|concept)\b"
)


@dataclass
class ReportMetadata:
    title: str
    date: str | None = None  # ISO 8601
    date_text: str | None = None  # as printed
    publisher: str | None = None
    evidence: dict[str, str] = field(default_factory=dict)  # what each finding came from


def read_metadata(
    layout: Layout, stats: LayoutStats, running_keys: set[tuple[int, int]], front_count: int,
    running: list[RunningText], doc: Document,
) -> ReportMetadata:
    """Title, date and publisher of the report (see the module docstring for the evidence)."""
    pages = [[line for line in page.lines if (page.number, line.index) not in running_keys and line.text.strip()] for page in layout.pages]
    cover = cover_lines(pages, front_count, stats)
    evidence: dict[str, str] = {}
    title_lines = cover_title(stats, pages, front_count)
    title, source = report_title(layout, pages, running, doc, title_lines)
    evidence["title"] = source
    publisher = cover_publisher([line for line in cover if not any(line is t for t in title_lines or [])])
    if publisher:
        evidence["publisher"] = "cover page"
    else:
        publisher = colophon_publisher(pages)
        if publisher:
            evidence["publisher"] = "colophon"
        elif layout.source.pdf_author and organisation_line(layout.source.pdf_author):
            publisher = " ".join(layout.source.pdf_author.split())
            evidence["publisher"] = "PDF metadata"
    date, date_text = cover_date(cover)
    if date:
        evidence["date"] = "cover page"
    else:
        date, date_text = header_date(running, len(layout.pages))
        if date:
            evidence["date"] = "running header"
    return ReportMetadata(title=title, date=date, date_text=date_text, publisher=publisher, evidence=evidence)


def cover_lines(pages: list[list[Line]], front_count: int, stats: LayoutStats) -> list[Line]:
    """The lines of the cover and title pages; without those, what stands on page 1 above
    its running text."""
    if front_count:
        return [
            line for page in pages[: min(front_count, RULES.cover_pages)] if not is_colophon(page) for line in page
        ]
    out = []
    for line in pages[0] if pages else []:
        if same_size(line.size, stats.body_size) and len(line.text.split()) > RULES.cover_line_words:
            break
        out.append(line)
    return out


def opening_block(stats: LayoutStats, pages: list[list[Line]]) -> list[Line]:
    """On a first page that carries running text, the title block above that text: the
    title (larger than every heading after it, see ``cover_title``) and the short lines
    around it (a subtitle, the author and date), up to the first line of body text, a
    numbered heading or a bold line after the title. Empty when page 1 opens with body
    text or when a long line stands before the title (then the large line is no title)."""
    title = cover_title(stats, pages, 0)
    if not title or not pages or not pages[0]:
        return []
    block: list[Line] = []
    seen_title = False
    for line in pages[0]:
        if any(line is t for t in title):
            seen_title = True
            block.append(line)
            continue
        if same_size(line.size, stats.body_size) and len(line.text.split()) > RULES.cover_line_words:
            break  # body text
        numbered = heading_number(line_text(line)) is not None
        if numbered and not seen_title:
            return []  # a numbered heading before the large line: the page opens with the body
        if seen_title and (numbered or (line.bold and not same_size(display_size(line), display_size(title[0])))):
            break  # the first heading after the title
        block.append(line)
    return block if seen_title else []


def line_text(line: Line) -> str:
    return " ".join(plain_line_text(line).split())


# -- title -------------------------------------------------------------------------------


def report_title(
    layout: Layout, pages: list[list[Line]], running: list[RunningText], doc: Document, cover: list[Line] | None,
) -> tuple[str, str]:
    if cover:
        return " ".join(line_text(line) for line in cover), "cover page"
    found = subject_line(pages[0] if pages else [])
    if found:
        return found, "subject line"
    found = outline_title(layout.outline)
    if found:
        return found, "bookmarks"
    found = meaningful_pdf_title(layout.source.pdf_title, layout.source.file_name)
    if found:
        return found, "PDF metadata"
    found = header_title(running, len(layout.pages))
    if found:
        return found, "running header"
    for division in iter_divisions(doc.blocks):
        return plain_text(division.head).strip(), "first heading"
    return Path(layout.source.file_name).stem, "file name"


def cover_title(stats: LayoutStats, pages: list[list[Line]], front_count: int) -> list[Line] | None:
    """The lines of the largest text on the first pages: on a cover page, or standing out
    from every heading that follows. An organisation's name set larger than the title (a
    logo line) gives way to the title; a date or a numbered heading is no title."""
    for number in range(min(RULES.cover_pages, len(pages))):
        lines = pages[number]
        if not lines:
            continue
        front = number < front_count
        threshold = stats.body_size * (1 + (RULES.heading_larger if front else RULES.title_larger))
        largest_later = max((display_size(line) for page in pages[number + 1 :] for line in page), default=0.0)
        found: list[list[Line]] = []
        for size in sorted({display_size(line) for line in lines}, reverse=True):
            if size < threshold:
                break
            block = title_block(lines, size, stats)
            if not front:
                # On a page of running text only a title larger than every heading after it
                # stands out, and only where there are such headings (else it is the heading).
                after = [line for line in lines if line.baseline > block[-1].baseline] if block else []
                largest = max([largest_later] + [display_size(line) for line in after])
                if not (size > largest and not same_size(size, largest)) or same_size(largest, stats.body_size) or largest < stats.body_size:
                    break
            text = " ".join(line_text(line) for line in block)
            if not text or len(text.split()) > RULES.title_max_words or heading_number(text) is not None:
                continue
            if find_dates(text) and len(text.split()) <= DATE_LINE_WORDS + 2:
                continue
            found.append(block)
        named = [block for block in found if not organisation_line(" ".join(line_text(l) for l in block))]
        if named or found:
            return (named or found)[0]
        if not front:
            return None
    return None


def title_block(lines: list[Line], size: float, stats: LayoutStats) -> list[Line]:
    """The first run of lines in ``size`` that follow each other closely: a title over several lines."""
    block: list[Line] = []
    for line in lines:
        if same_size(display_size(line), size):
            if block and line.baseline - block[-1].baseline > RULES.block_pitch * size * stats.leading:
                break
            block.append(line)
            if len(block) >= RULES.title_max_lines:
                break
        elif block:
            break
    return block


def outline_title(outline: list[tuple[int, str, int]]) -> str | None:
    """One top bookmark over all the others names the document, not a chapter."""
    tops = [title for level, title, _ in outline if level == 1]
    if len(tops) != 1 or len(outline) < 3 or outline[0][0] != 1:
        return None
    title = tops[0].strip()
    return title if title and heading_number(title) is None else None


def meaningful_pdf_title(title: str | None, file_name: str) -> str | None:
    if not title:
        return None
    title = " ".join(title.split())
    stem = Path(file_name).stem
    if FILE_LIKE.search(title) or sum(c.isalpha() for c in title) < 3:
        return None
    if re.sub(r"[\W_]+", "", title).casefold() == re.sub(r"[\W_]+", "", stem).casefold():
        return None
    return title


def subject_line(lines: list[Line]) -> str | None:
    """"Onderwerp: …" / "Subject: …" on the first page of a letter or memo (or the label on its
    own, the subject on the next line)."""
    for k, line in enumerate(lines):
        text = line_text(line)
        m = SUBJECT_LABEL.match(text)
        if not m or len(text.split()) > RULES.title_max_words:
            continue
        rest = text[m.end() :].strip()
        if not rest and k + 1 < len(lines):
            rest = line_text(lines[k + 1])
        if rest and not SUBJECT_LABEL.match(rest) and len(rest.split()) <= RULES.title_max_words:
            return rest
    return None


def header_parts(text: str) -> list[str]:
    """The pieces of a running header, its dates and page numbers taken out."""
    for start, end, _ in reversed(find_dates(text)):
        text = text[:start] + "   " + text[end:]
    text = PAGE_TOKEN.sub("   ", text)
    return [part.strip(" ,;") for part in HEADER_PARTS.split(text) if part.strip(" ,;")]


def header_title(running: list[RunningText], page_count: int) -> str | None:
    """The text the running header (or footer) repeats, without its page number and date."""
    counts: Counter[str] = Counter()
    for record in running:
        if record.kind == "pageNum":
            continue
        for part in header_parts(record.text):
            if PAGE_NUMBER.match(part) or find_dates(part) or organisation_line(part):
                continue
            if len(part.split()) >= 2 and sum(c.isalpha() for c in part) >= 6:
                counts[part] += 1
    if not counts:
        return None
    title, n = counts.most_common(1)[0]
    return title if n >= min(RULES.running_min_pages, page_count) else None


# -- date --------------------------------------------------------------------------------


def cover_date(lines: list[Line]) -> tuple[str | None, str | None]:
    """A date on a line of its own on the cover ("14 februari 2025", "Den Haag, februari 2025")."""
    for line in lines:
        text = line_text(line)
        dates = find_dates(text)
        if len(dates) != 1 or PERIOD.search(text):
            continue
        start, end, when = dates[0]
        rest = (text[:start] + " " + text[end:]).split()
        if len(rest) <= DATE_LINE_WORDS:
            return when, text[start:end]
    return None, None


def header_date(running: list[RunningText], page_count: int) -> tuple[str | None, str | None]:
    """The date the running header (or footer) repeats on most pages."""
    counts: Counter[tuple[str, str]] = Counter()
    for record in running:
        dates = find_dates(record.text)
        if len(dates) == 1 and not PERIOD.search(record.text):
            start, end, when = dates[0]
            counts[(when, record.text[start:end])] += 1
    if not counts:
        return None, None
    (when, printed), n = counts.most_common(1)[0]
    return (when, printed) if n >= min(RULES.running_min_pages, page_count) else (None, None)


# -- publisher ---------------------------------------------------------------------------


def organisation_line(text: str) -> bool:
    """A short line naming an organisation, not a sentence and not a date."""
    words = text.split()
    if not words or len(words) > RULES.publisher_max_words or find_dates(text):
        return False
    if text.rstrip()[-1:] in ".;:," or not ORGANISATION.search(text) or words[-1].casefold() in TRAILING_WORDS:
        return False
    capitalised = sum(1 for w in words if w[:1].isupper())
    return capitalised * 2 >= len(words) and words[0][:1].isupper()


def labelled_publisher(lines: list[Line]) -> str | None:
    """"Uitgegeven door: X" on one line, or the label on its own with the name on the next."""
    for k, line in enumerate(lines):
        text = line_text(line)
        m = PUBLISHER_LABEL.match(text)
        if not m:
            continue
        rest = text[m.end() :].strip()
        if not rest and k + 1 < len(lines):
            rest = line_text(lines[k + 1])
        if rest and len(rest.split()) <= RULES.publisher_max_words:
            return rest.rstrip(".,;")
    return None


def cover_publisher(lines: list[Line]) -> str | None:
    """The publisher a page names: after a label ("Uitgegeven door"), else its first organisation."""
    named = labelled_publisher(lines)
    if named:
        return named
    return next((text for text in map(line_text, lines) if organisation_line(text)), None)


def is_colophon(lines: list[Line]) -> bool:
    return any(COLOPHON.match(line_text(line)) for line in lines)


def colophon_publisher(pages: list[list[Line]]) -> str | None:
    """The publisher the colophon page names."""
    for lines in pages:
        if is_colophon(lines):
            return cover_publisher(lines)
    return None
