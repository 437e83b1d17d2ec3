"""Realistic sample COI reports as PDF, with the exact ground truth of what an extractor must find.

The generator lays a report out the way a word processor does: text wrapped with the
font's real metrics and placed word by word, superscript note markers glued to the text,
footnotes in a smaller font at the bottom of the page (continuing onto the next page when
they do not fit), link annotations, running header and page footer. Every layout variant
(:data:`STYLES`) changes page size, fonts, sizes, margins and habits, so that no threshold
of the extractor can be tuned to one layout. The text is invented (a fictional country,
"Fictiland"); the hard cases mirror those of real reports.

``build_report`` writes the PDF and returns a :class:`ReportTruth`: tests compare an
extractor's output with it, and ``coitool sample`` ships the PDF to users.
"""

from __future__ import annotations

import gc
import json
import math
import random
import re
import zlib
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["ReportStyle", "ReportTruth", "STYLES", "build_report"]

TITLE = "Thematisch ambtsbericht Fictiland"
SUBTITLE = "Militaire dienstplicht en mobilisatie, LHBTIQ+, critici en opposanten"
REPORT_DATE = "3 maart 2025"
AUTHOR = "Ministerie van Buitenlandse Zaken"
HEADER_TEXT = f"{TITLE} | {REPORT_DATE}"

# ---------------------------------------------------------------------------------------
# Styles


@dataclass(frozen=True)
class ReportStyle:
    """One layout variant of a report; validates itself so a typo fails loudly, not oddly."""

    name: str
    page_width: float
    page_height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float
    body_font: str
    bold_font: str
    italic_font: str
    body_size: float
    footnote_size: float
    heading_sizes: tuple[float, float, float]
    line_spacing: float
    justify: bool
    hyphenate: bool
    footnote_rule: bool
    footnote_number_superscript: bool
    first_line_indent: float
    paragraph_gap: float
    footer_format: str = "Pagina {n} van {m}"
    note_indent: float = 10.0  # hanging indent of note text; 0: continuation lines start at the margin

    def __post_init__(self) -> None:
        from pymupdf_fonts import fontdescriptors

        if not self.name or not self.name.strip():
            raise ValueError("style name must not be empty")
        if not (200 <= self.page_width <= 2000 and 200 <= self.page_height <= 3000):
            raise ValueError(f"page size {self.page_width}x{self.page_height} pt is not a report page")
        for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
            if getattr(self, side) < 0:
                raise ValueError(f"{side} must not be negative")
        if self.margin_top < 30 or self.margin_bottom < 30:
            raise ValueError("top and bottom margins need at least 30 pt for the running header and footer")
        if self.page_width - self.margin_left - self.margin_right < 200:
            raise ValueError("text column narrower than 200 pt")
        if self.page_height - self.margin_top - self.margin_bottom < 300:
            raise ValueError("text area lower than 300 pt")
        for role in ("body_font", "bold_font", "italic_font"):
            if getattr(self, role) not in fontdescriptors:
                raise ValueError(f"{role} {getattr(self, role)!r} is not a pymupdf-fonts font")
        if not 6 <= self.body_size <= 16:
            raise ValueError("body_size must be between 6 and 16 pt")
        if not 5 <= self.footnote_size < self.body_size:
            raise ValueError("footnote_size must be at least 5 pt and smaller than body_size")
        if len(self.heading_sizes) != 3 or any(h < self.body_size or h > 36 for h in self.heading_sizes):
            raise ValueError("heading_sizes must be three sizes between body_size and 36 pt")
        if not 1.0 <= self.line_spacing <= 2.5:
            raise ValueError("line_spacing must be a factor between 1.0 and 2.5")
        if not 0 <= self.first_line_indent <= 60 or not 0 <= self.paragraph_gap <= 40:
            raise ValueError("first_line_indent / paragraph_gap out of range")
        if self.first_line_indent == 0 and self.paragraph_gap == 0:
            raise ValueError("paragraphs need a gap or a first-line indent to be told apart")
        if "{n}" not in self.footer_format:
            raise ValueError("footer_format must contain {n}")
        if not 0 <= self.note_indent <= 40:
            raise ValueError("note_indent out of range")

    @property
    def text_width(self) -> float:
        return self.page_width - self.margin_left - self.margin_right


A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)

STYLES: dict[str, ReportStyle] = {
    s.name: s
    for s in (
        # Close to a Dutch government report: A4, Noto Sans 10 pt, ragged right, short rule.
        ReportStyle(
            "default", *A4, 70.9, 70.9, 70.9, 62.4, "notos", "notosbo", "notosit",
            10.0, 8.0, (16.0, 12.5, 10.5), 1.38, False, False, True, True, 0.0, 10.0,
        ),
        # US Letter, Fira 11 pt, justified and hyphenated, no rule, note numbers at text size.
        ReportStyle(
            "letter", *LETTER, 72.0, 72.0, 60.0, 60.0, "figo", "figbo", "figit",
            11.0, 9.0, (18.0, 14.0, 12.0), 1.3, True, True, False, False, 0.0, 7.0,
            note_indent=14.0,
        ),
        # Dense A4 with narrow margins, Ubuntu 9 pt, justified, first-line indents, tiny notes.
        ReportStyle(
            "compact", *A4, 45.0, 45.0, 50.0, 45.0, "ubuntu", "ubuntubo", "ubuntuit",
            9.0, 7.0, (14.0, 11.0, 9.0), 1.25, True, False, True, True, 14.0, 0.0,
            footer_format="{n}", note_indent=0.0,
        ),
        # Large print with wide margins, Noto 12 pt, ragged but hyphenated, big notes, no rule.
        ReportStyle(
            "large", *A4, 90.0, 85.0, 80.0, 75.0, "notos", "notosbo", "notosit",
            12.0, 9.5, (20.0, 15.0, 13.0), 1.45, False, True, False, False, 0.0, 12.0,
            note_indent=16.0,
        ),
    )
}


# ---------------------------------------------------------------------------------------
# Ground truth


@dataclass
class ReportTruth:
    """What an extractor must find in a generated report, character for character.

    ``footnotes``: note text without its number, lines joined with single spaces (a URL
    or compound word broken at a line end joined without one); an empty note is "".
    ``markers``: the last 30 characters of body text before each marker, markers removed,
    whitespace normalised, right-stripped. ``paragraphs`` holds body paragraphs only (not
    the title page, headings, bullets, captions or annex lists). ``annex_sources``: the
    source list items without their leading "- ", as printed (with their final ";" or ".").
    """

    title: str
    date: str
    style: str
    page_count: int
    header_text: str
    footer_pattern: str
    footnotes: dict[int, str] = field(default_factory=dict)
    markers: dict[int, str] = field(default_factory=dict)
    paragraphs: list[str] = field(default_factory=list)
    headings: list[tuple[int, str | None, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # {uri, text, note, page, rects}
    printed_urls: list[dict] = field(default_factory=list)  # {url, note}
    continued_notes: list[int] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)  # {note, text, lang}
    non_markers: list[str] = field(default_factory=list)
    annex_sources: list[str] = field(default_factory=list)
    annex_publishers: list[str] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)
    note_pages: dict[int, list[int]] = field(default_factory=dict)  # every page a note is printed on
    front_matter: list[str] = field(default_factory=list)  # title page lines

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "ReportTruth":
        raw = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in raw.items() if k in known}
        for key in ("footnotes", "markers", "note_pages"):
            data[key] = {int(k): v for k, v in data.get(key, {}).items()}
        data["headings"] = [tuple(h) for h in data.get("headings", [])]
        data["abbreviations"] = [tuple(a) for a in data.get("abbreviations", [])]
        return cls(**data)


# ---------------------------------------------------------------------------------------
# Invented content. Markup: in body text "^" is a footnote marker (takes the next note of
# the block), "[[words|uri]]" a link annotation. In notes "{title|uri|lang}" is a citation
# title (linked when uri is given), "<url>" a printed URL, "<!url>" one on a line of its own.

GLUED = "\x00"  # a note starting with this is printed with its number glued to the text
URL_LONG = (
    "https://coi.euaa.europa.eu/administration/easo/PLib/2024_10_EUAA_COI_Query_Response_Q61_"
    "Fictiland_Military_service_conscription_mobilisation_and_treatment_of_evaders_and_deserters.pdf"
)
FORCE_SPLIT = "\x01"  # a long note the layout may split over two pages

N_AMBTSBERICHT = GLUED + "Ministerie van Buitenlandse Zaken, {Algemeen ambtsbericht Fictiland|https://www.rijksoverheid.nl/documenten/ambtsberichten/2023/03/30/algemeen-ambtsbericht-fictiland-maart-2023|nl}, maart 2023."

INTRO = [
    ("h1", None, "Inleiding"),
    ("p", "Dit thematisch ambtsbericht is opgesteld aan de hand van de vragen en aandachtspunten in de Terms of Reference (ToR) van het ministerie van Justitie en Veiligheid. De ToR voor dit ambtsbericht is vastgesteld op 12 september 2024.", []),
    ("p", "In dit ambtsbericht wordt de situatie in Fictiland met betrekking tot militaire dienst, LHBTIQ+ en critici en opposanten beschreven voor zover deze van belang is voor de beoordeling van asielaanvragen van personen die afkomstig zijn uit dit land. Dit ambtsbericht is een actualisering van het algemeen ambtsbericht Fictiland van maart 2023^ van de hier beschreven onderwerpen. De verslagperiode beslaat de periode van maart 2023 tot en met januari 2025.",
     [N_AMBTSBERICHT]),
    ("p", "Bij de opstelling is onder meer gebruik gemaakt van informatie van niet-gouvernementele organisaties (ngo’s), rapporten van (Europese) COI^-organisaties, vakliteratuur, berichtgeving in de media en relevante overheidsinstanties. De vertrouwelijke bronnen zijn in het voetnotenapparaat aangemerkt als ‘vertrouwelijke bron’ en voorzien van een datum.",
     ["Country of Origin Information"]),
]

CH1 = [
    ("h1", "1", "Militaire dienst"),
    ("p", "Dit hoofdstuk behandelt verschillende groepen militairen: dienstplichtigen, contractsoldaten en reservisten. Dienstplichtigen zijn alle Fictilandse mannen tussen 18 en 30 jaar oud die hun dienstplicht nog niet hebben vervuld, zie paragraaf 1.1. Strafbepalingen die op alle drie de categorieën van toepassing zijn, worden toegelicht in paragraaf 1.3.", []),
    ("p", "Rondom het gewapende conflict in de grensregio betrachtte de Fictilandse overheid ook in deze verslagperiode grote terughoudendheid in het delen van informatie. Familieleden van soldaten meldden dat zij misleidende of onjuiste informatie over hun familielid hadden ontvangen. Ook omtrent het aantal gevallen van desertie heerste onduidelijkheid omdat de meeste rechterlijke uitspraken niet langer werden gepubliceerd.^ Waar aantallen niet kloppen of een minimum betreffen, is dit in de tekst aangegeven.",
     [FORCE_SPLIT + "Freedom House, {Freedom in the World 2024: Fictiland|https://freedomhouse.org/country/fictiland/freedom-world/2024|en}, 2024; Kommersant, {Rechtbanken publiceren geen vonnissen meer over desertie|https://www.kommersant.ru/doc/6254117|nl} (RU), 5 oktober 2023; Meduza, {Военные суды Фиктиландии перестали публиковать приговоры дезертирам|https://meduza.io/feature/2023/10/05/voennye-sudy-perestali-publikovat-prigovory|ru}, 12 maart 2024; Deutsche Welle, {Fictiland: Kriegsgerichte verhandeln hinter verschlossenen Türen|https://www.dw.com/de/fictiland-kriegsgerichte-verhandeln-hinter-verschlossenen-tueren/a-68412233|de}, 3 november 2023; NRK, {Fictiland skjuler tallene på falne soldater og desertører|https://www.nrk.no/urix/fictiland-skjuler-tallene-1.16754321|no}, 14 februari 2024; vertrouwelijke bron d.d. 12 juni 2024."]),
    ("h2", "1.1", "Dienstplichtigen"),
    ("p", "Fictiland kende in de verslagperiode een militaire dienstplicht voor alle mannen van 18 tot 30 jaar oud. Deze dienstplicht duurt twaalf maanden, en dienstplichtigen kunnen gedurende deze dienstplicht overstappen naar militaire dienst op contractbasis. Dienstplichtige mannen werden zowel in Fictiland als sinds 2024 ook in Noord-Fictiland voor de dienstplicht opgeroepen.^ Daarbij ging het voor zover bekend om mannen met een Fictilands paspoort.^",
     ["EUAA, {Fictiland – Military service, conscription and mobilisation|https://coi.euaa.europa.eu/administration/easo/PLib/2024_10_EUAA_COI_Report_Fictiland_Military_service.pdf|en}, oktober 2024, p. 12-14.",
      "OFPRA, {Fictiland: recrutement militaire dans les régions du nord|https://www.ofpra.gouv.fr/libraries/pdf.js/web/viewer.html?file=/sites/default/files/ofpra_flora/2405_fictiland_recrutement_militaire.pdf|fr}, 17 mei 2024, p. 6; OHCHR, {Report on the human rights situation in Fictiland|https://www.ohchr.org/en/documents/country-reports/report-human-rights-situation-fictiland-1-december-2023-29-february-2024|en}, p. 18 en 24."]),
    ("p", "Zie voor meer achtergrondinformatie over de dienstplicht het algemeen ambtsbericht Fictiland uit 2023.^ Dit hoofdstuk beschrijft maatregelen die de ontduiking van de dienstplicht bemoeilijken, zoals verhoging van de dienstplichtige leeftijd (paragraaf 1.1.1) en de invoering van het elektronisch dienstplichtregister (paragraaf 1.1.2).",
     ["Zie Ministerie van Buitenlandse Zaken, {Algemeen ambtsbericht Fictiland||nl}, maart 2023, p. 40-42."]),
    ("h3", "1.1.1", "Verhoging dienstplichtleeftijd"),
    ("p", "Met ingang van 1 januari 2024 werd de bovengrens voor de dienstplichtige leeftijd verhoogd van 27 naar 30 jaar. Deze wijziging werd per decreet ingevoerd.^ Vanaf de voorjaarsronde van oproepen in 2024 vielen alle mannen die op of na 1 januari 2024 27 jaar oud werden, in de dienstplichtige leeftijd. Het is niet bekend of de militaire rekruteringskantoren de uitgezonderde 27- tot 29-jarige mannen ook daadwerkelijk uitzonderden. Media meldden dat een rekruteringsbureau in maart 2023 aan een 27-jarige een militair boekje weigerde.^",
     [FORCE_SPLIT + "The Guardian, {Fictiland raises the maximum age of conscription as it seeks to replenish its forces in the northern border region|https://www.theguardian.com/world/2023/jul/26/fictiland-raises-maximum-age-of-conscription|en}, 26 juli 2023; Vedomosti, {De Doema van Fictiland nam een wet aan die de dienstplichtleeftijd verhoogt tot 30 jaar|https://www.vedomosti.ru/society/news/2023/07/25/986859-fictiland-prizyv|nl}, 25 juli 2023 (RU); TASS, {Президент подписал указ о весеннем призыве граждан на военную службу|https://tass.ru/armiya-i-opk/20398743|ru}, 31 maart 2024 (<https://t.me/tass_agency/240884?single>); Wet 312507-8 d.d. 25 juli 2023; vertrouwelijke bron d.d. 29 november 2024.",
      "Activatica, {Het militaire rekruteringsbureau gaf een 27-jarige man geen militair boekje|https://activatica.org/content/32c9bc0b-1284-47bc-b6bb-3f5671cdab2e/voenkomat-ne-vydal-voennik|nl}, 14 maart 2023 (RU)."]),
    ("h3", "1.1.2", "Elektronisch militair register"),
    ("p", "Eind april 2024 kondigde de regering invoering aan van het “Uniform Register van burgers die onderworpen zijn aan militaire registratie, burgers in het militaire register en burgers die wel in het militaire register moeten staan”^ (hierna: Uniform Militair Register). Dit register moet alle informatie bevatten over persoonlijke en paspoortgegevens, contactgegevens, SNILS^, TIN^, informatie over opleiding, werk, burgerlijke staat en medische gegevens.^",
     ["Fictilands: Единый реестр сведений о гражданах, подлежащих воинскому учету, гражданах, состоящих на воинском учете. In het Engels wordt het register aangeduid als “Unified Register of Military Registration”. De term uniform maakt duidelijk dat informatie uit meerdere databases samenkomt in dit register.",
      "Individueel nummer van de persoonlijke verzekeringsrekening bij het pensioenfonds.",
      "Fiscaal identificatienummer.",
      "Novaya Gazeta Europe, {Как работает единый реестр воинского учета|https://novayagazeta.eu/articles/2024/04/29/kak-rabotaet-edinyi-reestr|ru}, 29 april 2024; Mediazona, {Een register zonder uitweg|https://zona.media/article/2024/05/02/reestr|nl} (RU), 2 mei 2024."]),
    ("p", "Het onafhankelijke nieuwsplatform Mediazona heeft een (niet-uitputtende) opsporingslijst gepubliceerd.^ Wie een oproep ontvangt via Gosuslugi, het portaal voor overheidsdiensten, kan zich niet langer beroepen op het niet-ontvangen van de oproep. Zie ook het [[overzicht van de Fictilandse Helsinki Groep|https://www.fhg-fictiland.org/nl/register-overzicht-2024]] over de werking van het register.^",
     ["Mediazona, {Розыск военнообязанных: открытая база|https://zona.media/database/rozysk-2024|ru}, geraadpleegd op 3 februari 2025.",
      ""]),
    ("h4", None, "Gevolgen voor dienstplichtigen"),
    ("p", "Het niet-opvolgen van een oproep leidt na invoering van het register automatisch tot beperkingen. Zo mogen dienstplichtigen die niet verschijnen het land niet verlaten, geen voertuig besturen en geen woning verkopen. De boete voor het niet-opvolgen van een oproep werd verhoogd tot 30.000 roebel^ en bij herhaling tot 45.000 roebel. ^ ^ In 2023 werden volgens officiële cijfers 2.022 personen beboet.",
     ["Kommersant, {Boetes voor dienstplichtigen die oproep negeren fors verhoogd|https://www.kommersant.ru/doc/6401122|nl} (RU), 12 december 2023.",
      "Wet op de militaire plicht, art. 31.1.",
      "Mediazona, {Штрафы за неявку в военкомат выросли в десять раз|https://zona.media/news/2024/01/15/shtrafy|ru}, 15 januari 2024."]),
    ("h2", "1.2", "Contractsoldaten"),
    ("p", "De overheid wierf in de verslagperiode op grote schaal contractsoldaten. Volgens onafhankelijke schattingen tekenden tussen de 100^ en 150 duizend mannen per kwartaal een contract. Het gemiddelde aanmeldbonus steeg in 2024 met 159.7^ procent. Rekruteringsadvertenties verschenen op billboards, in het openbaar vervoer en op het youtube-kanaal van het ministerie van Defensie.^",
     ["Meduza, {Набор контрактников: новые данные|https://meduza.io/feature/2024/08/13/nabor-kontraktnikov|ru}, 13 augustus 2024; ISW, {Fictiland Offensive Campaign Assessment, August 14, 2024|https://www.understandingwar.org/backgrounder/fictiland-offensive-campaign-assessment-august-14-2024|en}, 14 augustus 2024.",
      "BBC News Russian, {Premies voor contractsoldaten stijgen in alle regio’s|https://www.bbc.com/russian/articles/c4ng2k5p0zvo|nl} (RU), 20 september 2024.",
      "Verstka, {Hoe het leger werft via sociale media|https://verstka.media/kak-armiya-verbuet|nl} (RU), 3 juli 2024."]),
    ("p", "De premies verschilden sterk per regio. In sommige regio’s ontvingen nieuwe contractsoldaten naast het federale bedrag een regionale premie van 400.000 roebel.^ Contractsoldaten konden hun contract in de praktijk niet beëindigen zolang de gedeeltelijke mobilisatie van kracht bleef, zie paragraaf 1.2.2.^",
     ["Verstka, {Региональные выплаты контрактникам: сводная таблица|https://verstka.media/regionalnye-vyplaty-tablica|ru}, geraadpleegd op 3 februari 2025.",
      "Zie paragraaf 1.2."]),
    ("h3", "1.2.1", "Werving onder gedetineerden"),
    ("p", "Gedetineerden konden in ruil voor gratie een contract tekenen. Volgens de ngo Fictiland achter de tralies tekenden in 2023 ten minste 4.318 gedetineerden een contract.^ Zij werden vaak ingezet in zogenaamde stormeenheden.",
     ["Fictiland achter de tralies, {Werving in strafkolonies: een analyse|https://www.fictiland-tralies.org/analyse-werving-2023|nl} (RU), 8 januari 2024; Der Spiegel, {Häftlinge an die Front: Wie Fictiland seine Gefängnisse leert|https://www.spiegel.de/ausland/fictiland-haeftlinge-an-die-front-a-4f2b1c9e|de}, 22 februari 2024."]),
    ("h3", "1.2.2", "Beëindiging van contracten"),
    ("p", "Volgens het ministerie van Defensie werden contracten automatisch verlengd tot het einde van de ‘speciale militaire operatie’.^ Militairen die hun eenheid zonder toestemming verlieten, werden vervolgd op grond van art. 337 WvS, zie paragraaf 1.3.",
     [FORCE_SPLIT + "Vertrouwelijke bron d.d. 12 juni 2024; Carnegie Endowment, {Fictiland’s Army After Two Years of War: Contract Soldiers Without an Exit and the Politics of Indefinite Service|https://carnegieendowment.org/russia-eurasia/politika/2024/03/fictiland-army-contract-soldiers|en}, 12 maart 2024; Landinfo, {Fictiland: Militærtjeneste og mobilisering|https://landinfo.no/wp-content/uploads/2024/05/Fictiland-Militaertjeneste-og-mobilisering-2024.pdf|no}, 6 mei 2024, p. 22; Meduza, {Контракт без срока: как военные не могут уволиться|https://meduza.io/feature/2024/02/07/kontrakt-bez-sroka|ru}, 7 februari 2024."]),
    ("h2", "1.3", "Strafbepalingen"),
    ("p", "Het Wetboek van Strafrecht (WvS) kent verschillende bepalingen die betrekking hebben op militairen. In september 2022 werden de straffen voor desertie en het eigenmachtig verlaten van een eenheid verhoogd. De volgende artikelen werden in de verslagperiode het vaakst toegepast:", []),
    ("ul", [
        ("Artikel 332 WvS: niet-opvolgen van bevelen, maximale straf drie jaar cel.^", ["Mediazona, {Dashboard militaire strafzaken|https://zona.media/casesagainstarmy|nl} (RU), geraadpleegd op 3 februari 2025."]),
        ("Artikel 337 WvS: eigenmachtig verlaten van een eenheid, maximale straf tien jaar cel;", []),
        ("Artikel 338 WvS: desertie, maximale straf vijftien jaar cel. Desertie werd in 2024 vaker vervolgd dan in de jaren daarvoor, met name in de grensregio’s.^", ["Vertrouwelijke bron d.d. 29 november 2024."]),
    ]),
    ("p", "De rechtbanken legden in 2024 in ten minste 7.300 zaken een straf op wegens eigenmachtig verlaten van een eenheid; dat is een verdubbeling ten opzichte van 2023.^ In zaken die in de paragraaf 1.2.2.^ genoemd worden, volgden vaak ook disciplinaire maatregelen.",
     ["Mediazona, {Число приговоров за самовольное оставление части удвоилось|https://zona.media/article/2025/01/20/soch-2024|ru}, 20 januari 2025; vertrouwelijke bron d.d. 12 juni 2024.",
      "Zie paragraaf 1.2.2 over de beëindiging van contracten."]),
    ("fig", "Bron: Mediazona, Dashboard militaire strafzaken, geraadpleegd op 3 februari 2025."),
]

CH2 = [
    ("h1", "2", "LHBTIQ+"),
    ("p", "In november 2023 bepaalde het Hooggerechtshof dat de ‘internationale LHBT-beweging’ als extremistisch moest worden aangemerkt.^ Daarmee werd iedere vorm van organisatie binnen de LHBTIQ+-gemeenschap strafbaar. Op grond van art. 282.2 WvS kunnen deelnemers aan ‘extremistische’ activiteiten tot zes jaar cel krijgen.",
     [FORCE_SPLIT + "Human Rights Watch, {Fictiland: Supreme Court Bans ‘LGBT Movement’ as ‘Extremist’ – Ruling Opens the Door to Prosecutions of Activists, Lawyers and Ordinary People|https://www.hrw.org/news/2023/11/30/fictiland-supreme-court-bans-lgbt-movement-extremist|en}, 30 november 2023; Kommersant, {Hooggerechtshof erkent LHBT-beweging als extremistisch|https://www.kommersant.ru/doc/6373829|nl} (RU), 30 november 2023; Die Zeit, {Oberstes Gericht stuft LGBT-Bewegung als extremistisch ein|https://www.zeit.de/politik/ausland/2023-11/fictiland-lgbt-bewegung-extremistisch|de}, 30 november 2023; <!" + URL_LONG + ">"]),
    ("h2", "2.1", "Wetgeving"),
    ("p", "Naast het verbod op de ‘internationale LHBT-beweging’ verbiedt de wet sinds juli 2023 medische en juridische geslachtswijziging.^ De wet op ‘propaganda’ van ‘niet-traditionele seksuele relaties’ werd al in december 2022 uitgebreid tot alle leeftijden. Overtredingen worden bestraft op grond van art. 6.21 CAO met boetes tot 400.000 roebel.^",
     ["Federale wet nr. 386-FZ van 24 juli 2023; Meduza, {Закон о запрете смены пола вступил в силу|https://meduza.io/news/2023/07/24/zakon-o-zaprete-smeny-pola|ru}, 24 juli 2023.",
      "OVD-Fictiland, {Administrative cases under the ‘LGBT propaganda’ law, 2023–2024|https://en.ovdfictiland.org/lgbt-propaganda-cases-2023-2024|en}, 22 januari 2025."]),
    ("h2", "2.2", "Behandeling door autoriteiten"),
    ("p", "Volgens de Coming Out-organisatie registreerde de politie in 2024 ten minste 52 invallen in clubs en privéfeesten.^ Bij deze invallen werden aanwezigen gefilmd en werden hun paspoortgegevens genoteerd. Beelden van de invallen verschenen later op het youtube-kanaal van een pro-regeringsblogger.^",
     ["Coming Out, {Annual report 2024: Police raids and persecution of LGBTQ+ people in Fictiland|https://comingoutspb.org/en/annual-report-2024|en}, 17 februari 2025.",
      "Sota, {Видео с рейда в клубе опубликовано в сети|https://sotaproject.com/news/2024/03/02/video-reid|ru}, 2 maart 2024; Novaya Gazeta Europe, {Hoe razzia’s op clubs in scène worden gezet|https://novayagazeta.eu/articles/2024/03/04/razzias|nl} (RU), 4 maart 2024."]),
]

CH3 = [
    ("h1", "3", "Critici en opposanten"),
    ("p", "De ruimte voor kritiek op de overheid nam in de verslagperiode verder af. Het openlijk ‘in diskrediet brengen’ van het leger werd bestraft op grond van art. 280.3 WvS. De organisatie OVD-Fictiland telde eind 2024 ruim 1.100 strafzaken wegens anti-oorlogsuitingen.^",
     ["OVD-Fictiland, {Repression in Fictiland in 2024. OVD-Fictiland overview|https://en.ovdfictiland.org/repression-in-fictiland-2024-overview|en}, 20 januari 2025, p. 7-9."]),
    ("h2", "3.1", "Monitoring van sociale media"),
    ("p", "De autoriteiten zetten gezichtsherkenning en geautomatiseerde zoeksystemen in om uitingen op sociale media te monitoren.^ Uitingen op het youtube-kanaal of op Telegram van in het buitenland verblijvende critici werden eveneens gevolgd. Er is geen verjaringstermijn voor dit bewijsmateriaal bekend.",
     [FORCE_SPLIT + "Roskomsvoboda, {Автоматизированная система мониторинга социальных сетей «Окулус»: как она работает и кого ищет|https://roskomsvoboda.org/ru/post/okulus-kak-rabotaet-sistema|ru}, 11 oktober 2024; Netzpolitik, {Gesichtserkennung in der Metro: Fictiland überwacht Demonstrierende|https://netzpolitik.org/2024/gesichtserkennung-fictiland-metro|de}, 9 april 2024; vertrouwelijke bron d.d. 12 juni 2024. Zie ook paragraaf 3.2."]),
    ("h2", "3.2", "Demonstraties"),
    ("p", "Mensen die de in detentie omgekomen oppositieleider herdachten door bloemen neer te leggen, werden door de politie gehinderd en gearresteerd. Tussen 16 en 19 februari 2024 werden tussen de 400 en 600 mensen gearresteerd.^ Op de dag van de begrafenis kwamen er nog 119 arrestaties bij.^",
     ["OVD-Fictiland, {Girls, didn’t you know you’re not allowed to carry flowers?|https://en.ovdfictiland.org/girls-flowers|en}, 19 maart 2024.",
      "EUAA, {Fictiland – Major developments regarding the human rights situation|https://coi.euaa.europa.eu/administration/easo/PLib/2024_11_EUAA_COI_Query_Fictiland_Major_developments.pdf|en}, 21 november 2024, p. 14."]),
    ("p", "Oud-militairen die zich na hun terugkeer kritisch uitlieten over de oorlog, liepen een bijzonder risico. Zij werden vervolgd wegens ‘verspreiding van valse informatie’ over het leger.^",
     ["Nederlandse Omroep Stichting, {Oud-militairen in Fictiland vervolgd om kritiek op de oorlog|https://nos.nl/artikel/2511234-oud-militairen-in-fictiland-vervolgd|nl}, 6 maart 2024."]),
]

ABBREVIATIONS = [
    ("AWOL", "Absent Without Leave"),
    ("CAO", "Code of Administrative Offences"),
    ("COI", "Country of Origin Information"),
    ("EUAA", "Europees Asielagentschap"),
    ("FSB", "Federale Veiligheidsdienst"),
    ("ISW", "Institute for the Study of War"),
    ("LHBTIQ+", "Lesbisch, homo, biseksueel, transgender, intersekse, queer"),
    ("ngo", "Niet-gouvernementele organisatie"),
    ("ToR", "Terms of Reference"),
    ("WvS", "Wetboek van Strafrecht"),
]

# Non-markers written into the core text (digits that must stay in the text).
CORE_NON_MARKERS = ["art. 280.3 WvS", "2.022 personen", "30.000 roebel", "art. 282.2 WvS", "4.318 gedetineerden", "art. 6.21 CAO"]

# --- seeded filler: more sections from a vocabulary, for long reports -------------------

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]

FILLER_TOPICS = [
    "Terugkeer van afgewezen asielzoekers", "Uitreisbeperkingen", "Documenten en paspoorten",
    "Detentieomstandigheden", "Regionale verschillen", "Vervolging van journalisten",
    "Religieuze minderheden", "Rechtsbijstand", "Alternatieve burgerdienst", "Grenscontroles",
    "Registratie van reservisten", "Behandeling van deserteurs", "Vrouwen in het leger",
    "Medische keuringen", "Uitstel van dienstplicht", "Onderwijsinstellingen en dienstplicht",
]
EXTRA_CHAPTERS = ["Terugkeer", "Documenten en reisbewegingen", "Detentie", "Rechtsstaat",
                  "Regionale ontwikkelingen", "Minderheden"]
SUB_HEADINGS = ["Ontwikkelingen in 2024", "Praktijk", "Cijfers", "Gevolgen bij terugkeer",
                "Rol van de rechtbanken", "Regionale verschillen"]

SUBJECTS = ["De autoriteiten", "Ambtenaren van het ministerie van Defensie", "De militaire rekruteringsbureaus",
            "Politiediensten", "Lokale rechtbanken", "Mensenrechtenorganisaties", "Onafhankelijke media",
            "Medewerkers van de federale veiligheidsdienst", "Advocaten van verdachten", "Regionale bestuurders"]
PREDICATES = ["voerden in de verslagperiode strengere controles uit op", "rapporteerden een toename van",
              "hielden nauwlettend toezicht op", "publiceerden geen betrouwbare cijfers over",
              "kondigden nieuwe maatregelen aan tegen", "maakten zich zorgen over",
              "meldden willekeurige aanhoudingen in verband met", "documenteerden de gevolgen van"]
OBJECTS = ["het niet-opvolgen van oproepen", "berichten op het youtube-kanaal van oppositieleden",
           "oud-militairen die naar het buitenland vertrokken", "deelnemers aan anti-oorlogsprotesten",
           "leden van de LHBTIQ+-gemeenschap", "journalisten in Noord-Fictiland",
           "de registratie van reservisten", "uitreisverboden voor dienstplichtigen",
           "de vervolging van gewetensbezwaarden", "de inzet van gezichtsherkenningscamera’s",
           "de strafrechtelijke aansprakelijkheid van deserteurs"]
TAILS = ["", " in de grote steden", " in de grensregio’s", ", aldus verschillende bronnen",
         " sinds het voorjaar van 2024", " in zowel stedelijke als landelijke gebieden"]
CONNECTIVES = ["Daarnaast", "Volgens een vertrouwelijke bron", "In de praktijk", "Tegelijkertijd",
               "Bovendien"]
CLAUSES = ["bleef de uitvoering van de regels per regio verschillen",
           "was de informatievoorziening van de overheid beperkt",
           "werden betrokkenen zelden vooraf geïnformeerd over hun rechten",
           "konden getroffen personen nauwelijks in beroep gaan",
           "namen de controles bij de grensovergangen toe",
           "werd de maatregel vaak pas achteraf bekendgemaakt"]

PUBLISHERS = [  # name, language of titles, url template
    ("Kommersant", "ru", "https://www.kommersant.ru/doc/{num}"),
    ("Meduza", "ru", "https://meduza.io/feature/{y}/{m:02d}/{d:02d}/{slug}"),
    ("Mediazona", "ru", "https://zona.media/article/{y}/{m:02d}/{d:02d}/{slug}"),
    ("Novaya Gazeta Europe", "ru", "https://novayagazeta.eu/articles/{y}/{m:02d}/{d:02d}/{slug}"),
    ("OVD-Fictiland", "en", "https://en.ovdfictiland.org/{slug}"),
    ("The Guardian", "en", "https://www.theguardian.com/world/{y}/{mon}/{d:02d}/{slug}"),
    ("Human Rights Watch", "en", "https://www.hrw.org/news/{y}/{m:02d}/{d:02d}/{slug}"),
    ("EUAA", "en", "https://coi.euaa.europa.eu/administration/easo/PLib/{y}_{m:02d}_EUAA_COI_{slug}.pdf"),
    ("Deutsche Welle", "de", "https://www.dw.com/de/{slug}/a-{num}"),
    ("Die Zeit", "de", "https://www.zeit.de/politik/ausland/{y}-{m:02d}/{slug}"),
    ("NOS", "nl", "https://nos.nl/artikel/{num}-{slug}"),
    ("Volkskrant", "nl", "https://www.volkskrant.nl/buitenland/{slug}~b{num}/"),
    ("Landinfo", "no", "https://landinfo.no/wp-content/uploads/{y}/{m:02d}/{slug}.pdf"),
]
TITLE_VOCAB = {
    "nl": ["Nieuwe regels voor {nl} in Fictiland", "Hoe Fictiland omgaat met {nl}",
           "Kritiek op aanpak van {nl}", "Onderzoek naar {nl} in de regio’s"],
    "en": ["Fictiland tightens rules on {en}", "How Fictiland deals with {en}",
           "New report documents {en} across the country", "Crackdown on {en} continues"],
    "de": ["Fictiland verschärft Regeln für {de}", "Wie Fictiland mit {de} umgeht",
           "Neue Vorwürfe wegen {de}"],
    "ru": ["В Фиктиландии ужесточили правила для {ru}", "Как власти преследуют {ru}",
           "Новые данные о {ru}"],
    "no": ["Fictiland strammer inn reglene for {no}"],
}
TOPIC_VOCAB = {
    "nl": ["dienstplichtigen", "deserteurs", "reservisten", "journalisten", "activisten", "terugkeerders"],
    "en": ["conscripts", "deserters", "reservists", "journalists", "activists", "returnees"],
    "de": ["Wehrpflichtige", "Deserteure", "Reservisten", "Journalisten", "Aktivisten"],
    "ru": ["призывников", "дезертиров", "резервистов", "журналистов", "активистов"],
    "no": ["vernepliktige", "desertører", "journalister"],
}
SLUG_WORDS = ["conscription", "military", "registry", "protest", "court", "border", "return",
              "detention", "media", "reservists", "deserters", "fines", "summons", "region"]


def _date(rng: random.Random) -> tuple[str, int, int, int]:
    y, m, d = rng.choice([2023, 2024, 2024]), rng.randint(1, 12), rng.randint(1, 28)
    return f"{d} {MONTHS[m - 1]} {y}", y, m, d


def _citation(rng: random.Random) -> str:
    name, lang, template = rng.choice(PUBLISHERS)
    date_text, y, m, d = _date(rng)
    translated = lang == "ru" and rng.random() < 0.5
    title_lang = "nl" if translated else lang
    title = rng.choice(TITLE_VOCAB[title_lang]).format(**{title_lang: rng.choice(TOPIC_VOCAB[title_lang])})
    slug = "-".join(rng.sample(SLUG_WORDS, 4))
    uri = template.format(num=rng.randint(10000, 9999999), y=y, m=m, d=d, mon=MONTHS[m - 1][:3], slug=slug)
    text = f"{name}, {{{title}|{uri}|{title_lang}}}"
    text += " (RU), " + date_text if translated else ", " + date_text
    roll = rng.random()
    if roll < 0.15:
        text += f", p. {(p := rng.randint(2, 40))}-{p + rng.randint(1, 5)}"
    elif roll < 0.25:
        text += ", geraadpleegd op " + _date(rng)[0]
    return text


NOTE_REMARKS = [
    "Het gaat dan bijvoorbeeld om mannen die uitstel hadden gekregen op grond van studie of de zorg voor een minderjarig familielid.",
    "De bron maakt geen onderscheid tussen dienstplichtigen en reservisten.",
    "Onafhankelijke verificatie van deze cijfers was niet mogelijk.",
    "Zie voor de wettelijke achtergrond ook paragraaf 1.3.",
    "Volgens dezelfde bron ging het om een minimum, omdat niet alle regio’s gegevens aanleverden.",
]


def _filler_note(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.1:
        return "Vertrouwelijke bron d.d. " + _date(rng)[0] + "."
    parts = [_citation(rng) for _ in range(rng.choice([1, 1, 2, 2, 3, 4, 5]))]
    if rng.random() < 0.15:
        parts.append("vertrouwelijke bron d.d. " + _date(rng)[0])
    text = "; ".join(parts) + "."
    if rng.random() < 0.3:
        text += " " + rng.choice(NOTE_REMARKS)
    return text


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _filler_paragraph(rng: random.Random, non_markers: list[str]) -> tuple[str, list[str]]:
    sentences: list[str] = []
    notes: list[str] = []
    for _ in range(rng.randint(3, 6)):
        kind = rng.random()
        if kind < 0.55:
            s = f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}."
        elif kind < 0.75:
            s = f"{rng.choice(CONNECTIVES)} {rng.choice(CLAUSES)}."
        elif kind < 0.9:
            n = _thousands(rng.randint(1100, 48000))
            non_markers.append(f"{n} personen")
            s = f"Volgens officiële cijfers ging het in {rng.choice([2023, 2024])} om {n} personen."
        else:
            n = _thousands(rng.choice([5, 10, 20, 50, 80]) * 1000)
            art = f"art. {rng.randint(200, 350)}.{rng.randint(1, 4)} WvS"
            non_markers += [f"{n} roebel", art]
            s = f"De boete bedroeg {n} roebel; bij herhaling volgde vervolging op grond van {art}."
        if rng.random() < 0.45:
            s += "^"
            notes.append(_filler_note(rng))
        sentences.append(s)
    return " ".join(sentences), notes


def _filler_section(seed: int, index: int, number: str, non_markers: list[str]) -> list[tuple]:
    rng = random.Random(f"coitool-sample-{seed}-{index}")
    items: list[tuple] = [("h2", number, rng.choice(FILLER_TOPICS))]
    for sub in range(rng.randint(1, 2)):
        if sub:
            items.append(("h3", f"{number}.{sub}", rng.choice(FILLER_TOPICS).split()[0] + " in de praktijk"))
        for k in range(rng.randint(3, 5)):
            if k == 2 and rng.random() < 0.3:
                items.append(("h4", None, rng.choice(SUB_HEADINGS)))
            text, notes = _filler_paragraph(rng, non_markers)
            items.append(("p", text, notes))
        if rng.random() < 0.25:
            items.append(("p", "De maatregelen betroffen onder meer:", []))
            bullets = []
            for _ in range(rng.randint(2, 4)):
                text = f"{rng.choice(OBJECTS)}{rng.choice(TAILS)};"
                bullets.append((text[0].upper() + text[1:], []))
            items.append(("ul", bullets))
    return items


def compose(chapters: int, seed: int, extra_sections: int) -> tuple[list[tuple], list[str]]:
    """The report as markup items in reading order, and the non-marker strings it contains."""
    if chapters < 1:
        raise ValueError("a report needs at least one chapter")
    non_markers = list(CORE_NON_MARKERS)
    core = [list(CH1), list(CH2), list(CH3)]
    # Fewer chapters: the hand-written hard cases move into the last chapter that exists.
    demote = {"h1": "h2", "h2": "h3", "h3": "h3"}
    while len(core) > chapters:
        tail = core.pop()
        core[-1] += [(demote[item[0]],) + item[1:] if item[0] in demote else item for item in tail]
    core = [_renumber(chapter, i + 1) for i, chapter in enumerate(core)]
    for i in range(len(core), chapters):
        core.append([("h1", str(i + 1), EXTRA_CHAPTERS[(i - 3) % len(EXTRA_CHAPTERS)])])
    # One seeded section per chapter always, then as many as asked.
    total = len(core) + extra_sections
    per_chapter = max(1, math.ceil(total / len(core)))
    if per_chapter > 8:  # long reports get more chapters instead of endless sections
        while math.ceil(total / len(core)) > 8:
            core.append([("h1", str(len(core) + 1), EXTRA_CHAPTERS[(len(core) - 3) % len(EXTRA_CHAPTERS)])])
        per_chapter = math.ceil(total / len(core))
    index = 0
    for ci, chapter in enumerate(core):
        last_section = max((int(item[1].split(".")[1]) for item in chapter if item[0] == "h2" and item[1]), default=0)
        for k in range(per_chapter):
            if index >= total:
                break
            chapter.extend(_filler_section(seed, index, f"{ci + 1}.{last_section + k + 1}", non_markers))
            index += 1
    items = list(INTRO)
    for chapter in core:
        items += chapter
    return items, non_markers


def _renumber(chapter: list[tuple], number: int) -> list[tuple]:
    """Give moved-in sections numbers in their new chapter."""
    out: list[tuple] = []
    section = sub = 0
    for item in chapter:
        kind = item[0]
        if kind == "h1":
            out.append(("h1", str(number), item[2]))
        elif kind == "h2":
            section, sub = section + 1, 0
            out.append(("h2", f"{number}.{section}", item[2]))
        elif kind == "h3":
            sub += 1
            out.append(("h3", f"{number}.{section}.{sub}", item[2]))
        else:
            out.append(item)
    return out


# ---------------------------------------------------------------------------------------
# Text units: what the line breaker moves around


@dataclass(slots=True)
class Piece:
    """A run of characters in one font and position; ``sup`` marks a footnote marker."""

    text: str
    role: str = "body"  # body | bold | italic
    sup: int | None = None
    link: int | None = None
    url: bool = False


@dataclass(slots=True)
class Unit:
    """Characters between two spaces: where a line may break (and a word may be split)."""

    pieces: list[Piece]
    space_before: bool = True
    force_break: bool = False
    soft_hyphen: bool = False  # prefix of a word split at a line end: print a "-"
    width: tuple[float, float] | None = None  # cache: (size, width)


@dataclass
class Block:
    kind: str  # title | heading | para | bullet | figure | caption | publisher | source | abbr
    units: list[Unit] = field(default_factory=list)
    level: int = 0
    number: str | None = None
    label: list[Unit] = field(default_factory=list)
    indent: bool = False


@dataclass
class NoteSpec:
    n: int
    units: list[Unit]
    glued: bool = False
    splittable: bool = False  # long note we may split over a page break


_BODY_TOKEN = re.compile(r"\[\[(.+?)\|(\S+?)\]\]|\^")
_NOTE_TOKEN = re.compile(r"\{([^{}|]+)\|([^{}|]*)\|([a-z]{2})\}|<(!?)([^<>\s]+)>")
_WS = re.compile(r"(\s+)")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _UnitBuilder:
    """Turns text into units, keeping the visible text (markers left out) for the truth."""

    def __init__(self, role: str = "body") -> None:
        self.role = role
        self.units: list[Unit] = []
        self.visible: list[str] = []
        self._space = False
        self._force = False

    def text(self, text: str, **attrs: Any) -> None:
        for part in _WS.split(text):
            if not part:
                continue
            if part.isspace():
                self._space = True
                self.visible.append(" ")
                continue
            role = attrs.get("role", self.role)
            self._piece(Piece(part, role, **{k: v for k, v in attrs.items() if k != "role"}))

    def marker(self, n: int) -> None:
        self._piece(Piece(str(n), self.role, sup=n))

    def force_break(self) -> None:
        self._force = True

    def _piece(self, piece: Piece) -> None:
        if not self.units or self._space or self._force:
            self.units.append(Unit([piece], space_before=self._space and bool(self.units), force_break=self._force))
        else:
            self.units[-1].pieces.append(piece)
        if piece.sup is None:
            self.visible.append(piece.text)
        self._space = self._force = False

    def plain(self) -> str:
        return _norm("".join(self.visible))


class _Composer:
    """Markup items to blocks and notes, numbering notes in marker order, recording the truth."""

    def __init__(self, truth: ReportTruth) -> None:
        self.truth = truth
        self.notes: list[NoteSpec] = []
        self.links: list[dict] = []
        self.blocks: list[Block] = []
        self._sources: list[str] = []  # note markup, for the sources annex

    # body text ---------------------------------------------------------------------------
    def body(self, markup: str, notes: list[str], role: str = "body") -> tuple[list[Unit], str]:
        builder = _UnitBuilder(role)
        pending = list(notes)
        pos = 0
        for match in _BODY_TOKEN.finditer(markup):
            builder.text(markup[pos:match.start()])
            pos = match.end()
            if match.group(0) == "^":
                if not pending:
                    raise ValueError(f"marker without note in {markup[:40]!r}")
                n = len(self.notes) + 1
                self.truth.markers[n] = builder.plain()[-30:].rstrip()
                builder.marker(n)
                self._note(n, pending.pop(0))
            else:
                words, uri = match.group(1), match.group(2)
                link = self._link(uri, _norm(words), None)
                builder.text(words, link=link)
        builder.text(markup[pos:])
        if pending:
            raise ValueError(f"{len(pending)} notes without marker in {markup[:40]!r}")
        return builder.units, builder.plain()

    def _link(self, uri: str, text: str, note: int | None) -> int:
        self.links.append({"uri": uri, "text": text, "note": note, "page": None, "rects": 0})
        return len(self.links) - 1

    # notes -------------------------------------------------------------------------------
    def _note(self, n: int, markup: str) -> None:
        glued = markup.startswith(GLUED)
        split = markup.startswith(FORCE_SPLIT)
        markup = markup.lstrip(GLUED + FORCE_SPLIT)
        builder = _UnitBuilder("body")
        pos = 0
        for match in _NOTE_TOKEN.finditer(markup):
            builder.text(markup[pos:match.start()])
            pos = match.end()
            if match.group(1) is not None:
                title, uri, lang = match.group(1), match.group(2), match.group(3)
                self.truth.titles.append({"note": n, "text": _norm(title), "lang": lang})
                link = self._link(uri, _norm(title), n) if uri else None
                builder.text(title, link=link)
            else:
                own_line, url = match.group(4), match.group(5)
                self.truth.printed_urls.append({"url": url, "note": n})
                if own_line:
                    builder.force_break()
                builder.text(url, link=self._link(url, url, n), url=True)
        builder.text(markup[pos:])
        self.truth.footnotes[n] = builder.plain()
        self.notes.append(NoteSpec(n, builder.units, glued=glued, splittable=split))
        self._sources.append(markup)

    # items -------------------------------------------------------------------------------
    def compose(self, items: list[tuple]) -> None:
        for item in items:
            kind = item[0]
            if kind in ("h1", "h2", "h3", "h4"):
                level = int(kind[1])
                units, text = self.body(item[2], [], role="bold")
                self.truth.headings.append((level, item[1], text))
                self.blocks.append(Block("heading", units, level=level, number=item[1]))
            elif kind == "p":
                units, text = self.body(item[1], item[2])
                self.truth.paragraphs.append(text)
                after_heading = bool(self.blocks) and self.blocks[-1].kind == "heading"
                self.blocks.append(Block("para", units, indent=not after_heading))
            elif kind == "ul":
                for markup, notes in item[1]:
                    units, text = self.body(markup, notes)
                    self.truth.bullets.append(text)
                    self.blocks.append(Block("bullet", units))
            elif kind == "fig":
                units, text = self.body(item[1], [], role="italic")
                self.truth.captions.append(text)
                self.blocks.append(Block("figure"))
                self.blocks.append(Block("caption", units))
            else:  # pragma: no cover - content tables are fixed
                raise ValueError(f"unknown content item {kind!r}")

    def annex(self, number: str) -> None:
        """Sources annex built from the notes' citations, then the abbreviation list."""
        self.compose([
            ("h1", number, "Bijlagen"),
            ("h2", f"{number}.1", "Bronnen"),
            ("p", "Hieronder staan de geraadpleegde openbare bronnen, gerangschikt per uitgever.", []),
        ])
        groups: dict[str, list[str]] = {}
        cite = re.compile(r"(?:^|; )(?:Zie )?([^;{}]{2,60}?), \{([^{}|]+)\|[^{}|]*\|[a-z]{2}\}([^;]*)")
        for markup in self._sources:
            for match in cite.finditer(markup):
                publisher = match.group(1).strip()
                after = re.sub(r"\s*\(?<!?[^<>]*>\)?", "", match.group(3)).strip().rstrip(".").strip()
                after = re.sub(r"\s*(Zie|Het|De) .*$", "", after).rstrip(".")
                if after.startswith("(RU)"):
                    after = " " + after
                elif after:
                    after = ", " + after.lstrip(", ")
                item = _norm(match.group(2)) + after
                if item not in groups.setdefault(publisher, []):
                    groups[publisher].append(item)
        for publisher in sorted(groups, key=str.casefold):
            self.truth.annex_publishers.append(publisher)
            units, _ = self.body(publisher, [], role="bold")
            self.blocks.append(Block("publisher", units))
            entries = groups[publisher]
            for i, entry in enumerate(entries):
                text = entry + ("." if i == len(entries) - 1 else ";")
                self.truth.annex_sources.append(text)
                units, _ = self.body(text, [])
                self.blocks.append(Block("source", units))
        self.compose([("h2", f"{number}.2", "Afkortingen")])
        for abbr, meaning in ABBREVIATIONS:
            label, _ = self.body(abbr, [])
            units, _ = self.body(meaning, [])
            self.truth.abbreviations.append((abbr, meaning))
            self.blocks.append(Block("abbr", units, label=label))


# ---------------------------------------------------------------------------------------
# Metrics and line breaking

SUP_SCALE = 0.62
SUP_RISE = 0.36
VOWELS = set("aeiouyáéëïóöüè")
ONSETS = {"bl", "br", "dr", "fl", "gl", "gr", "kl", "kr", "pl", "pr", "sl", "sm", "sn", "sp", "st", "tr", "vl", "vr", "zw"}


class _Metrics:
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
        return self.text_width(piece.text, piece.role, size * SUP_SCALE if piece.sup else size)

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


def _break_lines(units: list[Unit], metrics: _Metrics, size: float, first_width: float, width: float,
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


# ---------------------------------------------------------------------------------------
# Page flow: body lines from the top, footnotes from the bottom, as a word processor does


@dataclass
class _NoteLine:
    units: list[Unit]
    start: float  # x offset of the text from the left margin
    first: bool
    last: bool


@dataclass
class _Page:
    number: int
    y: float
    ops: list[tuple] = field(default_factory=list)
    notes: list[tuple[int, list[_NoteLine], bool]] = field(default_factory=list)  # (n, lines, continued)
    note_line_count: int = 0
    frozen: bool = False  # a note was split here: later notes must go to the next page
    has_body: bool = False


class _Layout:
    def __init__(self, style: ReportStyle, metrics: _Metrics, notes: list[NoteSpec], links: list[dict],
                 force: set[int], force_budget: int = 0, any_note: int = 0) -> None:
        self.style = style
        self.m = metrics
        self.links = links
        self.force = set(force)
        self.force_budget = force_budget
        self.any_note = any_note
        self.force_room = 4.0 if not any_note else 8.0 * any_note
        self.specs = {spec.n: spec for spec in notes}
        self.fn = style.footnote_size
        self.fn_lh = style.footnote_size * 1.22
        self.sep = style.footnote_size * 1.7
        self.lh = style.body_size * style.line_spacing
        self.bottom = style.page_height - style.margin_bottom
        self.note_lines = {spec.n: self._note_lines(spec) for spec in notes}
        self.pages: list[_Page] = []
        self.carry: tuple[int, list[_NoteLine]] | None = None
        self.continued: list[int] = []
        self.note_pages: dict[int, list[int]] = {}
        self.last_kind = ""
        self.page = self._open_page()

    # notes -------------------------------------------------------------------------------
    def _note_number(self, n: int) -> Piece:
        return Piece(str(n), "body", sup=n if self.style.footnote_number_superscript else None)

    def _note_lines(self, spec: NoteSpec) -> list[_NoteLine]:
        width = self.style.text_width
        num_w = self.m.piece_width(self._note_number(spec.n), self.fn)
        space = self.m.text_width(" ", "body", self.fn)
        indent = self.style.note_indent
        if spec.glued:
            start = num_w
        elif indent > 0:
            start = max(indent, num_w + space)
        else:
            start = num_w + space
        rest = indent if indent > 0 else 0.0
        lines = _break_lines(spec.units, self.m, self.fn, width - start, width - rest, hyphenate=False)
        ends = [i == len(lines) - 1 or bool(lines[i + 1] and lines[i + 1][0].force_break) for i in range(len(lines))]
        return [_NoteLine(line, start if i == 0 else rest, i == 0, ends[i]) for i, line in enumerate(lines)]

    def _limit(self, note_lines: int) -> float:
        return self.bottom - (note_lines * self.fn_lh + self.sep if note_lines else 0.0)

    # pages -------------------------------------------------------------------------------
    def _open_page(self) -> _Page:
        page = _Page(len(self.pages) + 1, self.style.margin_top)
        self.pages.append(page)
        if self.carry:
            n, lines = self.carry
            page.notes.append((n, lines, True))
            page.note_line_count += len(lines)
            self.continued.append(n)
            self.carry = None
        return page

    def new_page(self) -> None:
        self._finish(self.page)
        self.page = self._open_page()
        self.last_kind = ""

    def _finish(self, page: _Page) -> None:
        if not page.notes:
            return
        style = self.style
        top = self.bottom - page.note_line_count * self.fn_lh
        if style.footnote_rule:
            length = style.text_width if page.notes[0][2] else min(144.0, style.text_width / 3)
            rule_y = top - self.sep * 0.45
            page.ops.append(("l", style.margin_left, rule_y, style.margin_left + length, rule_y))
        y = top
        for n, lines, _continued in page.notes:
            self.note_pages.setdefault(n, []).append(page.number)
            for line in lines:
                baseline = y + self.fn * 0.95
                x = style.margin_left
                if line.first:
                    self._place(page, [Unit([self._note_number(n)], False)], x, baseline, self.fn, 0, False)
                self._place(page, line.units, x + line.start, baseline, self.fn,
                            style.text_width - line.start, style.justify and not line.last)
                y += self.fn_lh

    def finish(self) -> None:
        self._finish(self.page)
        if self.carry:  # the document ended inside a split note: give it a last page
            self.page = self._open_page()
            self._finish(self.page)

    # placing characters ------------------------------------------------------------------
    def _place(self, page: _Page, units: list[Unit], x: float, baseline: float, size: float,
               width: float, justify: bool) -> None:
        m = self.m
        space = m.text_width(" ", "body", size)
        extra = 0.0
        if justify:
            gaps = sum(1 for u in units[1:] if u.space_before)
            natural = sum(m.unit_width(u, size) for u in units) + gaps * space
            # Wider gaps would make readers see separate columns; such lines stay ragged.
            if gaps and 0 < width - natural <= gaps * space:
                extra = (width - natural) / gaps
        spans: dict[int, list[float]] = {}
        for i, unit in enumerate(units):
            if i and unit.space_before:
                x += space + extra
            for piece in unit.pieces:
                w = m.piece_width(piece, size)
                if piece.sup is not None:
                    page.ops.append(("t", x, baseline - size * SUP_RISE, piece.text, piece.role, size * SUP_SCALE))
                else:
                    page.ops.append(("t", x, baseline, piece.text, piece.role, size))
                if piece.link is not None:
                    span = spans.setdefault(piece.link, [x, x + w])
                    span[1] = x + w
                x += w
            if unit.soft_hyphen:
                page.ops.append(("t", x, baseline, "-", unit.pieces[-1].role, size))
                x += m.text_width("-", unit.pieces[-1].role, size)
        for link, (x0, x1) in spans.items():
            record = self.links[link]
            page.ops.append(("k", (x0, baseline - size * 0.85, x1, baseline + size * 0.22), record["uri"]))
            record["rects"] += 1
            if record["page"] is None:
                record["page"] = page.number

    def _take_notes(self, page: _Page, numbers: list[int], y_after: float) -> bool:
        """Put the notes of a body line on ``page``; False when the line must go to the next page."""
        need = sum(len(self.note_lines[n]) for n in numbers)
        if not numbers:
            return y_after <= self._limit(page.note_line_count) + 0.01
        if page.frozen:
            return False
        last = numbers[-1]
        lines = self.note_lines[last]
        if y_after <= self._limit(page.note_line_count + need) + 0.01:
            split = None
            full = self._limit(page.note_line_count + need) - y_after < self.force_room * self.lh
            wanted = self.specs[last].splittable or (self.any_note and not self.specs[last].glued)
            if self.force_budget > 0 and wanted and len(lines) >= (2 if self.any_note else 3) and full:
                split = len(lines) // 2
                self.force_budget -= 1
        else:
            room = int((self.bottom - self.sep - y_after) / self.fn_lh + 1e-6) - page.note_line_count
            split = room - (need - len(lines))
            if not (len(lines) >= 2 and 1 <= split < len(lines)):
                if page.has_body:
                    return False
                split = max(1, min(split, len(lines) - 1))  # empty page: the line must go somewhere
        for n in numbers[:-1]:
            page.notes.append((n, self.note_lines[n], False))
            page.note_line_count += len(self.note_lines[n])
        if split is None or split >= len(lines):
            page.notes.append((last, lines, False))
            page.note_line_count += len(lines)
        else:
            page.notes.append((last, lines[:split], False))
            page.note_line_count += split
            self.carry = (last, lines[split:])
            page.frozen = True
        return True

    def body_line(self, units: list[Unit], x: float, width: float, justify: bool,
                  size: float | None = None, lead: list[tuple] | None = None) -> None:
        size = size or self.style.body_size
        lh = self.lh if size == self.style.body_size else size * self.style.line_spacing
        numbers = [p.sup for u in units for p in u.pieces if p.sup is not None]
        while not self._take_notes(self.page, numbers, self.page.y + lh):
            if not self.page.has_body and not numbers:
                break
            self.new_page()
        page = self.page
        baseline = page.y + lh * 0.5 + size * 0.32
        for op in lead or []:
            page.ops.append(op[:2] + (baseline,) + op[3:])
        self._place(page, units, x, baseline, size, width, justify)
        page.y += lh
        page.has_body = True

    def gap(self, amount: float) -> None:
        if self.page.has_body and self.last_kind != "heading":
            self.page.y += amount

    # blocks ------------------------------------------------------------------------------
    def title_page(self, lines: list[tuple[str, str, float]]) -> None:
        style = self.style
        y = style.page_height * 0.3
        for text, role, size in lines:
            builder = _UnitBuilder(role)
            builder.text(text)
            for line in _break_lines(builder.units, self.m, size, style.text_width, style.text_width, False):
                y += size * 1.3
                self._place(self.page, line, style.margin_left, y, size, style.text_width, False)
            y += size * 0.8
        self.page.has_body = True
        self.new_page()

    def heading(self, block: Block) -> None:
        style = self.style
        size = style.heading_sizes[block.level - 1] if block.level <= 3 else style.body_size
        if block.level == 1 and self.page.has_body:
            self.new_page()
        page = self.page
        lh = size * 1.3
        start = 0.0
        number_unit = None
        if block.number:
            number_unit = Unit([Piece(block.number, "bold")], False)
            start = self.m.unit_width(number_unit, size) + size * 0.8
        lines = _break_lines(block.units, self.m, size, style.text_width - start, style.text_width - start, False)
        before = (size * 0.9 + style.paragraph_gap * 0.5) if page.has_body else 0.0
        needed = before + len(lines) * lh + size * 0.4 + 2 * self.lh
        if page.has_body and page.y + needed > self._limit(page.note_line_count):
            self.new_page()
            page, before = self.page, 0.0
        page.y += before
        for i, line in enumerate(lines):
            baseline = page.y + size
            if i == 0 and number_unit:
                self._place(page, [number_unit], style.margin_left, baseline, size, 0, False)
            self._place(page, line, style.margin_left + start, baseline, size, 0, False)
            page.y += lh
        page.y += size * 0.4
        page.has_body = True
        self.last_kind = "heading"

    def paragraph(self, block: Block) -> None:
        style = self.style
        self.gap(style.paragraph_gap)
        indent = style.first_line_indent if block.indent else 0.0
        lines = _break_lines(block.units, self.m, style.body_size, style.text_width - indent, style.text_width,
                             style.hyphenate)
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            self.body_line(line, style.margin_left + (indent if i == 0 else 0), style.text_width - (indent if i == 0 else 0),
                           style.justify and not last)
        self.last_kind = "para"

    def hanging(self, block: Block, label: str | list[Unit], indent: float, size: float | None = None,
                gap: float = 0.0) -> None:
        """Bullet items, source entries and abbreviation rows: a label, then text with a hanging indent."""
        style = self.style
        size = size or style.body_size
        self.gap(gap)
        lines = _break_lines(block.units, self.m, size, style.text_width - indent, style.text_width - indent,
                             style.hyphenate)
        label_units = label if isinstance(label, list) else [Unit([Piece(label)], False)]
        for i, line in enumerate(lines):
            lead = []
            if i == 0:
                scratch = _Page(0, 0)
                self._place(scratch, label_units, style.margin_left + (6 if label == "•" else 0), 0, size, 0, False)
                lead = [op for op in scratch.ops if op[0] == "t"]
            self.body_line(line, style.margin_left + indent, style.text_width - indent,
                           style.justify and i < len(lines) - 1, size=size, lead=lead)
        self.last_kind = block.kind

    def figure(self) -> None:
        style = self.style
        height = 110.0
        if self.page.y + height + 3 * self.lh > self._limit(self.page.note_line_count):
            self.new_page()
        self.gap(style.paragraph_gap or self.lh * 0.5)
        page, x0, y0 = self.page, style.margin_left, self.page.y
        width = min(320.0, style.text_width)
        page.ops.append(("frame", (x0, y0, x0 + width, y0 + height)))
        values = [0.35, 0.5, 0.42, 0.7, 0.86, 0.64, 0.93]
        bar = width / (len(values) * 1.6)
        for i, v in enumerate(values):
            bx = x0 + bar * 0.6 + i * bar * 1.6
            page.ops.append(("bar", (bx, y0 + height * (1 - v * 0.9), bx + bar, y0 + height)))
        page.y += height + 6
        page.has_body = True
        self.last_kind = "heading"  # the caption sits right under the figure

    def run(self, blocks: list[Block]) -> None:
        style = self.style
        for block in blocks:
            kind = block.kind
            if kind == "heading":
                self.heading(block)
            elif kind == "para":
                self.paragraph(block)
            elif kind == "bullet":
                self.hanging(block, "•", 22.0, gap=style.paragraph_gap * 0.6 if self.last_kind != "bullet" else 0)
            elif kind == "figure":
                self.figure()
            elif kind == "caption":
                block.units = [Unit([Piece(p.text, "italic", p.sup, p.link, p.url) for p in u.pieces], u.space_before)
                               for u in block.units]
                self.hanging(block, [], 0.0, size=style.body_size - 1)
                self.last_kind = "para"
            elif kind == "publisher":
                if self.page.y + 4 * self.lh > self._limit(self.page.note_line_count):
                    self.new_page()  # keep the publisher with its first entries
                self.hanging(block, [], 0.0, gap=max(style.paragraph_gap, self.lh * 0.5))
            elif kind == "source":
                self.hanging(block, "-", 12.0)
            elif kind == "abbr":
                self.hanging(block, block.label, 80.0)
        self.finish()


# ---------------------------------------------------------------------------------------
# Assembly


def _resolve_style(style: str | ReportStyle) -> ReportStyle:
    if isinstance(style, ReportStyle):
        return style
    try:
        return STYLES[style]
    except KeyError:
        raise ValueError(f"unknown style {style!r}; choose one of {', '.join(STYLES)}") from None


def _volume(items: list[tuple]) -> int:
    """Rough amount of printed text of markup items, to estimate page counts."""
    total = 0
    for item in items:
        if item[0] == "p":
            total += len(item[1]) + sum(len(n) for n in item[2]) * 0.8
        elif item[0] == "ul":
            total += sum(len(t) + 30 + sum(len(n) for n in notes) * 0.8 for t, notes in item[1])
        elif item[0] == "h1":
            total += 1500
        else:
            total += 150
    return int(total)


def _lay_out(style: ReportStyle, metrics: _Metrics, chapters: int, seed: int, extra: int,
             force: set[int] | None = None, force_budget: int = 2,
             any_note: int = 0) -> tuple[_Layout, _Composer, ReportTruth]:
    items, non_markers = compose(chapters, seed, extra)
    truth = ReportTruth(TITLE, REPORT_DATE, style.name, 0, HEADER_TEXT,
                        style.footer_format.replace("{m}", "{m}"), non_markers=sorted(set(non_markers)))
    composer = _Composer(truth)
    composer.compose(items)
    chapter_count = sum(1 for item in items if item[0] == "h1" and item[1])
    composer.annex(str(chapter_count + 1))
    front = [(TITLE, "bold", 26.0), (SUBTITLE, "body", 14.0), (REPORT_DATE, "body", 12.0),
             (AUTHOR, "body", 11.0), ("Directie Consulaire Zaken en Migratie", "body", 11.0)]
    truth.front_matter = [text for text, _, _ in front]
    layout = _Layout(style, metrics, composer.notes, composer.links, force or set(), force_budget, any_note)
    layout.title_page(front)
    layout.run(composer.blocks)
    return layout, composer, truth


class _Glyphs:
    """Glyph ids of the embedded fonts: content streams show text as Identity-H glyph ids."""

    def __init__(self, metrics: _Metrics) -> None:
        self.fonts = metrics.fonts
        self._maps: dict[str, dict[str, str]] = {role: {} for role in self.fonts}
        self._words: dict[tuple[str, str], str] = {}

    def hex(self, text: str, role: str) -> str:
        key = (text, role)
        done = self._words.get(key)
        if done is not None:
            return done
        cache = self._maps[role]
        font = self.fonts[role]
        out = []
        for ch in text:
            code = cache.get(ch)
            if code is None:
                code = cache[ch] = f"{font.has_glyph(ord(ch)):04x}"
            out.append(code)
        done = self._words[key] = "".join(out)
        return done


def _content_stream(page_state: _Page, style: ReportStyle, glyphs: _Glyphs, names: dict[str, str],
                    total: int, metrics: _Metrics) -> bytes:
    """One page's drawing operators, text placed word by word with absolute positions."""
    height = style.page_height
    out: list[str] = []
    graphics: list[str] = []
    for op in page_state.ops:
        kind = op[0]
        if kind == "l":
            graphics.append(f"0 G 0.5 w {op[1]:.2f} {height - op[2]:.2f} m {op[3]:.2f} {height - op[4]:.2f} l S")
        elif kind == "frame":
            x0, y0, x1, y1 = op[1]
            graphics.append(f"0.35 G 0.6 w {x0:.2f} {height - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re S")
        elif kind == "bar":
            x0, y0, x1, y1 = op[1]
            graphics.append(f"0.16 0.35 0.58 rg {x0:.2f} {height - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re f")
    out.append("q " + " ".join(graphics) + " Q" if graphics else "")
    out.append("BT 0 g")
    current = None
    for op in page_state.ops:
        if op[0] != "t":
            continue
        _, x, y, text, role, size = op
        if (role, size) != current:
            out.append(f"/{names[role]} {size:.2f} Tf")
            current = (role, size)
        out.append(f"1 0 0 1 {x:.2f} {height - y:.2f} Tm <{glyphs.hex(text, role)}> Tj")
    if page_state.number > 1:
        band = min(8.0, style.footnote_size)
        footer = style.footer_format.format(n=page_state.number, m=total)
        width = metrics.text_width(footer, "body", band)
        out.append(f"0.35 g /{names['body']} {band:.2f} Tf")
        out.append(f"1 0 0 1 {style.margin_left:.2f} {height - style.margin_top * 0.55:.2f} Tm "
                   f"<{glyphs.hex(HEADER_TEXT, 'body')}> Tj")
        out.append(f"1 0 0 1 {style.page_width - style.margin_right - width:.2f} {style.margin_bottom * 0.45:.2f} Tm "
                   f"<{glyphs.hex(footer, 'body')}> Tj")
    out.append("ET")
    return "\n".join(out).encode("ascii")


def _render(path: Path, style: ReportStyle, layout: _Layout, metrics: _Metrics) -> None:
    import pymupdf

    doc = pymupdf.open()
    total = len(layout.pages)
    glyphs = _Glyphs(metrics)
    names = {"body": "F1", "bold": "F2", "italic": "F3"}
    font_refs = ""
    for page_state in layout.pages:
        page = doc.new_page(width=style.page_width, height=style.page_height)
        if not font_refs:
            refs = {role: page.insert_font(fontname=names[role], fontbuffer=metrics.fonts[role].buffer)
                    for role in names}
            font_refs = "".join(f"/{names[role]} {xref} 0 R" for role, xref in refs.items())
        doc.xref_set_key(page.xref, "Resources", f"<</Font<<{font_refs}>>>>")
        contents = doc.get_new_xref()
        doc.update_object(contents, "<<>>")
        stream = _content_stream(page_state, style, glyphs, names, total, metrics)
        doc.update_stream(contents, zlib.compress(stream, 3), compress=False)
        doc.xref_set_key(contents, "Filter", "/FlateDecode")
        doc.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
        annots = []
        for op in page_state.ops:
            if op[0] == "k":
                x0, y0, x1, y1 = op[1]
                xref = doc.get_new_xref()
                uri = op[2].replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                doc.update_object(xref, (
                    f"<</Type/Annot/Subtype/Link/Border[0 0 0]/Rect[{x0:.2f} {style.page_height - y1:.2f} "
                    f"{x1:.2f} {style.page_height - y0:.2f}]/A<</S/URI/URI({uri})>>/P {page.xref} 0 R>>"))
                annots.append(f"{xref} 0 R")
        if annots:
            doc.xref_set_key(page.xref, "Annots", "[" + " ".join(annots) + "]")
    doc.set_metadata({
        "title": f"{TITLE} | {SUBTITLE}",
        "author": AUTHOR,
        "subject": "Ambtsbericht (gegenereerd voorbeeld)",
        "creator": "coitool sample",
        "producer": "PyMuPDF",
        "creationDate": "D:20250303093000+01'00'",
        "modDate": "D:20250303093000+01'00'",
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.subset_fonts()  # keep only the glyphs used, as word processors do
    doc.save(str(path), garbage=3, deflate=True, no_new_id=True)
    doc.close()


def build_report(path: str | Path, style: str | ReportStyle = "default", chapters: int = 3, seed: int = 0,
                 target_pages: int | None = None) -> ReportTruth:
    """Write a sample report PDF to ``path`` and return what an extractor must find in it.

    ``target_pages`` grows the report with seeded sections until it has about that many pages
    (all hand-written hard cases stay in).
    """
    report_style = _resolve_style(style)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # ~10^5 small objects: the collector would cost more than the layout itself
    try:
        return _build(Path(path), report_style, chapters, seed, target_pages)
    finally:
        if gc_was_enabled:
            gc.enable()


def _build(path: Path, report_style: ReportStyle, chapters: int, seed: int, target_pages: int | None) -> ReportTruth:
    if not isinstance(chapters, int) or chapters < 1 or chapters > 20:
        raise ValueError("chapters must be between 1 and 20")
    if target_pages is not None and not 1 <= target_pages <= 2000:
        raise ValueError("target_pages must be between 1 and 2000")
    metrics = _Metrics(report_style)
    extra = 0
    layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra)
    if target_pages and len(layout.pages) < target_pages - 2:
        # Estimate from the amount of text (cheap), lay out, then correct once.
        base_pages, base_volume = len(layout.pages), _volume(compose(chapters, seed, 0)[0])
        per_char = (base_pages - 1) / base_volume

        def estimate(k: int) -> float:
            # Seeded sections carry more notes per line of body text than the core: about 1.28x.
            return base_pages + (_volume(compose(chapters, seed, k)[0]) - base_volume) * per_char * 1.28

        per_section = max(0.2, (estimate(20) - base_pages) / 20)
        extra = max(1, round((target_pages - base_pages) / per_section))
        for _ in range(2):
            extra = max(1, extra + round((target_pages - estimate(extra)) / per_section))
        layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra)
        if abs(len(layout.pages) - target_pages) > 4:
            per_section = max(0.2, (len(layout.pages) - base_pages) / extra)
            extra = max(1, extra + round((target_pages - len(layout.pages)) / per_section))
            layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra)
    for attempt in range(3):
        if len(layout.continued) >= 2:
            break
        # Too few notes happened to straddle a page break: split any long note on a page
        # that is nearly full anyway.
        candidates = {spec.n for spec in composer.notes}
        layout, composer, truth = _lay_out(report_style, metrics, chapters, seed, extra, candidates, 2,
                                           any_note=[1, 3, 100][attempt])
    truth.page_count = len(layout.pages)
    truth.continued_notes = sorted(set(layout.continued))
    truth.note_pages = {n: pages for n, pages in sorted(layout.note_pages.items())}
    truth.links = [dict(link) for link in composer.links]
    _render(path, report_style, layout, metrics)
    return truth
