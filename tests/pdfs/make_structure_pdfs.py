"""Regenerate the document-structure PDFs in tests/pdfs/ (``lo-structure-*``) and their truth.

Three invented reports written as flat ODT and converted with LibreOffice Writer, for what
an archivist needs from the structure of a report: a cover page with title, date and
publisher (or a colophon), a contents page with dot leaders, headings numbered 1 / 1.1 /
1.1.1 with unnumbered bold sub-headings set like the numbered ones between them, a heading
with a note marker, a sources annex of several pages (publisher lines, then dash entries
that wrap) under a heading that does not say "sources", an abbreviation list without tabs,
and, in the law-review layout, headings in small capitals numbered I. / A. / 1.

| name | what differs |
|------|--------------|
| ``lo-structure-bookmarks`` | Carlito 10.5 pt; PDF bookmarks exported; publisher on the cover; the entries are a real list (dash, hanging indent); abbreviations in a borderless two-column table |
| ``lo-structure-plain`` | Liberation Serif 10.5 pt; no bookmarks and no title metadata; publisher named in a colophon; entries typed as "- text" without indent (they wrap to the margin); abbreviations with the term in bold, a space, the explanation |
| ``lo-structure-lawreview`` | English law-review article, Liberation Serif 11 pt; no cover (title, author, publisher and date above the text), no bookmarks; centred small-caps headings I. / A., italic 1. / 2., an unnumbered small-caps CONCLUSION |

The tests read the committed ``.pdf`` and ``.structure.json`` files and never need LibreOffice.

Run (needs ``soffice``, Carlito and Liberation fonts; Debian: libreoffice-writer-nogui,
fonts-crosextra-carlito, fonts-liberation), with a Python that has PyMuPDF::

    python tests/pdfs/make_structure_pdfs.py [--only NAME] [--out DIR] [--keep-fodt DIR]

The contents page is static text (Writer does not update indexes when converting), so each
report is converted twice: once to learn on which page each heading lands, then with those
page numbers; the script checks with PyMuPDF that the second PDF prints every heading on
the page its contents line says, every source entry and abbreviation, and has (or has not)
the bookmarks, and writes nothing for a report that fails a check.

Truth (``<name>.structure.json``): ``title``, ``date`` (ISO), ``date_text``, ``publisher``,
``bookmarks`` (bool), ``headings`` (``[level, number or null, text]``, reading order; an
unnumbered sub-heading one level below the numbered heading it follows), ``heading_notes``
(texts of headings that carry a note marker), ``contents`` (``[printed number or "",
text, page]``), ``sources`` (``[publisher, [entry, …]]``, entries as printed, wrapped lines
joined), ``abbreviations`` (``[term, explanation]``), ``footnotes`` (``{"n": text}``),
``pages``, ``front_pages``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_wordprocessor_pdfs import NS  # noqa: E402 - the ODF namespaces, shared with the other fixtures
NOTE = re.compile(r"\[\[(.+?)\]\]")  # a footnote in running text: [[note text]]


# ---------------------------------------------------------------------------------------
# Content


@dataclass
class Heading:
    level: int
    text: str
    printed: str | None = None  # a number typed into the text (law review), else outline numbering
    numbered: bool = True
    note: str | None = None  # a footnote on the heading


@dataclass
class SubHeading:
    """An unnumbered bold line set like the level-3 headings, in no heading style (no bookmark)."""

    text: str


@dataclass
class Para:
    text: str


@dataclass
class Sources:
    groups: list[tuple[str, list[str]]]


@dataclass
class Abbreviations:
    entries: list[tuple[str, str]]


SENTENCES = [
    "De autoriteiten publiceerden in de verslagperiode weinig cijfers over de uitvoering van het beleid.",
    "Volgens verschillende bronnen werden de regels in de praktijk streng en willekeurig toegepast.",
    "Gesprekspartners gaven aan dat de gevolgen per regio sterk verschilden.",
    "Lokale organisaties meldden dat betrokkenen zelden bezwaar durfden te maken tegen een beslissing.",
    "Over de omvang van het probleem bestaan geen betrouwbare gegevens.",
    "Het is niet bekend hoeveel personen in de verslagperiode zijn vervolgd.",
    "Een woordvoerder van het ministerie weigerde op vragen over de aantallen in te gaan.",
    "De wetgeving werd in de verslagperiode meermaals gewijzigd zonder openbare consultatie.",
]


def prose(seed: int, sentences: int = 4, pool: list[str] = SENTENCES) -> str:
    return " ".join(pool[(seed + k) % len(pool)] for k in range(sentences))


PUBLISHERS = [
    ("Amnesty International", ["Noordland: repressie tegen critici van de mobilisatie neemt toe in de noordelijke en oostelijke regio's",
                               "Noordland: vrijheid van meningsuiting onder druk",
                               "Dienstweigeraars achter de tralies: een overzicht van strafzaken in de noordelijke regio's en de hoofdstad"]),
    ("BBC News", ["Noordland extends conscription age as reservists are called up in the border regions for the second time",
                  "Families of deserters questioned by police"]),
    ("Centrum voor Oost-Europese Studies", ["Mobilisatie en maatschappelijke weerstand in Noordland: een analyse van de eerste twee jaar",
                                            "Het elektronische oproepregister in de praktijk", "Uitreisverboden voor dienstplichtigen",
                                            "Alternatieve dienst in Noordland: wetgeving, uitvoering en de positie van gewetensbezwaarden"]),
    ("Human Rights Watch", ["Noordland: Conscripts Denied Alternative Service", "Noordland: Crackdown on Anti-War Protesters in the Regions",
                            "World Report 2025: Noordland, Events of 2024 and the Treatment of Conscientious Objectors"]),
    ("Meduza", ["Как работает новый реестр военнообязанных и что грозит тем, кто не явился по повестке",
                "Власти Нордландии запретили выезд призывникам", "Почему военкоматы вызывают студентов"]),
    ("Ministerie van Buitenlandse Zaken", ["Algemeen ambtsbericht Noordland", "Thematisch ambtsbericht dienstplicht in Noordland"]),
    ("Noordland Monitor", ["Overzicht van vervolgingen wegens dienstweigering in de periode 2022-2024, per regio en per artikel van het wetboek",
                           "Statistiek van de oproepen in de regio Oostmark", "Nieuwe boetes voor het negeren van een oproep",
                           "Rechtspraak over alternatieve dienst"]),
    ("Norwegian Helsinki Committee", ["Conscription and mobilisation in Noordland: legal framework and practice in the northern regions",
                                      "Briefing on exit bans for men of military age"]),
    ("OVD-Info", ["Преследования за антивоенную позицию: итоги года и статистика по регионам Нордландии",
                  "Задержания на акциях протеста в регионах"]),
    ("Raad van Europa", ["Report on the situation of conscientious objectors in Noordland, submitted to the Committee of Ministers",
                         "Resolution on the treatment of deserters and their families"]),
    ("Reuters", ["Noordland's parliament approves electronic summons", "Reservists leave Noordland as mobilisation widens to the south"]),
    ("UNHCR", ["International Protection Considerations with Regard to People Fleeing Noordland, Update II",
               "Position on Returns to Noordland"]),
]
DATES = ["3 maart 2023", "17 april 2023", "2 juni 2023", "21 augustus 2023", "5 oktober 2023", "14 november 2023",
         "9 januari 2024", "26 februari 2024", "11 april 2024", "30 mei 2024", "18 juli 2024", "4 september 2024",
         "22 oktober 2024", "6 december 2024", "15 januari 2025"]


def sources_groups() -> list[tuple[str, list[str]]]:
    groups = []
    k = 0
    for publisher, titles in PUBLISHERS:
        entries = []
        for i, title in enumerate(titles):
            date = DATES[k % len(DATES)]
            lang = " (RU)" if any("а" <= c <= "я" for c in title.lower()) else ""
            end = "." if i == len(titles) - 1 else ";"
            entries.append(f"{title}{lang}, {date}{end}")
            k += 1
        groups.append((publisher, entries))
    return groups


ABBREVIATIONS = [
    ("AIVD", "Algemene Inlichtingen- en Veiligheidsdienst"), ("COI", "Country of Origin Information"),
    ("EUAA", "European Union Agency for Asylum"), ("FSN", "Federale Veiligheidsdienst van Noordland"),
    ("HRW", "Human Rights Watch"), ("IND", "Immigratie- en Naturalisatiedienst"),
    ("MVO", "Militair Verzamel- en Oproepbureau"), ("NGO", "Niet-gouvernementele organisatie"),
    ("OVD-Info", "Onafhankelijk mensenrechtenmediaproject over politieke vervolging"),
    ("UNHCR", "United Nations High Commissioner for Refugees"), ("WvS", "Wetboek van Strafrecht van Noordland"),
]


def report_body() -> list:
    """The Dutch report: chapters, numbered sections, unnumbered sub-headings, annexes."""
    return [
        Heading(1, "Inleiding", numbered=False),
        Para(prose(0, 5) + " Dit ambtsbericht beschrijft de situatie tot en met december 2024."
             "[[Ministerie van Buitenlandse Zaken, Algemeen ambtsbericht Noordland, 3 maart 2023.]]"),
        Para(prose(3, 4)),
        Heading(1, "Militaire dienst"),
        Para(prose(1, 4) + "[[Noordland Monitor, Overzicht van vervolgingen wegens dienstweigering, 17 april 2023.]]"),
        Heading(2, "Dienstplicht"),
        Para(prose(2, 5)),
        Heading(3, "Oproepen"),
        Para(prose(4, 4) + "[[Meduza, Как работает новый реестр военнообязанных (RU), 2 juni 2023.]]"),
        Heading(3, "Uitstel en vrijstelling", note="Zie ook Reuters, Noordland's parliament approves electronic summons, 21 augustus 2023."),
        Para(prose(5, 3)),
        SubHeading("Studenten"),
        Para(prose(6, 4)),
        SubHeading("Werkenden in strategische sectoren"),
        Para(prose(7, 4) + "[[Vertrouwelijke bron d.d. 5 oktober 2023.]]"),
        Heading(3, "Sancties bij het negeren van een oproep"),
        Para(prose(0, 4)),
        Heading(2, "Reservisten"),
        Para(prose(1, 5) + "[[Human Rights Watch, Noordland: Conscripts Denied Alternative Service, 14 november 2023.]]"),
        SubHeading("Gevolgen voor familieleden"),
        Para(prose(2, 4)),
        Heading(1, "Minderheden"),
        Para(prose(3, 4)),
        Heading(2, "Taalminderheden"),
        Para(prose(4, 5) + "[[Centrum voor Oost-Europese Studies, Het elektronische oproepregister in de praktijk, 9 januari 2024.]]"),
        Heading(2, "Religieuze minderheden"),
        Para(prose(5, 5)),
        Heading(1, "Bijlagen"),
        Heading(2, "Overzicht van gebruikte documenten"),
        Sources(sources_groups()),
        Heading(2, "Afkortingen"),
        Abbreviations(ABBREVIATIONS),
    ]


LAW_SENTENCES = [
    "Courts in Noordland have rarely reviewed the decisions of the conscription offices on their merits.",
    "The statute leaves the offices a discretion that the ministry has never defined in public guidance.",
    "Scholars disagree about whether an exit ban is a measure of administrative or of criminal law.",
    "The practice described here rests on interviews and on the few judgments that were published.",
    "Nothing in the legislative history suggests that the drafters foresaw a mobilisation of this scale.",
    "The argument of this Part is that the doctrine, properly read, already constrains the offices.",
]


def law_prose(seed: int, sentences: int = 5) -> str:
    return prose(seed, sentences, LAW_SENTENCES)


def lawreview_body() -> list:
    return [
        Heading(1, "Introduction", numbered=False),
        Para(law_prose(0, 6) + "[[See Human Rights Watch, Noordland: Conscripts Denied Alternative Service, November 14, 2023.]]"),
        Para(law_prose(2, 5)),
        Para(law_prose(4, 6)),
        Heading(1, "The Legal Framework", printed="I."),
        Para(law_prose(1, 5)),
        Para(law_prose(3, 6) + "[[Noordland Monitor, Overzicht van vervolgingen wegens dienstweigering, 17 april 2023.]]"),
        Heading(2, "Statutory Duties", printed="A."),
        Para(law_prose(3, 5) + "[[Federal Law No. 61-FZ of March 23, 2024, art. 4.]]"),
        Heading(3, "Registration", printed="1."),
        Para(law_prose(4, 5)),
        Para(law_prose(0, 6)),
        Heading(3, "Deferral", printed="2."),
        Para(law_prose(5, 6)),
        Heading(2, "Judicial Review", printed="B.", note="The term covers review by the ordinary and the military courts."),
        Para(law_prose(0, 6) + "[[Noordland Monitor, Rechtspraak over alternatieve dienst, 30 mei 2024.]]"),
        Para(law_prose(2, 6)),
        Heading(1, "Exit Bans in Practice", printed="II."),
        Para(law_prose(2, 6)),
        Para(law_prose(5, 5) + "[[Norwegian Helsinki Committee, Briefing on exit bans for men of military age, June 2, 2024.]]"),
        Heading(2, "The Border Register", printed="A."),
        Para(law_prose(3, 6)),
        Para(law_prose(1, 6)),
        Heading(2, "Challenges in Court", printed="B."),
        Para(law_prose(4, 6) + "[[Reuters, Reservists leave Noordland as mobilisation widens, July 18, 2024.]]"),
        Para(law_prose(0, 6)),
        Heading(1, "Conclusion", numbered=False),
        Para(law_prose(1, 5)),
        Para(law_prose(3, 4)),
    ]


@dataclass
class Report:
    name: str
    title: str
    date: str
    date_text: str
    publisher: str
    body: list
    font: str = "Carlito"
    body_size: float = 10.5
    language: tuple[str, str] = ("nl", "NL")
    bookmarks: bool = True
    pdf_title: bool = True
    cover: bool = True  # a cover page of its own; else title, author and date above the text
    colophon: bool = False  # the publisher on a colophon page instead of the cover
    dash_list: bool = True  # sources as a real list with a hanging indent; else typed "- " lines
    gloss_table: bool = True  # abbreviations in a borderless table; else bold term and a space
    small_caps: bool = False  # law-review headings: centred small caps (levels 1 and 2), italic level 3
    publisher_bold: bool = False  # the publisher lines of the sources annex in bold
    header: str = ""
    contents_title: str = "Inhoudsopgave"
    cover_lines: list[str] = field(default_factory=list)  # below the title


REPORTS = [
    Report(
        "lo-structure-bookmarks", "Thematisch ambtsbericht Noordland: militaire dienst, minderheden en terugkeer",
        "2025-02-14", "14 februari 2025", "Ministerie van Buitenlandse Zaken", report_body(),
        header="Thematisch ambtsbericht Noordland | 14 februari 2025",
        cover_lines=["Ministerie van Buitenlandse Zaken", "Directie Sub-Sahara en Oost-Europa", "Den Haag, 14 februari 2025",
                     "Verslagperiode: januari 2023 tot en met december 2024"],
    ),
    Report(
        "lo-structure-plain", "Thematisch ambtsbericht Noordland: militaire dienst, minderheden en terugkeer",
        "2025-02-14", "14 februari 2025", "Ministerie van Buitenlandse Zaken", report_body(),
        font="Liberation Serif", bookmarks=False, pdf_title=False, colophon=True, dash_list=False, gloss_table=False,
        publisher_bold=True,
        header="Thematisch ambtsbericht Noordland | 14 februari 2025",
        cover_lines=["14 februari 2025", "Verslagperiode: januari 2023 tot en met december 2024"],
    ),
    Report(
        "lo-structure-lawreview", "Conscription, Exit Bans and the Right to Leave",
        "2025-03", "March 2025", "Noordstad University Law Review", lawreview_body(),
        font="Liberation Serif", body_size=11.0, language=("en", "GB"), bookmarks=False, pdf_title=False, cover=False,
        small_caps=True, header="CONSCRIPTION, EXIT BANS AND THE RIGHT TO LEAVE", contents_title="Table of Contents",
        cover_lines=["Jan de Vries", "Published by Noordstad University Law Review", "March 2025"],
    ),
]


# ---------------------------------------------------------------------------------------
# Numbering, notes and the truth from the source


def numbered_headings(report: Report) -> list[tuple[Heading | SubHeading, int, str | None]]:
    """(heading, level, printed number) in reading order, with the outline numbering worked out."""
    counters = [0, 0, 0]
    out: list[tuple[Heading | SubHeading, int, str | None]] = []
    last_numbered = 0
    for block in report.body:
        if isinstance(block, Heading):
            if block.printed:
                out.append((block, block.level, block.printed.rstrip(".")))
                last_numbered = block.level
            elif block.numbered:
                counters[block.level - 1] += 1
                for k in range(block.level, 3):
                    counters[k] = 0
                out.append((block, block.level, ".".join(str(c) for c in counters[: block.level])))
                last_numbered = block.level
            else:
                out.append((block, block.level, None))
        elif isinstance(block, SubHeading):
            out.append((block, last_numbered + 1, None))
    return out


def printed_text(report: Report, heading: Heading | SubHeading, level: int) -> str:
    """A heading as PyMuPDF reads it: small capitals come out as capitals."""
    if report.small_caps and isinstance(heading, Heading) and level < 3:
        return heading.text.upper()
    return heading.text


def notes_of(report: Report) -> list[str]:
    texts: list[str] = []
    for block in report.body:
        if isinstance(block, Heading) and block.note:
            texts.append(block.note)
        if isinstance(block, Para):
            texts.extend(NOTE.findall(block.text))
    return texts


# ---------------------------------------------------------------------------------------
# Flat ODT


def inline(text: str, counter: list[int]) -> str:
    out, pos = [], 0
    for m in NOTE.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(note_xml(m.group(1), counter))
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def note_xml(text: str, counter: list[int]) -> str:
    counter[0] += 1
    n = counter[0]
    return (f'<text:note text:id="ftn{n}" text:note-class="footnote"><text:note-citation>{n}</text:note-citation>'
            f'<text:note-body><text:p text:style-name="Footnote">{escape(text)}</text:p></text:note-body></text:note>')


def contents_xml(report: Report, pages: dict[str, int]) -> str:
    rows = []
    for heading, level, number in numbered_headings(report):
        if isinstance(heading, SubHeading) or level > 2:
            continue
        page = str(pages.get(heading.text, 0))
        shown = (heading.printed or "") if report.small_caps else (number or "")
        lead = f"{escape(shown)}<text:tab/>" if shown else ""
        rows.append(f'<text:p text:style-name="Contents_20_{level}">{lead}{escape(heading.text)}<text:tab/>{page}</text:p>')
    return (f'<text:p text:style-name="ContentsTitle">{escape(report.contents_title)}</text:p>' + "".join(rows))


def content_xml(report: Report, pages: dict[str, int]) -> str:
    counter = [0]
    out: list[str] = []
    if report.cover:
        out.append(f'<text:p text:style-name="CoverTitle">{escape(report.title)}</text:p>')
        for k, line in enumerate(report.cover_lines):
            out.append(f'<text:p text:style-name="{"CoverOrg" if k == 0 and not report.colophon else "CoverLine"}">{escape(line)}</text:p>')
        if report.colophon:
            out.append('<text:p text:style-name="ColophonTitle">Colofon</text:p>')
            for line in ("Uitgegeven door: Ministerie van Buitenlandse Zaken", "Directie Sub-Sahara en Oost-Europa",
                         "Postbus 20061, 2500 EB Den Haag"):
                out.append(f'<text:p text:style-name="CoverLine">{escape(line)}</text:p>')
        out.append('<text:p text:style-name="ContentsBreak"/>')
        out.append(contents_xml(report, pages))
    else:
        out.append(f'<text:p text:style-name="ArticleTitle">{escape(report.title)}</text:p>')
        for line in report.cover_lines:
            out.append(f'<text:p text:style-name="ArticleLine">{escape(line)}</text:p>')
        out.append(contents_xml(report, pages))
    first = True
    for block in report.body:
        if isinstance(block, Heading):
            style = f"Heading_20_{block.level}"
            law = f"Law{block.level}"
            if first:
                style, law = style + "_20_first", law + "_20_first"
            first = False
            note = note_xml(block.note, counter) if block.note else ""
            if block.printed:
                shown = f"{block.printed}\u2003{block.text}"
                out.append(f'<text:p text:style-name="{law}">{escape(shown)}{note}</text:p>')
            elif report.small_caps:
                out.append(f'<text:p text:style-name="{law}">{escape(block.text)}{note}</text:p>')
            else:
                header = "" if block.numbered else ' text:is-list-header="true"'
                out.append(f'<text:h text:style-name="{style}" text:outline-level="{block.level}"{header}>'
                           f"{escape(block.text)}{note}</text:h>")
        elif isinstance(block, SubHeading):
            out.append(f'<text:p text:style-name="Subkop">{escape(block.text)}</text:p>')
        elif isinstance(block, Para):
            out.append(f'<text:p text:style-name="Text_20_body">{inline(block.text, counter)}</text:p>')
        elif isinstance(block, Sources):
            for publisher, entries in block.groups:
                style = "UitgeverVet" if report.publisher_bold else "Uitgever"
                out.append(f'<text:p text:style-name="{style}">{escape(publisher)}</text:p>')
                if report.dash_list:
                    items = "".join(f'<text:list-item><text:p text:style-name="Bron">{escape(e)}</text:p></text:list-item>' for e in entries)
                    out.append(f'<text:list text:style-name="Streepjes">{items}</text:list>')
                else:
                    out.extend(f'<text:p text:style-name="BronGetypt">- {escape(e)}</text:p>' for e in entries)
        elif isinstance(block, Abbreviations):
            if report.gloss_table:
                rows = "".join(
                    f'<table:table-row><table:table-cell office:value-type="string"><text:p text:style-name="Term">{escape(t)}</text:p>'
                    f'</table:table-cell><table:table-cell office:value-type="string"><text:p text:style-name="Term">{escape(m)}</text:p>'
                    "</table:table-cell></table:table-row>" for t, m in block.entries)
                out.append('<table:table table:name="Afkortingen" table:style-name="Gloss"><table:table-column '
                           'table:style-name="GlossTerm"/><table:table-column table:style-name="GlossText"/>' + rows + "</table:table>")
            else:
                out.extend(f'<text:p text:style-name="Term"><text:span text:style-name="Vet">{escape(t)}</text:span> {escape(m)}</text:p>'
                           for t, m in block.entries)
    return "\n".join(out)


def pstyle(name: str, paragraph: str = "", text: str = "", parent: str = "Standard", extra: str = "", inner: str = "") -> str:
    props = (f"<style:paragraph-properties {paragraph}>{inner}</style:paragraph-properties>" if paragraph or inner else "") + \
        (f"<style:text-properties {text}/>" if text else "")
    return f'<style:style style:name="{name}"{extra} style:family="paragraph" style:parent-style-name="{parent}">{props}</style:style>'


def styles_xml(report: Report) -> str:
    size = report.body_size
    lang, country = report.language
    out = [
        f'<style:default-style style:family="paragraph"><style:paragraph-properties style:tab-stop-distance="1.25cm"/>'
        f'<style:text-properties style:font-name="{report.font}" fo:font-size="{size}pt" fo:language="{lang}" '
        f'fo:country="{country}" fo:hyphenate="false"/></style:default-style>',
        '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>',
        pstyle("Text_20_body", 'fo:margin-bottom="0.25cm" fo:text-align="justify" fo:line-height="120%"', extra=' style:display-name="Text body"'),
        pstyle("Subkop", 'fo:margin-top="0.3cm" fo:margin-bottom="0.1cm" fo:keep-with-next="always"', f'fo:font-size="{size}pt" fo:font-weight="bold"'),
        pstyle("Uitgever", 'fo:margin-top="0.25cm" fo:keep-with-next="always"', ""),
        pstyle("UitgeverVet", 'fo:margin-top="0.25cm" fo:keep-with-next="always"', 'fo:font-weight="bold"'),
        pstyle("Bron", 'fo:margin-bottom="0.05cm"'),
        pstyle("BronGetypt", 'fo:margin-bottom="0.05cm"'),
        pstyle("Term", 'fo:margin-bottom="0.05cm"'),
        '<style:style style:name="Vet" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>',
        pstyle("Footnote", 'fo:margin-left="0.5cm" fo:text-indent="-0.5cm"', f'fo:font-size="{size - 2}pt"', extra=' style:class="extra"'),
        '<style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" style:family="text">'
        '<style:text-properties style:text-position="super 58%"/></style:style>',
        pstyle("Header", 'fo:text-align="center"', f'fo:font-size="{size - 2}pt"', extra=' style:class="extra"'),
        pstyle("Footer", 'fo:text-align="center"', f'fo:font-size="{size - 2}pt"', extra=' style:class="extra"'),
        pstyle("CoverTitle", 'fo:margin-top="5cm" fo:margin-bottom="1.5cm"', 'fo:font-size="24pt" fo:font-weight="bold"',
               extra=' style:master-page-name="Cover"'),
        pstyle("CoverOrg", 'fo:margin-bottom="0.2cm"', 'fo:font-size="13pt" fo:font-weight="bold"'),
        pstyle("CoverLine", 'fo:margin-bottom="0.2cm"', 'fo:font-size="12pt"'),
        pstyle("ColophonTitle", 'fo:break-before="page" fo:margin-bottom="0.4cm"', 'fo:font-size="14pt" fo:font-weight="bold"'),
        pstyle("ContentsBreak", 'fo:break-before="page"'),
        pstyle("ContentsTitle", 'fo:margin-bottom="0.4cm"', 'fo:font-size="16pt" fo:font-weight="bold"'),
        pstyle("ArticleTitle", 'fo:text-align="center" fo:margin-bottom="0.4cm"', 'fo:font-size="18pt" fo:font-weight="bold"'),
        pstyle("ArticleLine", 'fo:text-align="center" fo:margin-bottom="0.15cm"', f'fo:font-size="{size}pt"'),
    ]
    for level in (1, 2):
        indent = 0.5 * (level - 1)
        out.append(pstyle(
            f"Contents_20_{level}", f'fo:margin-left="{indent}cm" fo:margin-bottom="0.1cm"',
            'fo:font-weight="bold"' if level == 1 else "", extra=f' style:display-name="Contents {level}"',
            inner=f'<style:tab-stops><style:tab-stop style:position="1.2cm"/><style:tab-stop style:position="{16 - indent}cm" '
                  'style:type="right" style:leader-style="dotted" style:leader-text="."/></style:tab-stops>'))
    heading_sizes = {1: 16, 2: 13, 3: size}
    for level in (1, 2, 3):
        out.append(pstyle(
            f"Heading_20_{level}", 'fo:margin-top="0.45cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"',
            f'fo:font-size="{heading_sizes[level]}pt" fo:font-weight="bold"',
            extra=f' style:display-name="Heading {level}" style:default-outline-level="{level}"'))
        out.append(pstyle(f"Heading_20_{level}_20_first", 'fo:break-before="page"', parent=f"Heading_20_{level}",
                          extra=' style:master-page-name="Standard"'))
    for level in (1, 2, 3):  # law review: centred small caps, then italic
        text = 'fo:font-variant="small-caps"' if level < 3 else 'fo:font-style="italic"'
        align = 'fo:text-align="center"' if level < 3 else 'fo:text-align="start" fo:margin-left="0.6cm"'
        out.append(pstyle(f"Law{level}", f'{align} fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"',
                          f'{text} fo:font-size="{size}pt"'))
        out.append(pstyle(f"Law{level}_20_first", 'fo:break-before="page"', parent=f"Law{level}"))
    out.append(
        '<text:outline-style style:name="Outline">' + "".join(
            f'<text:outline-level-style text:level="{lv}" style:num-format="1" text:display-levels="{lv}"><style:list-level-properties '
            'text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" '
            'text:list-tab-stop-position="1.2cm" fo:text-indent="-1.2cm" fo:margin-left="1.2cm"/></style:list-level-properties>'
            "</text:outline-level-style>" for lv in (1, 2, 3)) + "</text:outline-style>")
    out.append(
        '<text:list-style style:name="Streepjes"><text:list-level-style-bullet text:level="1" text:bullet-char="-">'
        '<style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment '
        'text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm" fo:text-indent="-0.6cm" fo:margin-left="0.6cm"/>'
        "</style:list-level-properties></text:list-level-style-bullet></text:list-style>")
    out.append('<text:notes-configuration text:note-class="footnote" text:citation-body-style-name="Footnote_20_anchor" '
               'style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>')
    return "\n".join(out)


def automatic_styles(report: Report) -> str:
    return (
        '<style:style style:name="Gloss" style:family="table"><style:table-properties style:width="16cm" table:align="left"/></style:style>'
        '<style:style style:name="GlossTerm" style:family="table-column"><style:table-column-properties style:column-width="3cm"/></style:style>'
        '<style:style style:name="GlossText" style:family="table-column"><style:table-column-properties style:column-width="13cm"/></style:style>'
        '<style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" '
        'fo:margin-top="2cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm">'
        '<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.15cm" style:distance-after-sep="0.1cm" '
        'style:line-style="solid" style:adjustment="left" style:rel-width="25%" style:color="#000000"/></style:page-layout-properties>'
        '<style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.5cm"/></style:header-style>'
        '<style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.5cm"/></style:footer-style>'
        '</style:page-layout>'
        '<style:page-layout style:name="pm2"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" '
        'fo:margin-top="2.5cm" fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/></style:page-layout>'
    )


def master_xml(report: Report) -> str:
    page = '<text:page-number text:select-page="current">1</text:page-number>'
    footer = f"Pagina {page} van <text:page-count>1</text:page-count>" if report.language[0] == "nl" else page
    return ('<style:master-page style:name="Cover" style:page-layout-name="pm2" style:next-style-name="Standard"/>'
            '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
            f'<style:header><text:p text:style-name="Header">{escape(report.header)}</text:p></style:header>'
            f'<style:footer><text:p text:style-name="Footer">{footer}</text:p></style:footer></style:master-page>')


def fodt(report: Report, pages: dict[str, int]) -> str:
    title = f"<dc:title>{escape(report.title)}</dc:title>" if report.pdf_title else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta>{title}</office:meta>
<office:font-face-decls><style:font-face style:name="{report.font}" svg:font-family="'{report.font}'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/></office:font-face-decls>
<office:styles>{styles_xml(report)}</office:styles>
<office:automatic-styles>{automatic_styles(report)}</office:automatic-styles>
<office:master-styles>{master_xml(report)}</office:master-styles>
<office:body><office:text>
{content_xml(report, pages)}
</office:text></office:body></office:document>
"""


# ---------------------------------------------------------------------------------------
# Conversion and checks


def convert(sources: list[tuple[Path, bool]], outdir: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: install LibreOffice Writer to regenerate these PDFs")
    for bookmarks in (True, False):
        batch = [str(p) for p, b in sources if b == bookmarks]
        if not batch:
            continue
        flag = "true" if bookmarks else "false"
        target = 'pdf:writer_pdf_Export:{"ExportBookmarks":{"type":"boolean","value":"%s"}}' % flag
        subprocess.run([soffice, f"-env:UserInstallation=file://{outdir / 'profile'}", "--headless", "--convert-to", target,
                        "--outdir", str(outdir), *batch], check=True, capture_output=True, timeout=600)


def fold(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def page_texts(pdf: Path) -> list[str]:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return [fold(page.get_text()) for page in doc]


def heading_pages(report: Report, pdf: Path) -> dict[str, int]:
    """The page each heading is printed on (after the contents page), from the PDF."""
    texts = page_texts(pdf)
    start = report_front_pages(report)  # the contents page names every heading too
    pages: dict[str, int] = {}
    last = start
    for heading, _, _ in numbered_headings(report):
        want = fold(heading.text)
        for k in range(last, len(texts)):
            if want in texts[k]:
                pages[heading.text] = k + 1
                last = k
                break
    return pages


def report_front_pages(report: Report) -> int:
    """Pages before the first heading: cover, colophon, contents; the article's first page."""
    return (3 if report.colophon else 2) if report.cover else 1


def check(report: Report, pdf: Path, pages: dict[str, int]) -> dict:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        toc = doc.get_toc()
        count = doc.page_count
        metadata_title = doc.metadata.get("title") or ""
    if bool(toc) != report.bookmarks:
        raise SystemExit(f"{report.name}: bookmarks {'missing' if report.bookmarks else 'present'}")
    if report.pdf_title != bool(metadata_title):
        raise SystemExit(f"{report.name}: PDF title metadata {metadata_title!r}")
    found = heading_pages(report, pdf)
    if found != pages:
        raise SystemExit(f"{report.name}: headings moved between the two conversions: {pages} -> {found}")
    every = "".join(page_texts(pdf))
    for block in report.body:
        if isinstance(block, Sources):
            for publisher, entries in block.groups:
                for entry in [publisher] + entries:
                    if fold(entry) not in every:
                        raise SystemExit(f"{report.name}: not printed: {entry}")
        if isinstance(block, Abbreviations):
            for term, meaning in block.entries:
                if fold(term + meaning) not in every:
                    raise SystemExit(f"{report.name}: abbreviation not printed: {term}")
    headings = [[level, number, printed_text(report, heading, level)] for heading, level, number in numbered_headings(report)]
    contents = []
    for heading, level, number in numbered_headings(report):
        if isinstance(heading, Heading) and level <= 2:
            shown = (heading.printed or "") if report.small_caps else (number or "")
            contents.append([shown, heading.text, pages[heading.text]])
    sources = next((b.groups for b in report.body if isinstance(b, Sources)), [])
    abbreviations = next((b.entries for b in report.body if isinstance(b, Abbreviations)), [])
    return {
        "title": report.title, "date": report.date, "date_text": report.date_text, "publisher": report.publisher,
        "bookmarks": report.bookmarks, "headings": headings,
        "heading_notes": [b.text for b in report.body if isinstance(b, Heading) and b.note],
        "contents": contents, "sources": [[p, e] for p, e in sources], "abbreviations": [list(a) for a in abbreviations],
        "footnotes": {str(k + 1): text for k, text in enumerate(notes_of(report))},
        "pages": count, "front_pages": report_front_pages(report) if report.cover else 0,
    }


def build(reports: list[Report], out: Path, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        guesses: dict[str, dict[str, int]] = {r.name: {} for r in reports}
        for attempt in range(3):
            for report in reports:
                (work / f"{report.name}.fodt").write_text(fodt(report, guesses[report.name]), encoding="utf-8")
            convert([(work / f"{r.name}.fodt", r.bookmarks) for r in reports], work)
            found = {r.name: heading_pages(r, work / f"{r.name}.pdf") for r in reports}
            if found == guesses:
                break
            guesses = found
        else:
            raise SystemExit("the contents page numbers do not settle")
        for report in reports:
            truth = check(report, work / f"{report.name}.pdf", guesses[report.name])
            shutil.copy(work / f"{report.name}.pdf", out / f"{report.name}.pdf")
            (out / f"{report.name}.structure.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            if keep:
                shutil.copy(work / f"{report.name}.fodt", keep / f"{report.name}.fodt")
            print(f"{report.name}: {truth['pages']} pages, {len(truth['headings'])} headings, "
                  f"{sum(len(e) for _, e in truth['sources'])} source entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=[r.name for r in REPORTS], action="append")
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--keep-fodt", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    build([r for r in REPORTS if not args.only or r.name in args.only], args.out, args.keep_fodt)


if __name__ == "__main__":
    main()
