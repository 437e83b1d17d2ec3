"""Regenerate the word-processor PDFs in tests/pdfs/ and their ground truth.

The extractor must cope with reports written in a word processor, not only with
PDFs drawn by our own PyMuPDF fixture generator. This maintainer script writes two
invented Dutch country reports as flat ODT (.fodt) in eight layouts, converts each
with LibreOffice and writes ``<name>.pdf`` plus ``<name>.truth.json`` next to itself
(the three numbering and running-text layouts into ``layouts/``), or into ``--out DIR``.
The tests only read the committed files; they never need LibreOffice.

Run (needs ``soffice`` plus the fonts Liberation Serif, DejaVu Sans, DejaVu Serif,
Carlito and the Dutch hyphenation patterns, e.g. Debian packages
libreoffice-writer-nogui, hyphen-nl, fonts-liberation, fonts-dejavu,
fonts-crosextra-carlito)::

    python tests/pdfs/make_wordprocessor_pdfs.py [--only NAME] [--out DIR] [--keep-fodt DIR]

with a Python that has PyMuPDF (the project's virtualenv). It takes a few minutes.

One writer, one read-back check and one layout search serve all layouts; a
``Variant`` holds what differs (report, fonts, page, notes, running header,
what the layout must show).

The truth is derived from the source text below, not read from the PDF. Only the
facts that depend on where LibreOffice breaks lines and pages (page count, which
notes and paragraphs continue on the next page, which line ends carry a hyphen,
on which page a heading lands) are measured in the PDF, after the
script has checked with PyMuPDF that the printed text, note numbers, marker
positions and link texts agree with the source. If a check fails, the script
stops without writing anything for that variant.

Layouts are searched, not hand-tuned: Writer moves a line with a note anchor to
the next page rather than split the note, unless the anchor is on about the last
line of a page. The script therefore converts each variant with several line
heights, figure heights and FILLER paddings (one soffice run per batch) and keeps
the first layout that shows the variant's hard cases; for the first report that
is a note continued on a page that also has body text, a paragraph continuing
across a page break, and a real hyphen ending a body line.

How LibreOffice 7.4 lays these documents out (what the extractor sees):

* Body note markers are spans of their own at 58% of the body size, with flags 5
  (superscript bit 0 + serif bit 2, even for the sans fonts) and a baseline
  about 0.4 x body size above the body baseline (4.3 pt at 11 pt). PyMuPDF sets
  the superscript bit by comparing with the preceding span, so a marker that
  starts a visual line comes without it (flags 4): use size and baseline too.
  Two notes typed with a space between them give two marker spans with a space
  span between them, sometimes with the second marker on the next line.
* In the note area the number is a span of its own. With the "Footnote Symbol"
  style plain (lo-serif, lo-carlito) it has the note size and flags 4, sits at
  the left margin and the text starts at the hanging indent (14 to 17 pt further
  right) after a tab; the number is often a PyMuPDF line of its own on the same
  baseline, sometimes followed by a space span. With the style superscript
  and no indent (lo-sans) the number is 58% of the note size, raised about 3 pt,
  glued to the first word ("4" + "Ministerie") and, being line-initial, flags 4.
* A note that does not fit is continued at the top of the next page's note area
  at the text indent, without number and without continuation notice. Notes sit
  at the bottom of the page even when the body ends high on a short page.
* The separator is a filled rectangle 0.5 pt high (drawing type "f", black),
  from the left margin over 25% or 33% of the text width, about 4.6 pt above the
  top of the first note line's bbox (about 12 pt above its baseline). Without a
  separator (lo-sans) nothing is drawn at all.
* Every note produces two internal GoTo links (kind 1): from the body marker to
  the note and from the note number back. Hyperlinks are URI links (kind 2);
  each rectangle spans the line height and exactly the linked characters (a
  comma right after the title is outside it, so cut at characters, not words).
  A link that wraps gives one rectangle per line with the same URI.
* Automatic hyphenation adds "-" at line ends; in justified notes the hyphen
  may stand apart ("beslo -"), which PyMuPDF reports with a space before it.
  Printed URLs carry language "none", so they are never hyphenated, but they do
  break after their own hyphens and slashes.
* Outline-numbered headings print the number and the title as separate
  PyMuPDF lines on one baseline (a tab between them); bullets likewise are a
  "•" line followed by the item text at the list indent.
* Word-style layouts number notes from 95 on; a three-digit number is wider
  than the hanging indent, so Writer glues it to the text ("100Belastingdienst").
* The table of contents is static text in the .fodt (Writer does not update
  indexes when converting), so the script converts twice: once to learn on
  which page each heading lands, then with those page numbers.
* With ``text:start-numbering-at="chapter"`` the numbers restart at 1 after every
  level-1 heading; with ``"page"`` on every page, counted by the page of the anchor
  (the continued part of a note carries no number, the page's first new note is 1).
  The citations written into the .fodt are recomputed by Writer, so the script reads
  the printed labels back and checks them against the rule.
* With header and footer spacing 0 the header's last line sits right on the body
  and the footer right under the note area (no gap in either place).
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
HEADER_TEXT = "Thematisch ambtsbericht Fictiland | 3 maart 2025"
FOOTER_PATTERN = "Pagina {page} van {pages}"
LANGUAGE = ("nl", "NL")


@dataclass
class Heading:
    level: int
    text: str
    numbered: bool = True


@dataclass
class Para:
    text: str
    kind: str = "p"  # "p", "item", "caption"
    padded: bool = False  # receives FILLER sentences to move the page breaks


@dataclass
class Bullets:
    items: list[str]


@dataclass
class Numbered:
    """An ordered list "1) … 2) …"."""
    items: list[str]


@dataclass
class Table:
    """A two-column table whose cells are body text; the first row is the header row."""
    rows: list[tuple[str, str]]


@dataclass
class Figure:
    height_cm: float = 3.5


# ---------------------------------------------------------------------------
# The report. Body strings use two inline marks: [[n:KEY]] places the note KEY,
# [[a:URI|text]] is a hyperlink. Note strings may also use [[u:URI]] (printed and
# linked URL) and [[U:URI]] (printed URL without link annotation).
# ---------------------------------------------------------------------------

NOTES: dict[str, str] = {
    "amb2023": "Ministerie van Buitenlandse Zaken, [[a:https://www.rijksoverheid.nl/documenten/ambtsberichten/2023/03/15/algemeen-ambtsbericht-fictiland-maart-2023|Algemeen ambtsbericht Fictiland]], maart 2023.",
    "stat": "Vertrouwelijke bron d.d. 12 november 2024; Fictiland Monitor, [[a:https://fictimonitor.org/ru/2024/06/statistika|Статистика призыва больше не публикуется]] (RU), 3 juni 2024.",
    "mod2024": "Ministerie van Defensie van Fictiland, Итоги осеннего призыва 2024 года (RU), 28 december 2024; Noordstad Nieuws, Minder oproepen in de hoofdstad, 30 december 2024.",
    "contract": "Human Rights Observer, [[a:https://hro.example.org/reports/2024/fictiland-conscription|Conscription in Fictiland: Law and Practice]], 14 mei 2024, p. 12.",
    "begroting": "Deutsche Stiftung für Osteuropastudien, Wehrpflicht und Mobilisierung in Fiktiland: Rechtslage und Praxis, 14. Juni 2024, S. 7; Staatsbegroting 2025, hoofdstuk Defensie, tabel 3.",
    "register": "Fictiland Monitor, [[a:https://fictimonitor.org/ru/2024/11/elektronnye-povestki|Электронные повестки: как работает новый реестр]] (RU), 2 november 2024; Institute for Eastern Security, Digital Summons and the Closing of Exit Routes, 20 november 2024; vertrouwelijke bron d.d. 5 december 2024.",
    "reisverbod": "Wet nr. 417-FZ van 14 april 2023, artikel 4; zie ook [[u:https://pravo.fictiland.example/doc/417-fz]].",
    "wvs": "Art. 280.3 WvS stelt het ontduiken van de dienstplicht strafbaar; bij een eerste bestuurlijke overtreding volgt in de regel alleen een boete. Zie Juridisch Centrum Noordstad, Уклонение от призыва: административная и уголовная ответственность (RU), 9 september 2024.",
    "advocaten": "Gesprek met advocaten in Noordstad, oktober 2024; Rechtshulp Oostmark, Jaaroverzicht 2024, januari 2025.",
    "par121": "Zie ook Ministerie van Buitenlandse Zaken, Algemeen ambtsbericht Fictiland, maart 2023, p. 31.",
    "burgerdienst": "Human Rights Observer, Alternative Civilian Service in Fictiland: A Right on Paper, 2 februari 2024; Kriegsdienstverweigerer-Netzwerk, Kriegsdienstverweigerung in Fiktiland, 11. März 2024.",
    "youtube": "Ministerie van Defensie van Fictiland, youtube-kanaal ‘Служба по контракту’, geraadpleegd op 15 januari 2025, [[u:https://www.youtube.com/@sluzhba-fictiland]].",
    "premie1": "Fictiland Monitor, [[a:https://fictimonitor.org/ru/2024/09/vyplaty|Сколько платят контрактникам в регионах]] (RU), 24 september 2024.",
    "premie2": "Regeringsbesluit nr. 1342 van 30 augustus 2024 over eenmalige betalingen aan contractmilitairen, [[U:https://pravo.fictiland.example/documents/regeringsbesluiten/2024/08/30/besluit-1342-eenmalige-betalingen-aan-contractmilitairen-en-hun-gezinsleden]].",
    "regio": "Oostmark Vandaag, Regionale premie opnieuw verhoogd, 2 december 2024; Institute for Eastern Security, Paying for the War: Regional Bonuses in Fictiland, 8 januari 2025.",
    "figuur": "De cijfers over 2024 betreffen de eerste drie kwartalen.",
    "desertie_lang": (
        "Fictiland Monitor, [[a:https://fictimonitor.org/ru/2024/10/dezertirstvo|Дела о самовольном оставлении части: обзор за 2024 год]] (RU), "
        "18 oktober 2024; Human Rights Observer, Deserters and Their Families: Pressure Beyond the Front Line, 2 december 2024, pp. 4–9; "
        "Deutsche Stiftung für Osteuropastudien, Fahnenflucht und unerlaubte Abwesenheit von der Truppe in Fiktiland, 9. Dezember 2024. "
        "De organisaties baseren zich op gepubliceerde vonnissen van militaire rechtbanken en op interviews met advocaten en familieleden. "
        "Omdat rechtbanken sinds het voorjaar van 2023 een groot deel van hun uitspraken niet meer openbaar maken, gaat het om minimumaantallen. "
        "Volgens een vertrouwelijke bron is het werkelijke aantal zaken wegens het zonder toestemming verlaten van een eenheid minstens twee keer zo hoog. "
        "Zie voor een overzicht van de strafbepalingen ook Juridisch Centrum Noordstad, Ответственность военнослужащих за самовольное оставление части (RU), "
        "1 november 2024, [[u:https://jcn.fictiland.example/analitika/2024/otvetstvennost-voennosluzhashchikh]]; vertrouwelijke bron d.d. 4 december 2024."
    ),
    "gevangenen": "Human Rights Observer, Deserters and Their Families: Pressure Beyond the Front Line, 2 december 2024, p. 11.",
    "agenten": (
        "Wet nr. 255-FZ over de controle op activiteiten van personen onder buitenlandse invloed, gewijzigd op 5 december "
        "2023; Fictiland Monitor, Реестр иностранных агентов (RU), bijgewerkt op 17 januari 2025; Deutsche Stiftung für "
        "Osteuropastudien, Das Gesetz über ‚ausländische Agenten‘ in Fiktiland: Entwicklung und Anwendung, 2. Februar 2024. "
        "Het register telde in januari 2025 ruim 800 personen en organisaties, onder wie journalisten, juristen, "
        "kunstenaars en wetenschappers. Wie in het register staat, moet elk half jaar een financieel verslag indienen en "
        "wordt bij herhaalde overtreding van de regels strafrechtelijk vervolgd. Volgens de Venetië-commissie is de "
        "omschrijving van ‘buitenlandse invloed’ zo ruim dat vrijwel iedere critische burger eronder kan vallen. Zie "
        "European Commission for Democracy through Law, Opinion on the Law on Foreign Influence of Fictiland, 18 maart 2024."
    ),
    "nepnieuws": "Art. 207.3 WvS; Amnesty International, [[a:https://www.amnesty.org/en/documents/eur99/0001/2024/en/|Silencing Dissent: Fictiland’s Crackdown on Critics]], 7 maart 2024.",
    "aantal": "OVD-Fictiland, Преследования за антивоенную позицию: данные на январь 2025 года (RU), 10 januari 2025, [[u:https://ovd-fictiland.example/data/2025-01]].",
    "telegram": (
        "Noordstad Nieuws, [[a:https://noordstadnieuws.example/2024/08/22/blogger-veroordeeld|Blogger veroordeeld om Telegram-bericht]], 22 augustus 2024; "
        "Reporters ohne Grenzen, Länderbericht Fiktiland: Lage der Pressefreiheit, 3. Mai 2024; "
        "OVD-Fictiland, Дело блогера из Нордштадта: хроника преследования (RU), 30 augustus 2024. "
        "De rechtbank baseerde de veroordeling op een verklaring van een deskundige van het ministerie van Justitie, "
        "die het bericht als ‘onjuiste informatie over het leger’ aanmerkte. De verdediging mocht geen eigen deskundige "
        "laten horen. In hoger beroep werd de straf in november 2024 bevestigd. Vergelijkbare zaken deden zich in dezelfde "
        "periode voor in Oostmark en in de grensregio's, waar twee docenten werden veroordeeld wegens berichten in een "
        "besloten chatgroep van ouders. Zie ook Human Rights Observer, Online Speech on Trial: Prosecutions for Social "
        "Media Posts in Fictiland, 12 december 2024, [[u:https://hro.example.org/reports/2024/online-speech-on-trial]]."
    ),
    "familie": "Vertrouwelijke bron d.d. 5 december 2024.",
    "familie2": "Human Rights Observer, World Report 2025: Fictiland, 16 januari 2025; Gesprek met een mensenrechtenorganisatie, november 2024.",
    "terugkeer": (
        "Vertrouwelijke bron d.d. 12 november 2024; Institute for Eastern Security, Digital Summons and the Closing of "
        "Exit Routes, 20 november 2024; Fictiland Monitor, [[a:https://fictimonitor.org/ru/2024/12/granitsa|Что ждёт "
        "вернувшихся: проверки на границе]] (RU), 9 december 2024. Volgens deze bronnen beschikt de grenspolitie sinds "
        "november 2024 over een directe koppeling met het elektronische oproepregister. Mannen tegen wie een oproep "
        "openstaat, krijgen bij de grens een kopie van de oproep uitgereikt en moeten zich binnen enkele dagen melden. "
        "Over de behandeling van teruggekeerde critici zijn weinig gegevens beschikbaar; de bekende gevallen betreffen "
        "vooral personen die al vóór hun vertrek als verdachte stonden geregistreerd. Zie ook Kriegsdienstverweigerer-"
        "Netzwerk, Rückkehr nach Fiktiland: Risiken für Verweigerer und Deserteure, 20. Januar 2025."
    ),
}

FILLER = [
    "Een deel van de zaken werd behandeld door militaire rechtbanken in de garnizoenssteden.",
    "De advocaten van de verdachten kregen vaak pas kort voor de zitting inzage in het dossier.",
    "Volgens waarnemers liep de gemiddelde duur van de voorlopige hechtenis in deze zaken op.",
    "In een aantal gevallen werden verdachten na hun veroordeling teruggestuurd naar het front.",
    "Familieleden gaven aan dat zij over de verblijfplaats van de verdachten slecht werden geïnformeerd.",
    "De militaire aanklager maakte slechts een klein deel van de tenlasteleggingen openbaar.",
    "Ook in de grensregio's werden dergelijke zaken gemeld.",
    "Rechtshulporganisaties meldden dat het aantal hulpvragen in dezelfde periode sterk toenam.",
    "Het ministerie van Defensie gaf geen cijfers over het aantal militairen dat zonder toestemming afwezig was.",
    "Wel bevestigde een woordvoerder dat er meer zaken waren dan in de jaren voor de oorlog.",
    "Onder de verdachten waren zowel dienstplichtigen als contractmilitairen en gemobiliseerde reservisten.",
    "De meeste zaken werden binnen enkele weken na de aanhouding afgehandeld.",
    "Vrijspraken kwamen volgens de beschikbare vonnissen vrijwel niet voor.",
    "Een klein aantal verdachten wist het land te verlaten voordat de zaak voor de rechter kwam.",
]


# Notes long enough that LibreOffice may have to continue them on the next page.
# Writer moves the anchoring line to the next page rather than split a note, unless
# the anchor sits low on a page; the script shifts the text with FILLER sentences
# until one of these notes is split.
LONG_NOTES = ("desertie_lang", "agenten", "telegram", "terugkeer")



BODY: list = [
    Heading(1, "Militaire dienst"),
    Para("Dit hoofdstuk beschrijft de militaire dienstplicht in Fictiland, de werving van contractmilitairen "
         "en de positie van dienstweigeraars. Het is een actualisering van het algemeen ambtsbericht Fictiland "
         "van maart 2023[[n:amb2023]] en beslaat de periode van april 2023 tot en met januari 2025. De autoriteiten "
         "maakten in deze periode weinig officiële cijfers openbaar; waar aantallen onzeker zijn of een minimum "
         "betreffen, staat dat in de tekst vermeld.[[n:stat]]"),
    Heading(2, "Dienstplicht"),
    Para("Alle mannen met de Fictilandse nationaliteit tussen 18 en 30 jaar oud zijn dienstplichtig. De dienstplicht "
         "duurt twaalf maanden. Volgens het ministerie van Defensie werden in het najaar van 2024 in totaal 2.022 personen "
         "uit de hoofdstad Noordstad opgeroepen, minder dan in het voorjaar.[[n:mod2024]] Dienstplichtigen kunnen tijdens "
         "hun diensttijd een contract tekenen en zo overstappen naar de beroepsstrijdkrachten.[[n:contract]] Het aandeel "
         "van de defensie-uitgaven in het bruto binnenlands product steeg volgens de begroting tot 6,3[[n:begroting]] "
         "procent, het hoogste percentage sinds de onafhankelijkheid van het land."),
    Heading(3, "Oproepprocedure"),
    Para("Sinds 1 november 2024 verstuurt de overheid oproepen ook elektronisch via het "
         "[[a:https://gosuslugi.fictiland.example/povestki|centrale oproepregister]]. Een oproep geldt als ontvangen "
         "zodra deze in het persoonlijke account van de dienstplichtige is geplaatst, ongeacht of hij het bericht "
         "heeft geopend. Wie geen account heeft, wordt zeven dagen na plaatsing in het register geacht de oproep te "
         "hebben ontvangen.[[n:register]] Voor wie een oproep niet opvolgt, gelden sinds die datum automatisch de "
         "volgende beperkingen:"),
    Bullets([
        "een verbod om het land te verlaten;[[n:reisverbod]]",
        "een verbod om zich als zelfstandige te laten inschrijven of een lening af te sluiten;",
        "de opschorting van het rijbewijs en een verbod om onroerend goed te verkopen.",
    ]),
    Para("Het niet-opvolgen van een oproep is op zichzelf een bestuurlijke overtreding waarop een boete van ten "
         "hoogste 30.000 roebel staat. Pas bij herhaald of opzettelijk ontduiken volgt strafrechtelijke vervolging "
         "op grond van art. 280.3 WvS, waarop een gevangenisstraf van maximaal twee jaar staat.[[n:wvs]] Advocaten "
         "meldden dat rechtbanken deze bepaling in 2024 vaker toepasten dan in eerdere jaren, vooral in de regio's "
         "Noord-Fictiland en Oostmark.[[n:advocaten]] Zij wezen erop dat de oproepen in veel gevallen niet "
         "persoonlijk werden uitgereikt, maar bij familieleden, op het werk, per sms-bericht of via de "
         "[[a:https://gosuslugi.fictiland.example/|overheidsportal]] werden bezorgd."),
    Heading(3, "Uitstel en vrijstelling"),
    Para("Uitstel is mogelijk voor studenten, voor mannen die de enige verzorger zijn van een gezinslid en voor "
         "bepaalde beroepsgroepen in de IT-sector. Wie om gewetensredenen geen wapens wil dragen, kan een "
         "vervangende burgerdienst aanvragen; de voorwaarden daarvoor zijn dezelfde als beschreven in paragraaf "
         "1.2.1[[n:par121]] voor contractmilitairen die hun contract willen beëindigen. In de praktijk wezen de "
         "dienstplichtcommissies een groot deel van de aanvragen af, vaak omdat de aanvrager zijn overtuiging "
         "volgens de commissie onvoldoende had onderbouwd.[[n:burgerdienst]]"),
    Heading(2, "Contractmilitairen"),
    Heading(3, "Werving"),
    Para("Het leger wierf in de verslagperiode op grote schaal contractmilitairen, onder wie veel oud-militairen "
         "en ex-gedetineerden. Wervingscampagnes liepen via "
         "reclameborden, sociale media en een eigen youtube-kanaal van het ministerie van Defensie.[[n:youtube]] "
         "Wie een contract tekende, ontving in de meeste regio's een eenmalige premie van ten minste 400.000 "
         "roebel.[[n:premie1]] [[n:premie2]] Daarnaast kregen contractmilitairen een maandsalaris dat ruim boven "
         "het landelijke gemiddelde lag."),
    Heading(4, "Regionale premies", numbered=False),
    Para("Regio's vulden de federale premie aan met eigen bedragen. In Oostmark bedroeg de regionale aanvulling "
         "eind 2024 bijvoorbeeld 1,2 miljoen roebel, in de meeste andere regio's lag deze tussen de 100[[n:regio]] "
         "en 300 duizend roebel. Het aantal vervolgingen wegens dienstweigering nam in dezelfde periode toe, zoals "
         "figuur 1 laat zien.[[n:figuur]]"),
    Figure(),
    Para("Figuur 1. Vervolgingen wegens dienstweigering en desertie, 2021–2024", kind="caption"),
    Para("Bron: Justitieel Informatiecentrum Fictiland, bewerking Fictiland Monitor, oktober 2024.", kind="caption"),
    Heading(3, "Dienstweigering en desertie"),
    Para("Militairen die hun eenheid zonder toestemming verlaten of weigeren deel te nemen aan gevechtshandelingen, "
         "riskeren sinds de wetswijziging van september 2022 een gevangenisstraf van vijf tot tien jaar. "
         "Mensenrechtenorganisaties telden in 2024 ten minste 5.700 veroordelingen wegens het zonder toestemming "
         "verlaten van een eenheid, tegenover ongeveer 3.900 in 2023.[[n:desertie_lang]] Veroordeelde militairen "
         "kregen regelmatig een voorwaardelijke straf, waarna zij opnieuw naar het front werden gestuurd.",
         padded=True),
    Para("Over de behandeling van gedetineerde dienstweigeraars is weinig bekend. Volgens familieleden werden "
         "sommigen van hen in afwachting van hun proces vastgehouden in kelders of in provisorische detentieruimten "
         "op militaire terreinen, zonder contact met een advocaat. In andere gevallen werden zij onder druk gezet om "
         "alsnog een contract te tekenen.[[n:gevangenen]] Het ministerie van Defensie ontkende het bestaan van "
         "zulke ruimten en verklaarde dat alle verdachten volgens de wet werden behandeld. Onafhankelijke "
         "waarnemers kregen geen toegang tot de terreinen waar de detentieruimten zich volgens de getuigen "
         "bevonden, zodat deze verklaringen niet konden worden nagegaan."),
    Heading(1, "Critici en opposanten"),
    Heading(2, "Wettelijk kader"),
    Para("De wet op personen onder buitenlandse invloed werd in december 2023 opnieuw aangescherpt. Sindsdien kan "
         "iedereen die volgens het ministerie van Justitie ‘onder buitenlandse invloed’ staat, in het register van "
         "buitenlandse agenten worden opgenomen, ook zonder buitenlandse financiering.[[n:agenten]] Opgenomen "
         "personen moeten al hun publicaties van een vermelding voorzien en mogen niet lesgeven of aan verkiezingen "
         "deelnemen. Het verspreiden van ‘onjuiste informatie’ over het leger is strafbaar op grond van "
         "art. 207.3 WvS.[[n:nepnieuws]]"),
    Heading(2, "Behandeling van critici"),
    Para("Volgens een onafhankelijke mensenrechtenorganisatie werden sinds het begin van de oorlog meer dan "
         "20.000 mensen aangehouden wegens anti-oorlogsuitingen, van wie ruim 1.100 strafrechtelijk werden "
         "vervolgd.[[n:aantal]] Het ging onder meer om deelnemers aan demonstraties, journalisten, kunstenaars en "
         "leraren die zich in de klas kritisch over de oorlog hadden uitgelaten. Ook wie zich in een e-mail of "
         "sms-bericht aan collega's negatief over de mobilisatie uitliet, liep het risico op vervolging."),
    Heading(3, "Online uitingen"),
    Para("Een groot deel van de vervolgingen betrof berichten op sociale media. Een blogger uit Noordstad werd in "
         "augustus 2024 tot vijf jaar cel veroordeeld wegens een bericht op zijn Telegram-kanaal waarin hij de "
         "beschieting van een woonwijk aan het leger van Fictiland toeschreef.[[n:telegram]] Volgens het "
         "[[a:https://ovd-fictiland.example/reports/online-2024|jaaroverzicht van OVD-Fictiland]] waren "
         "likes en reposts in ten minste twintig zaken voldoende voor een veroordeling."),
    Heading(3, "Familieleden"),
    Para("Familieleden van critici die het land hebben verlaten, werden volgens een vertrouwelijke bron in "
         "enkele gevallen door de politie ondervraagd over de verblijfplaats van hun verwanten.[[n:familie]] "
         "Er zijn geen aanwijzingen dat familieleden systematisch werden vervolgd.[[n:familie2]]"),
    Heading(2, "Terugkeer"),
    Para("Critici die na een verblijf in het buitenland terugkeren, lopen het risico bij aankomst op de "
         "luchthaven te worden verhoord. Van mannen in de dienstplichtige leeftijd wordt bij de grens nagegaan "
         "of er een oproep op hun naam staat.[[n:terugkeer]] Vrouwen en oudere mannen worden bij terugkeer "
         "volgens de beschikbare informatie in de regel niet apart gecontroleerd."),
    Para("Over de periode na januari 2025 bevat dit ambtsbericht geen informatie. Ontwikkelingen die zich na de "
         "afsluiting van de verslagperiode hebben voorgedaan, komen in een volgende actualisering aan de orde."),
]


# ---------------------------------------------------------------------------
# The second report (documents, minorities and internal displacement in the
# northern regions of Fictiland), written for layouts the extractor was not
# tuned on. Extra inline mark: [[d:KEY]] is a note only in lo-dense-notes
# (dropped in the other layout); KEY "*" stands for the next generated source
# citation.
# ---------------------------------------------------------------------------

H_TITLE = "Ambtsbericht noordelijke regio's Fictiland"
H_SUBTITLE = "Documenten, minderheden en binnenlandse ontheemding"
H_DATE = "februari 2025"
H_COVER = [H_TITLE, H_SUBTITLE, "Ministerie van Buitenlandse Zaken", "Den Haag, " + H_DATE]
H_DENSE_HEADER = f"{H_TITLE} | {H_DATE}"

H_NOTES: dict[str, str] = {
    "kader": "Ministerie van Buitenlandse Zaken, [[a:https://www.rijksoverheid.nl/documenten/ambtsberichten/2024/06/10/algemeen-ambtsbericht-fictiland-juni-2024|Algemeen ambtsbericht Fictiland]], juni 2024, p. 8.",
    "twee": ("Statistisch Bureau van Fictiland, Численность населения по регионам на 1 января 2024 года (RU), "
             "maart 2024, tabel 2.\n\nDe cijfers voor het noorden zijn volgens demografen te hoog, omdat veel "
             "inwoners die naar de hoofdstad of het buitenland zijn vertrokken, nog op hun oude adres staan ingeschreven."),
    "paspoort": "Wet nr. 88-FZ over identiteitsdocumenten van 3 mei 2022, artikelen 5 tot en met 9; zie ook [[u:https://pravo.fictiland.example/doc/88-fz]].",
    "snils": "Pensioenfonds van Fictiland, Что такое СНИЛС и зачем он нужен (RU), geraadpleegd op 12 januari 2025.",
    "inn": "Belastingdienst van Fictiland, ИНН физического лица: порядок получения (RU), geraadpleegd op 12 januari 2025.",
    "citaat": "Vertrouwelijke bron d.d. 18 november 2024.",
    "url1": "[[u:https://fictimonitor.org/ru/2024/10/15/propiska-v-severnykh-regionakh-kak-vlasti-otkazyvayut-v-registratsii-pereselentsam]]",
    "url2": "[[u:https://hro.example.org/reports/2024/12/fictiland-north-internally-displaced-persons-registration-and-access-to-services-full-report.pdf]]",
    "url3": "[[U:https://statistika.fictiland.example/publikatsii/2024/naselenie/vnutrennyaya-migratsiya-severnye-regiony-tablitsy-1-14.xlsx]]",
    "omgeving": "Human Rights Observer, [[a:https://hro.example.org/reports/2024/fictiland-north|Displaced at Home: Registration Barriers in Northern Fictiland]], 3 december 2024, pp. 14–17.",
    "taal": "Deutsche Stiftung für Osteuropastudien, Sprachpolitik im Norden Fiktilands: Schulen, Medien und Verwaltung, 21. Oktober 2024, S. 5.",
    "school": "Noordstad Nieuws, [[a:https://noordstadnieuws.example/2024/09/02/lessen-in-moedertaal-geschrapt|Lessen in de moedertaal geschrapt]], 2 september 2024.",
    "lang_kerk": (
        "Forum 18 Fictiland, Религиозные общины на севере: обыски и штрафы в 2024 году (RU), 14 november 2024; "
        "Human Rights Observer, Faith under Watch: Religious Minorities in Northern Fictiland, 28 november 2024, pp. 3–11; "
        "Deutsche Stiftung für Osteuropastudien, Religionsfreiheit und Extremismusgesetzgebung in Fiktiland, 2. Dezember 2024. "
        "De organisaties baseren zich op rechterlijke uitspraken, berichten van gemeenteleden en eigen veldonderzoek. "
        "Omdat veel gemeenschappen uit angst voor represailles geen aangifte doen van invallen of intimidatie, "
        "is het werkelijke aantal incidenten volgens de onderzoekers hoger. Een vertrouwelijke bron bevestigde dat "
        "lokale autoriteiten in ten minste drie districten lijsten bijhouden van leden van niet-geregistreerde gemeenschappen. "
        "Zie ook Juridisch Centrum Noordstad, Экстремизм как основание для запрета религиозных организаций (RU), "
        "5 november 2024, [[u:https://jcn.fictiland.example/analitika/2024/ekstremizm-i-religioznye-organizatsii]]."
    ),
    "lang_ontheemd": (
        "Institute for Eastern Security, Frozen Villages: Displacement after the Northern Floods, 9 januari 2025; "
        "Fictiland Monitor, [[a:https://fictimonitor.org/ru/2024/12/pereselentsy|Переселенцы без жилья: год спустя]] (RU), "
        "20 december 2024; Rode Kruis Fictiland, Jaarverslag noodhulp 2024, januari 2025. Volgens deze bronnen "
        "verbleven eind 2024 nog ongeveer 14.000 mensen in tijdelijke opvang, onder wie veel ouderen en gezinnen met "
        "jonge kinderen. De regionale overheid beloofde in het voorjaar van 2024 nieuwe woningen, maar de bouw "
        "daarvan was aan het einde van de verslagperiode nog niet begonnen. Hulporganisaties meldden dat bewoners "
        "van de opvang die kritiek uitten op de autoriteiten, werden gewaarschuwd dat zij hun plaats in de opvang "
        "konden verliezen. Zie ook Human Rights Observer, Displaced at Home, 3 december 2024, p. 22."
    ),
    "lang_terug": (
        "Vertrouwelijke bron d.d. 20 januari 2025; Grenswacht van Fictiland, Отчёт о пограничном контроле за 2024 год (RU), "
        "15 januari 2025. Het rapport vermeldt het aantal personen dat bij de grens werd overgedragen aan de politie, "
        "maar niet de redenen daarvoor. Volgens de vertrouwelijke bron gaat het vooral om personen die op een "
        "opsporingslijst stonden wegens een niet-opgevolgde oproep of een openstaande boete. Over de verdere afhandeling "
        "van deze zaken zijn geen gegevens openbaar; advocaten meldden dat de betrokkenen meestal na enkele uren weer "
        "werden vrijgelaten, maar dat hun paspoort in een aantal gevallen werd ingenomen."
    ),
    "haakje": "Regeringsbesluit nr. 512 van 30 april 2024; Fictiland Monitor, Новые правила регистрации (RU), 6 mei 2024.",
    "propiska": "Wet nr. 3107-2 over vrij verkeer en de keuze van verblijfplaats van 25 juni 1993, artikel 6 (gewijzigd op 30 april 2024).",
    "quote2": "Gesprek met een advocaat in Oostmark, november 2024.",
}

# Generated source citations for [[n:*]] and [[d:*]]: a realistic mix of
# publishers, languages and dates, the same for every run.
CITE_PUBLISHERS = [
    "Fictiland Monitor", "Human Rights Observer", "Noordstad Nieuws", "Juridisch Centrum Noordstad",
    "Deutsche Stiftung für Osteuropastudien", "Oostmark Vandaag", "Institute for Eastern Security",
    "OVD-Fictiland", "Rode Kruis Fictiland", "Statistisch Bureau van Fictiland",
]
CITE_TITLES = [
    "Регистрация по месту жительства на севере (RU)", "Northern Fictiland: Access to Documents",
    "Nieuwe regels voor inschrijving in Noordstad", "Отказы в выдаче паспортов: практика судов (RU)",
    "Minderheiten im Norden Fiktilands: Lagebericht", "Opvang na de overstromingen loopt vast",
    "Internal Displacement in Fictiland: Annual Review", "Задержания на границе в 2024 году (RU)",
    "Noodhulp in de noordelijke regio's", "Миграция населения северных регионов (RU)",
    "Language Rights in Northern Schools", "Controles op woonadressen verscherpt",
]
MONTHS_NL = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december"]


def cited_source(i: int) -> str:
    publisher = CITE_PUBLISHERS[i % len(CITE_PUBLISHERS)]
    title = CITE_TITLES[(i * 5 + 3) % len(CITE_TITLES)]
    date = f"{1 + (i * 7) % 27} {MONTHS_NL[(i * 5 + 2) % 12]} 2024"
    page = f", p. {3 + (i * 3) % 20}" if i % 3 == 0 else ""
    return f"{publisher}, {title}, {date}{page}."


H_FILLER = [
    "Ook lokale journalisten berichtten hierover.",
    "Officiële cijfers hierover zijn niet gepubliceerd.",
    "De regionale overheid reageerde niet op vragen over deze praktijk.",
    "Volgens hulporganisaties verschilt de praktijk sterk per district.",
    "In de grotere steden verloopt de procedure doorgaans sneller dan op het platteland.",
    "Een vertrouwelijke bron bevestigde dit beeld.",
    "Advocaten wezen erop dat de regels in de verslagperiode meermaals zijn gewijzigd.",
    "Het is niet bekend hoeveel aanvragen in totaal werden afgewezen.",
    "Klachten bij de ombudsman over deze kwestie leidden zelden tot een ander besluit.",
    "Wie bezwaar maakt, moet daarvoor opnieuw naar het districtskantoor reizen.",
]



H_BODY: list = [
    Heading(1, "Inleiding"),
    Para("Dit ambtsbericht beschrijft de situatie in de noordelijke regio's van Fictiland voor zover die van belang is "
         "voor de beoordeling van asielaanvragen. Het behandelt de afgifte van identiteitsdocumenten, de inschrijving "
         "op een woonadres, de positie van taal- en religieuze minderheden en de situatie van mensen die na de "
         "overstromingen van 2023 binnen het land ontheemd raakten. Het bericht sluit aan op het algemeen "
         "ambtsbericht van juni 2024[[n:kader]] en beslaat de periode van juli 2024 tot en met januari 2025."),
    Heading(2, "Bronnen en werkwijze"),
    Para("Voor dit ambtsbericht is gebruikgemaakt van openbare bronnen, waaronder rapporten van "
         "mensenrechtenorganisaties, wetteksten, persberichten en berichten in regionale media[[d:*]]. Daarnaast zijn "
         "vertrouwelijke bronnen geraadpleegd, onder wie advocaten, medewerkers van hulporganisaties en journalisten "
         "in de regio[[d:*]]. Waar bronnen elkaar tegenspreken, is dat in de tekst aangegeven. De noordelijke regio's "
         "telden begin 2024 volgens de officiële statistiek ruim 1,8 miljoen inwoners.[[n:twee]] Onafhankelijke "
         "waarnemers hebben slechts beperkt toegang tot het gebied; sinds het voorjaar van 2024 geldt voor "
         "buitenlandse journalisten een vergunningplicht voor reizen ten noorden van de rivier de Kalva.[[n:*]]"),
    Para("De autoriteiten publiceerden in de verslagperiode minder gegevens dan in eerdere jaren[[d:*]]. Regionale "
         "statistieken over migratie en inschrijving verschijnen alleen nog als tabellen zonder toelichting,[[d:url3]] "
         "en sommige reeksen zijn helemaal stopgezet.[[d:*]] Waar in dit bericht aantallen worden genoemd, gaat het "
         "daarom vaak om schattingen van hulporganisaties of om minimumaantallen.",
         padded=True),
    Heading(1, "Documenten"),
    Heading(2, "Identiteitsdocumenten"),
    Para("Iedere burger van Fictiland ontvangt vanaf veertien jaar een binnenlands paspoort, dat op twintig- en "
         "vijfenveertigjarige leeftijd moet worden vervangen.[[n:paspoort]] Naast het paspoort spelen in het dagelijks "
         "leven twee registratienummers een rol: het persoonlijke nummer bij het pensioenfonds en het "
         "belastingnummer, in de volksmond SNILS[[n:snils]], INN[[n:inn]] genoemd. Zonder deze nummers is het "
         "vrijwel onmogelijk werk te vinden, een bankrekening te openen of medische zorg te krijgen. "
         "De volgende tabel geeft een overzicht van de belangrijkste documenten."),
    Table([
        ("Document", "Afgifte en geldigheid"),
        ("Binnenlands paspoort", "Districtskantoor van het ministerie van Binnenlandse Zaken; geldig tot 20 of 45 jaar."),
        ("Buitenlands paspoort", "Na controle door de veiligheidsdienst; geldig vijf of tien jaar."),
        ("Geboorteakte", "Burgerlijke stand van de geboorteplaats; onbeperkt geldig."),
        ("Militair boekje", "Militair commissariaat; verplicht voor mannen van 18 tot 30 jaar."),
        ("Registratiebewijs", "Districtskantoor; geldig zolang de inschrijving op het adres bestaat."),
    ]),
    Heading(3, "Binnenlands paspoort"),
    Para("De aanvraag van een binnenlands paspoort verloopt in de praktijk in de volgende stappen:[[d:*]]"),
    Numbered([
        "de aanvrager dient bij het districtskantoor een formulier in met twee pasfoto's en de geboorteakte;",
        "het kantoor controleert de inschrijving op het woonadres en, bij mannen, de militaire registratie;[[d:*]]",
        "binnen tien werkdagen wordt het paspoort persoonlijk uitgereikt.",
    ]),
    Para("Wie niet op een adres staat ingeschreven, kan volgens de wet een paspoort aanvragen op het adres van het "
         "districtskantoor zelf. Advocaten meldden echter dat ambtenaren zulke aanvragen in de noordelijke regio's "
         "regelmatig weigerden of eindeloos uitstelden[[d:*]]. Een vertrouwelijke bron sprak van ‘een papieren "
         "recht dat niemand kan gebruiken’[[n:citaat]] en noemde voorbeelden van ontheemden die maandenlang zonder "
         "geldig paspoort leefden.[[d:*]] Bij verlies van een paspoort moet de aanvrager een boete betalen van "
         "1.500 roebel en een verklaring van de politie overleggen.[[d:*]]"),
    Heading(3, "Buitenlands paspoort"),
    Para("Voor een paspoort voor reizen naar het buitenland geldt een aparte procedure. De aanvraag wordt "
         "voorgelegd aan de veiligheidsdienst, die kan besluiten dat de aanvrager ‘vanwege kennis van "
         "staatsgeheimen’[[d:quote2]] tijdelijk geen paspoort krijgt. Sinds het voorjaar van 2024 moeten ook "
         "mannen die dienstplichtig zijn en een oproep hebben ontvangen hun buitenlands paspoort binnen vijf "
         "dagen inleveren.[[n:*]] Volgens advocaten werd deze regel in de noordelijke regio's strenger toegepast "
         "dan elders[[d:*]]; in enkele gevallen werden paspoorten ingenomen van mannen die al ouder waren dan de "
         "dienstplichtige leeftijd.[[d:*]]"),
    Heading(2, "Inschrijving op een woonadres"),
    Para("Iedere inwoner moet binnen negentig dagen na een verhuizing worden ingeschreven op zijn nieuwe "
         "woonadres (de zogenoemde propiska)[[d:propiska]]. De inschrijving is nodig voor toegang tot scholen, "
         "gezondheidszorg en sociale uitkeringen[[d:*]]. Sinds mei 2024 moet de eigenaar van de woning persoonlijk "
         "toestemming geven; een huurcontract is niet meer voldoende.[[n:haakje]] Voor ontheemden die bij familie "
         "of in tijdelijke opvang wonen, is die toestemming vaak niet te krijgen.[[d:url1]] Volgens een "
         "hulporganisatie stonden eind 2024 duizenden ontheemden nog ingeschreven op adressen in dorpen die na de "
         "overstromingen waren ontruimd.[[n:omgeving]] Zij kunnen daardoor geen nieuwe documenten aanvragen en "
         "hebben geen recht op een uitkering in hun nieuwe woonplaats.[[d:*]]"),
    Para("Controles op de naleving van de inschrijvingsplicht namen in de verslagperiode toe[[d:*]]. De politie "
         "voerde in Noordstad en in de havenstad Kalvamond regelmatig controles uit in woonblokken en "
         "studentenhuizen[[d:*]], waarbij bewoners zonder inschrijving een boete kregen van 2.000 tot 5.000 "
         "roebel.[[d:*]] Bij herhaling kan een buitenlander het land worden uitgezet; voor burgers van Fictiland "
         "blijft het bij een boete.[[n:*]]",
         padded=True),
    Heading(1, "Minderheden"),
    Heading(2, "Taalminderheden"),
    Para("In de noordelijke regio's wonen verschillende taalminderheden, van wie de Kalvische gemeenschap met "
         "naar schatting 120.000 leden de grootste is[[d:*]]. Tot 2022 kregen kinderen in de dorpen langs de Kalva "
         "een deel van hun lessen in hun moedertaal.[[n:taal]] Sinds september 2024 is het onderwijs in de "
         "moedertaal teruggebracht tot één uur per week, als keuzevak na schooltijd.[[n:school]] Ouders die "
         "daartegen protesteerden, werden volgens lokale media door de schoolleiding gewaarschuwd dat hun "
         "kinderen problemen konden krijgen bij de toelating tot vervolgonderwijs[[d:*]]. De regionale krant "
         "in het Kalvisch verschijnt sinds maart 2024 alleen nog online.[[d:*]]"),
    Para("Bij de overheid is het gebruik van minderheidstalen in de praktijk beperkt tot mondelinge contacten. "
         "Formulieren, besluiten en rechterlijke uitspraken zijn uitsluitend in het Fictilands opgesteld[[d:*]]. "
         "Oudere inwoners van afgelegen dorpen spreken die taal soms slecht, zodat zij voor het aanvragen van "
         "documenten afhankelijk zijn van familieleden of tolken.[[n:*]] Er zijn geen aanwijzingen dat leden van "
         "taalminderheden alleen vanwege hun afkomst door de autoriteiten worden vervolgd.[[d:*]]"),
    Heading(2, "Religieuze minderheden"),
    Para("Religieuze gemeenschappen moeten zich laten registreren bij het ministerie van Justitie. Gemeenschappen "
         "die geen registratie krijgen, mogen geen gebouwen huren of bezitten en geen bijeenkomsten in het "
         "openbaar houden[[d:*]]. In de verslagperiode vielen de autoriteiten in de noordelijke regio's ten minste "
         "veertig keer binnen bij bijeenkomsten van niet-geregistreerde gemeenschappen, vooral van protestantse "
         "kerken en van de Jehova's getuigen.[[n:lang_kerk]] Daarbij werden religieuze boeken in beslag genomen en "
         "kregen aanwezigen boetes wegens ‘illegale zendingsactiviteiten’[[d:*]]. Tegen ten minste zes gelovigen "
         "liep eind 2024 een strafzaak wegens deelname aan een als extremistisch verboden organisatie (art. 282.2 "
         "WvS)[[d:*]]."),
    Para("Leden van de traditionele Kalvische natuurgodsdienst ondervinden volgens de beschikbare bronnen minder "
         "problemen, omdat hun bijeenkomsten als culturele activiteit worden beschouwd[[d:*]]. Wel meldden zij dat "
         "een heilige plaats aan de oever van de Kalva in 2024 werd vrijgegeven voor mijnbouw, zonder dat de "
         "gemeenschap daarover was geraadpleegd.[[n:*]]",
         padded=True),
    Heading(2, "Activisten uit minderheidsgroepen"),
    Para("Activisten die opkomen voor de rechten van de Kalvische gemeenschap, worden sinds 2023 vaker vervolgd[[d:*]]. "
         "In juni 2024 werd de voorzitter van een culturele vereniging in Kalvamond veroordeeld tot drie jaar "
         "voorwaardelijk wegens ‘het aanzetten tot separatisme’ (art. 280.1 WvS)[[d:*]], nadat hij op een "
         "bijeenkomst had gepleit voor tweetalige straatnaamborden.[[n:*]] De vereniging zelf werd in september "
         "2024 door de rechtbank ontbonden[[d:*]]. Twee andere bestuursleden verlieten daarna het land; tegen een "
         "van hen is een opsporingsbevel uitgevaardigd.[[d:*]]"),
    Para("Volgens een vertrouwelijke bron houden de veiligheidsdiensten de sociale media van bekende "
         "activisten nauwlettend in de gaten[[d:*]]. Activisten meldden dat zij na het plaatsen van berichten in "
         "het Kalvisch werden opgeroepen voor een ‘preventief gesprek’ bij de politie, waarin hun werd gevraagd "
         "de namen van andere leden van de vereniging te noemen.[[n:*]] Wie weigerde mee te werken, kreeg in "
         "enkele gevallen een boete wegens een overtreding van de verkeersregels die volgens de betrokkenen nooit "
         "had plaatsgevonden[[d:*]]. Ook werden familieleden van activisten door hun werkgevers onder druk gezet "
         "om afstand te nemen van hun verwanten.[[d:*]] Er zijn geen aanwijzingen dat gewone leden van de "
         "gemeenschap die zich niet publiekelijk uiten, om die reden problemen ondervinden.[[d:*]]"),
    Heading(1, "Binnenlandse ontheemding"),
    Heading(2, "Opvang na de overstromingen"),
    Para("Bij de overstromingen van mei 2023 raakten in de noordelijke regio's ruim 30.000 mensen hun woning "
         "kwijt[[d:*]]. Het merendeel vond onderdak bij familie; de overigen werden opgevangen in "
         "sporthallen, scholen en voormalige militaire kazernes[[d:*]]. Eind 2024 woonden nog ongeveer 14.000 "
         "mensen in tijdelijke opvang.[[n:lang_ontheemd]] De omstandigheden daar zijn volgens hulporganisaties "
         "slecht: er is te weinig verwarming, gezinnen delen een ruimte met andere gezinnen en de medische zorg "
         "is beperkt tot een wekelijks spreekuur[[d:*]]. Bewoners die zich over de omstandigheden beklaagden bij "
         "regionale media, kregen bezoek van de politie.[[d:url2]]"),
    Heading(3, "Schadevergoeding"),
    Para("De regionale overheid kende getroffen huishoudens een eenmalige vergoeding toe van 100.000 roebel per "
         "persoon[[d:*]]. Voor wie zijn woning volledig verloor, gold daarnaast een recht op een vervangende "
         "woning of een bedrag van ten hoogste 1,5 miljoen roebel[[d:*]]. Volgens ontheemden en hun advocaten "
         "werden aanvragen vaak afgewezen omdat de aanvrager niet kon aantonen dat hij op het moment van de "
         "overstroming op het getroffen adres stond ingeschreven.[[n:*]] Rechtbanken stelden de aanvragers in "
         "een minderheid van de zaken in het gelijk.[[d:*]]"),
    Heading(2, "Toegang tot zorg en onderwijs"),
    Para("Ontheemden zonder inschrijving op hun nieuwe woonadres hebben formeel alleen recht op spoedeisende "
         "medische zorg[[d:*]]. Voor andere behandelingen moeten zij terugreizen naar de polikliniek van het "
         "district waar zij nog staan ingeschreven, soms honderden kilometers verderop.[[n:*]] Artsen in "
         "Noordstad meldden dat zij ontheemde patiënten in de praktijk toch behandelden, maar dat de kosten "
         "daarvan niet door het verzekeringsfonds werden vergoed[[d:*]]. Chronisch zieken, onder wie "
         "diabetespatiënten en mensen met een nierziekte, kregen hun medicijnen volgens hulporganisaties "
         "niet altijd op tijd.[[d:*]]"),
    Para("Kinderen van ontheemden kunnen in de regel naar school in hun nieuwe woonplaats, ook zonder "
         "inschrijving van de ouders[[d:*]]. Scholen in Noordstad namen in 2023 en 2024 samen ruim 3.000 "
         "ontheemde leerlingen op, waardoor klassen volgens de onderwijsbond gemiddeld 34 leerlingen telden.[[n:*]] "
         "Voor de toelating tot een universiteit of beroepsopleiding is wel een geldig paspoort met inschrijving "
         "nodig[[d:*]]. Jongeren die na de overstromingen hun documenten kwijtraakten, konden daardoor in enkele "
         "gevallen een studieplaats niet innemen.[[d:*]]"),
    Heading(2, "Terugkeer uit het buitenland"),
    Para("Over de behandeling van inwoners van de noordelijke regio's die na een verblijf in het buitenland "
         "terugkeren, is weinig bekend[[d:*]]. Bij aankomst op de luchthaven van Noordstad of aan de landgrens "
         "controleert de grenswacht of er een oproep, een openstaande boete of een opsporingsverzoek op naam "
         "van de reiziger staat.[[n:lang_terug]] Volgens een vertrouwelijke bron worden terugkeerders die "
         "asiel hebben aangevraagd in het buitenland niet standaard als zodanig herkend, omdat de autoriteiten "
         "daarover in de regel geen informatie ontvangen[[d:*]]. Wie in het buitenland publiekelijk kritiek op "
         "de regering heeft geuit, loopt wel het risico op verhoor.[[n:*]]"),
    Para("Over de periode na januari 2025 bevat dit ambtsbericht geen informatie. Ontwikkelingen na de "
         "afsluiting van de verslagperiode komen in een volgende actualisering aan de orde."),
]




# ---------------------------------------------------------------------------
# Layout variants: everything that differs between the eight PDFs.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One invented report: its text and what its title page and metadata say."""
    title: str
    subject: str
    creator: str | None
    body: list
    notes: dict[str, str]
    filler: list[str]
    long_notes: tuple[str, ...] = ()  # notes the search prefers to see continued on the next page


THEMATIC = Report("Thematisch ambtsbericht Fictiland", "Militaire dienst, critici en opposanten",
                  "Ministerie van Buitenlandse Zaken", BODY, NOTES, FILLER, LONG_NOTES)
NORTH = Report(H_TITLE, H_SUBTITLE, None, H_BODY, H_NOTES, H_FILLER)

# Where LibreOffice breaks pages is only known after converting, so the script
# tries line heights, figure heights and FILLER paddings (in this order) until the
# layout shows what the fixtures need.
ONE_PADDING = tuple((p,) for p in range(len(FILLER) + 1))
THREE_PADDINGS = tuple(product((0, 2, 4, 6, 8, 10), (0, 3, 6, 9), (0, 4, 8)))


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    report: Report
    font: str
    font_generic: str
    body_size: float
    note_size: float
    heading_sizes: tuple[float, float, float]
    note_indent: str  # hanging indent of the note text; "0cm" glues number to text
    paper: str = "A4"
    page_width: str = "21cm"
    page_height: str = "29.7cm"
    margins: tuple[str, str, str, str] = ("1.6cm", "1.8cm", "2.5cm", "2.5cm")  # top, bottom, left, right
    justify: bool = True
    hyphenate: bool = True
    separator_share: str | None = "25%"  # None: no separator line
    mirrored_pages: bool = False
    note_number_super: bool = False
    first_note: int = 1
    para_spacing_cm: float = 0.25
    heading_space_cm: tuple[tuple[float, float, float], float] = ((0.5, 0.35, 0.35), 0.2)  # above, below
    heading_bold: bool = True
    heading_color: str | None = None
    heading_keep: bool = True  # keep-with-next; off lets a heading end a page
    outline_indent: str = "1.4cm"
    link_color: str = "#000080"
    header: tuple[str, str] = (HEADER_TEXT, HEADER_TEXT)  # odd and even pages; "{page}": page number
    header_align: str = "end"
    footer: str | None = FOOTER_PATTERN
    footer_align: str = "center"
    word_style: bool = False  # cover, contents page, heading 1 printed "1.", bordered running header
    dense: bool = False  # [[d:]] notes kept: 8 to 14 notes a page
    # A three-digit note number is wider than the hanging indent; the check then
    # also accepts a number glued to the note text ("100Belastingdienst").
    glued_numbers: bool = False
    # The layout search and what the chosen layout must show (see shows_hard_cases).
    goal: str = "split-note"  # or "wide-markers" (lo-word-style), "dense" (lo-dense-notes), "continued-note"
    page_range: tuple[int, int] = (4, 6)
    line_heights: tuple[int, ...] = (115, 120, 110, 125, 105, 130)
    figure_heights_cm: tuple[float, ...] = (3.5, 4.5)
    paddings: tuple[tuple[int, ...], ...] = ONE_PADDING
    extended_truth: bool = False  # the extra truth keys of the second report
    # Where the note numbering restarts: "document" (never), "chapter" (at every level-1
    # heading) or "page" (Writer's text:start-numbering-at).
    numbering: str = "document"
    header_gap_cm: float = 0.6  # space between the running header and the body
    footer_gap_cm: float = 0.6  # space between the body (with its notes) and the footer
    # Variants written into layouts/ with the per-note truth of toolkit.sample (notes with
    # label, key and pages; running lines); tests/test_extract.py does not read them.
    layouts: bool = False


# What the two layouts of the second report share.
HARD = dict(report=NORTH, mirrored_pages=True, heading_space_cm=((0.6, 0.4, 0.3), 0.15), outline_indent="1.3cm",
            link_color="#0563C1", glued_numbers=True, page_range=(6, 10), figure_heights_cm=(3.5,),
            paddings=THREE_PADDINGS, extended_truth=True)

VARIANTS = [
    Variant(
        name="lo-serif-a4-hyphenated",
        description="Liberation Serif 11 pt, A4, justified with automatic Dutch hyphenation (body and notes), "
                    "notes 9 pt with plain number and hanging indent, separator line 25%",
        report=THEMATIC, font="Liberation Serif", font_generic="roman", body_size=11, note_size=9,
        heading_sizes=(16, 13, 11), margins=("2cm", "1.8cm", "2.5cm", "2.5cm"),
        note_indent="0.5cm", header_align="end", footer_align="end",
    ),
    Variant(
        name="lo-sans-letter-ragged",
        description="DejaVu Sans 10 pt, US Letter, ragged right without hyphenation, notes 8 pt with "
                    "superscript number glued to the text, no separator line",
        report=THEMATIC, font="DejaVu Sans", font_generic="swiss", body_size=10, note_size=8,
        heading_sizes=(15, 12, 10), paper="Letter", page_width="8.5in", page_height="11in",
        margins=("1in", "0.8in", "1in", "1in"), justify=False, hyphenate=False, separator_share=None,
        note_number_super=True, note_indent="0cm", header_align="start", footer_align="center",
    ),
    Variant(
        name="lo-carlito-a4-justified",
        description="Carlito 11 pt, A4 with wide left margin, justified without hyphenation, notes 8.5 pt "
                    "with plain number and hanging indent, separator line 33%",
        report=THEMATIC, font="Carlito", font_generic="swiss", body_size=11, note_size=8.5,
        heading_sizes=(16, 13, 11), margins=("2.5cm", "2cm", "3.2cm", "2cm"), hyphenate=False,
        separator_share="33%", note_indent="0.6cm", header_align="center", footer_align="start",
    ),
    Variant(
        name="lo-word-style",
        description="Word-style report: cover page without header, generated table of contents with dot "
                    "leaders, headings 1. / 1.1 / 1.1.1 larger but not bold (blue), Carlito 10.5 pt justified "
                    "with Dutch hyphenation, notes 8.5 pt numbered from 95, a two-paragraph note, a 2-column "
                    "table, an ordered list 1), odd/even headers with the page number, no footer",
        font="Carlito", font_generic="swiss", body_size=10.5, note_size=8.5,
        heading_sizes=(16, 13, 11.5), heading_bold=False, heading_color="#2F5496", heading_keep=True,
        first_note=95, para_spacing_cm=0.28, word_style=True, goal="wide-markers",
        header=(f"{H_TITLE}{{page}}", f"{{page}}{H_DATE}"), footer=None,
        line_heights=(115, 120, 110, 125), note_indent="0.5cm", **HARD,
    ),
    Variant(
        name="lo-dense-notes",
        description="DejaVu Serif 10 pt justified with hyphenation, 8 pt notes (8 to 12 a page) with plain "
                    "number and hanging indent, URL-only notes that wrap, a continued note, markers in a row "
                    "with a comma and after a closing quote or parenthesis, a heading on the last line of a page",
        font="DejaVu Serif", font_generic="roman", body_size=10, note_size=8,
        heading_sizes=(13, 11, 10), heading_bold=True, heading_color="#000000", heading_keep=False,
        dense=True, goal="dense", header=(H_DENSE_HEADER, H_DENSE_HEADER), header_align="end",
        footer_align="center", line_heights=(120, 125, 115, 130, 110), note_indent="0.45cm",
        para_spacing_cm=0.15, **HARD,
    ),
    Variant(
        name="lo-chapter-numbering",
        description="Liberation Sans 10.5 pt, A4, justified with Dutch hyphenation, notes 8.5 pt numbered anew "
                    "in every chapter (text:start-numbering-at=\"chapter\") with plain number and hanging indent, "
                    "separator line 25%",
        report=THEMATIC, font="Liberation Sans", font_generic="swiss", body_size=10.5, note_size=8.5,
        heading_sizes=(15, 12.5, 11), margins=("2cm", "1.8cm", "2.4cm", "2.4cm"), note_indent="0.55cm",
        header_align="start", footer_align="end", numbering="chapter", goal="continued-note", layouts=True,
    ),
    Variant(
        name="lo-page-numbering",
        description="DejaVu Serif 10 pt, US Letter, justified with Dutch hyphenation, notes 8 pt numbered anew "
                    "on every page (text:start-numbering-at=\"page\") with plain number and hanging indent, "
                    "separator line 33%",
        report=THEMATIC, font="DejaVu Serif", font_generic="roman", body_size=10, note_size=8,
        heading_sizes=(14, 12, 10.5), paper="Letter", page_width="8.5in", page_height="11in",
        margins=("0.9in", "0.8in", "1.1in", "1.1in"), separator_share="33%", note_indent="0.45cm",
        header_align="end", footer_align="center", numbering="page", goal="continued-note", layouts=True,
    ),
    Variant(
        name="lo-tight-running",
        description="Carlito 11 pt, A4, justified without hyphenation, notes 9 pt with plain number and hanging "
                    "indent, the running header set right on the body and the page footer right under the notes "
                    "(no spacing between them), separator line 25%",
        report=THEMATIC, font="Carlito", font_generic="swiss", body_size=11, note_size=9,
        heading_sizes=(16, 13, 11), margins=("1.6cm", "1.4cm", "2.5cm", "2.5cm"), hyphenate=False,
        note_indent="0.6cm", header_align="start", footer_align="end", header_gap_cm=0.0, footer_gap_cm=0.0,
        goal="continued-note", layouts=True,
    ),
]


# ---------------------------------------------------------------------------
# Source model: parse the inline marks once; both the .fodt and the truth come
# from these tokens.
# ---------------------------------------------------------------------------

MARK = re.compile(r"\[\[(n|a|u|U):([^\]|]+)(?:\|([^\]]+))?\]\]")


def tokens(text: str) -> list[tuple[str, str, str]]:
    """Split marked-up text into (kind, value, label) tokens; kind "t" is plain text."""
    out: list[tuple[str, str, str]] = []
    pos = 0
    for m in MARK.finditer(text):
        if m.start() > pos:
            out.append(("t", text[pos:m.start()], ""))
        out.append((m.group(1), m.group(2), m.group(3) or ""))
        pos = m.end()
    if pos < len(text):
        out.append(("t", text[pos:], ""))
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def fold(text: str) -> str:
    """Compare text without whitespace and hyphens, so line breaks cannot differ."""
    return re.sub(r"[\s\-\u00ad\u2011]", "", text)


@dataclass(frozen=True)
class Layout:
    line_height: int
    figure_height_cm: float
    padding: tuple[int, ...]  # FILLER sentences put before each padded paragraph


@dataclass
class Source:
    """One layout of one variant: the body as written and the truth derived from it."""
    body: list
    notes: dict[str, str]
    truth: Truth
    cells: list


def prepare(variant: Variant, layout: Layout) -> Source:
    """The body for one layout: [[d:]] marks kept or dropped, [[n:*]] numbered, padding applied."""
    report = variant.report
    notes = dict(report.notes)
    counter = 0
    dense_stars = 0

    def thin(m: re.Match) -> str:
        """Every third dense-only citation is left out: 8 to 14 notes a page, not 17."""
        nonlocal dense_stars
        dense_stars += 1
        return "" if dense_stars % 3 == 0 else "[[n:*]]"

    def generated(m: re.Match) -> str:
        nonlocal counter
        counter += 1
        key = f"gen{counter}"
        notes[key] = cited_source(counter)
        return f"[[n:{key}]]"

    def rewrite(text: str) -> str:
        if variant.dense:
            text = re.sub(r"\[\[d:\*\]\]", thin, text).replace("[[d:", "[[n:")
        else:
            text = re.sub(r"\[\[d:[^\]]*\]\]", "", text)
        return re.sub(r"\[\[n:\*\]\]", generated, text)

    body = []
    padded = 0
    for block in report.body:
        if isinstance(block, Para):
            text = rewrite(block.text)
            if block.padded:
                count = layout.padding[padded] if padded < len(layout.padding) else 0
                padded += 1
                if count:
                    text = " ".join(report.filler[:count]) + " " + text
            body.append(Para(text, block.kind))
        elif isinstance(block, (Bullets, Numbered)):
            body.append(type(block)([rewrite(item) for item in block.items]))
        elif isinstance(block, Figure):
            body.append(Figure(layout.figure_height_cm))
        else:
            body.append(block)
    truth, cells = build_truth(variant, body, notes)
    return Source(body, notes, truth, cells)


@dataclass
class Truth:
    footnotes: dict[int, str] = field(default_factory=dict)
    markers: dict[int, str] = field(default_factory=dict)
    headings: list = field(default_factory=list)
    links: list = field(default_factory=list)
    printed_urls: list = field(default_factory=list)
    paragraphs: list = field(default_factory=list)
    note_keys: dict[str, int] = field(default_factory=dict)
    stream: list = field(default_factory=list)  # expected body items, for the PDF check
    chapters: dict[int, int] = field(default_factory=dict)  # note -> level-1 division holding its marker
    labels: dict[int, str] = field(default_factory=dict)  # note -> printed label, if known before layout


def note_plain(text: str, number: int, truth: Truth) -> str:
    """Plain text of a note; records its links and printed URLs."""
    parts: list[str] = []
    for kind, value, label in tokens(text):
        if kind == "t":
            parts.append(value)
        elif kind == "a":
            parts.append(label)
            truth.links.append({"uri": value, "text": label, "note": number})
        else:
            parts.append(value)
            truth.printed_urls.append({"url": value, "note": number})
            if kind == "u":
                truth.links.append({"uri": value, "text": value, "note": number})
    return squash("".join(parts))


def build_truth(variant: Variant, body: list, notes: dict[str, str]) -> tuple[Truth, list]:
    """Truth from the source; also the table cells."""
    truth = Truth()
    cells: list[list[str]] = []

    def plain(text: str, markers: list) -> str:
        """Plain paragraph text; numbers the notes it anchors and records their context."""
        out = ""
        for kind, value, label in tokens(text):
            if kind == "t":
                out += value
            elif kind == "a":
                out += label
                truth.links.append({"uri": value, "text": label, "note": None})
            elif kind == "n":
                number = variant.first_note + len(truth.note_keys)
                if value in truth.note_keys:
                    raise ValueError(f"note {value} used twice")
                truth.note_keys[value] = number
                truth.chapters[number] = chapter
                if variant.numbering == "document":
                    truth.labels[number] = str(number)
                elif variant.numbering == "chapter":
                    truth.labels[number] = str(sum(1 for c in truth.chapters.values() if c == chapter))
                truth.markers[number] = squash(out)[-30:]
                truth.footnotes[number] = note_plain(notes[value], number, truth)
                markers.append((number, len(fold(out))))
            else:
                raise ValueError(f"{kind} marks belong in notes")
        return squash(out)

    counters = [0, 0, 0]
    level = 0
    chapter = 0
    for block in body:
        if isinstance(block, Heading) and block.level == 1:
            chapter += 1
        if isinstance(block, Heading) and block.numbered:
            counters[block.level - 1] += 1
            for i in range(block.level, 3):
                counters[i] = 0
            number = ".".join(str(c) for c in counters[: block.level])
            printed = number + "." if block.level == 1 and variant.word_style else number
            level = block.level
            truth.headings.append([block.level, number, block.text])
            truth.stream.append(("heading", printed + block.text, []))
        elif isinstance(block, Heading):
            # An unnumbered sub-heading gets its parent's level + 1.
            truth.headings.append([level + 1, None, block.text])
            truth.stream.append(("heading", block.text, []))
        elif isinstance(block, Para):
            markers: list = []
            text = plain(block.text, markers)
            truth.paragraphs.append({"kind": block.kind, "text": text})
            truth.stream.append(("para", text, markers))
        elif isinstance(block, (Bullets, Numbered)):
            for i, item in enumerate(block.items, 1):
                markers = []
                text = plain(item, markers)
                label = "•" if isinstance(block, Bullets) else f"{i})"
                truth.paragraphs.append({"kind": "item", "text": text})
                truth.stream.append(("item", label + text, [(n, off + len(label)) for n, off in markers]))
        elif isinstance(block, Table):
            for row in block.rows:
                cells.append(list(row))
                for cell in row:
                    truth.stream.append(("cell", cell, []))
    return truth, cells


# ---------------------------------------------------------------------------
# Flat ODT writer
# ---------------------------------------------------------------------------

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
)


def link_xml(uri: str, label: str) -> str:
    return (f'<text:a xlink:type="simple" xlink:href="{escape(uri, {chr(34): "&quot;"})}" '
            f'text:style-name="Internet_20_link">{escape(label)}</text:a>')


def note_xml(source: Source, key: str) -> str:
    """A note; a blank line in its text starts a second note paragraph."""
    number = source.truth.note_keys[key]
    body = "".join(f'<text:p text:style-name="Footnote">{inline_xml(p, source)}</text:p>'
                   for p in source.notes[key].split("\n\n"))
    return (f'<text:note text:id="ftn{number}" text:note-class="footnote"><text:note-citation>{number}'
            f"</text:note-citation><text:note-body>{body}</text:note-body></text:note>")


def inline_xml(text: str, source: Source) -> str:
    out = []
    for kind, value, label in tokens(text):
        if kind == "t":
            out.append(escape(value))
        elif kind == "a":
            out.append(link_xml(value, label))
        elif kind == "u":
            out.append(f'<text:span text:style-name="URL">{link_xml(value, value)}</text:span>')
        elif kind == "U":
            out.append(f'<text:span text:style-name="URL">{escape(value)}</text:span>')
        elif kind == "n":
            out.append(note_xml(source, value))
    return "".join(out)


def figure_png() -> bytes:
    """A small bar chart without text, so the figure adds no words to the page."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=320, height=140)
    page.draw_rect(page.rect, color=None, fill=(1, 1, 1))
    page.draw_line((30, 120), (300, 120), color=(0, 0, 0), width=1)
    page.draw_line((30, 10), (30, 120), color=(0, 0, 0), width=1)
    for i, (desert, refuse) in enumerate([(20, 35), (45, 60), (70, 85), (95, 100)]):
        x = 50 + i * 65
        page.draw_rect((x, 120 - desert, x + 22, 120), color=None, fill=(0.16, 0.32, 0.55))
        page.draw_rect((x + 24, 120 - refuse, x + 46, 120), color=None, fill=(0.85, 0.55, 0.2))
    return page.get_pixmap(dpi=110).tobytes("png")


def contents_xml(toc: list[tuple[int, str, str, str]]) -> str:
    entries = "".join(
        f'<text:p text:style-name="Contents_20_{level}">{escape(number)}<text:tab/>{escape(text)}'
        f"<text:tab/>{escape(page)}</text:p>"
        for level, number, text, page in toc
    )
    return ('<text:table-of-content text:style-name="Sect1" text:protected="true" text:name="Inhoudsopgave">'
            '<text:table-of-content-source text:outline-level="3"><text:index-title-template '
            'text:style-name="Contents_20_Heading">Inhoud</text:index-title-template></text:table-of-content-source>'
            '<text:index-body><text:index-title text:style-name="Sect1" text:name="Inhoudsopgave_Head">'
            '<text:p text:style-name="Contents_20_Heading">Inhoud</text:p></text:index-title>'
            f"{entries}</text:index-body></text:table-of-content>")


def content_xml(variant: Variant, source: Source, toc: list) -> str:
    content: list[str] = []
    if variant.word_style:
        for style, line in zip(("CoverTitle", "CoverSub", "CoverOrg", "CoverDate"), H_COVER):
            content.append(f'<text:p text:style-name="{style}">{escape(line)}</text:p>')
        content.append(contents_xml(toc))
    first_heading = True
    for block in source.body:
        if isinstance(block, Heading) and block.numbered:
            style = f"Heading_20_{block.level}"
            if first_heading and variant.word_style:
                style = "Heading_20_1_20_first"
            first_heading = False
            content.append(f'<text:h text:style-name="{style}" '
                           f'text:outline-level="{block.level}">{escape(block.text)}</text:h>')
        elif isinstance(block, Heading):
            content.append(f'<text:p text:style-name="Subkop">{escape(block.text)}</text:p>')
        elif isinstance(block, Para):
            style = {"p": "Text_20_body", "caption": "Bijschrift"}[block.kind]
            content.append(f'<text:p text:style-name="{style}">{inline_xml(block.text, source)}</text:p>')
        elif isinstance(block, (Bullets, Numbered)):
            items = "".join(f'<text:list-item><text:p text:style-name="Opsomming">{inline_xml(item, source)}'
                            "</text:p></text:list-item>" for item in block.items)
            style = "Bullets" if isinstance(block, Bullets) else "Nummering"
            content.append(f'<text:list text:style-name="{style}">{items}</text:list>')
        elif isinstance(block, Table):
            rows = []
            for r, row in enumerate(block.rows):
                style = "Tabelkop" if r == 0 else "Tabelcel"
                rows.append("<table:table-row>" + "".join(
                    f'<table:table-cell table:style-name="Cel" office:value-type="string">'
                    f'<text:p text:style-name="{style}">{escape(cell)}</text:p></table:table-cell>' for cell in row)
                    + "</table:table-row>")
            content.append('<table:table table:name="Tabel1" table:style-name="Tabel1">'
                           '<table:table-column table:style-name="Kol1"/><table:table-column table:style-name="Kol2"/>'
                           + "".join(rows) + "</table:table>")
        elif isinstance(block, Figure):
            png = base64.b64encode(figure_png()).decode()
            content.append(
                '<text:p text:style-name="Figuur"><draw:frame draw:name="Figuur1" text:anchor-type="as-char" '
                f'svg:width="8cm" svg:height="{block.height_cm}cm"><draw:image><office:binary-data>'
                f"{png}</office:binary-data></draw:image></draw:frame></text:p>"
            )
    return "\n".join(content)


def paragraph_style(name: str, paragraph: str = "", text: str = "", parent: str = "Standard", extra: str = "") -> str:
    """A paragraph style; paragraph and text are the attributes of its two property elements."""
    props = (f"<style:paragraph-properties {paragraph}/>" if paragraph else "") + \
        (f"<style:text-properties {text}/>" if text else "")
    return (f'<style:style style:name="{name}"{extra} style:family="paragraph" '
            f'style:parent-style-name="{parent}">{props}</style:style>')


def styles_xml(variant: Variant, source: Source, line_height: int) -> str:
    """The paragraph, text, outline and list styles; only those the body uses."""
    v = variant
    body = source.body
    align = "justify" if v.justify else "start"
    hyph = 'fo:hyphenate="true" fo:hyphenation-remain-char-count="3" fo:hyphenation-push-char-count="3"' \
        if v.hyphenate else 'fo:hyphenate="false"'
    out = [
        f'<style:default-style style:family="paragraph"><style:paragraph-properties style:tab-stop-distance="1.25cm"/>'
        f'<style:text-properties style:font-name="{v.font}" fo:font-size="{v.body_size}pt" fo:language="{LANGUAGE[0]}" '
        f'fo:country="{LANGUAGE[1]}" {hyph}/></style:default-style>',
        '<style:style style:name="Standard" style:family="paragraph" style:class="text"/>',
        paragraph_style("Text_20_body", f'fo:margin-top="0cm" fo:margin-bottom="{v.para_spacing_cm}cm" '
                        f'fo:text-align="{align}" fo:line-height="{line_height}%" fo:orphans="2" fo:widows="2"',
                        extra=' style:display-name="Text body"'),
        paragraph_style("Opsomming", 'fo:margin-bottom="0.1cm"', parent="Text_20_body"),
    ]
    if any(isinstance(b, Heading) and not b.numbered for b in body):
        out.append(paragraph_style("Subkop", 'fo:margin-top="0.2cm" fo:margin-bottom="0.1cm" fo:keep-with-next="always"',
                                   'fo:font-weight="bold" fo:hyphenate="false"'))
    if any(isinstance(b, Figure) for b in body):
        out.append(paragraph_style("Figuur", 'fo:margin-top="0.2cm" fo:keep-with-next="always"'))
    if any(isinstance(b, Para) and b.kind == "caption" for b in body):
        out.append(paragraph_style("Bijschrift", 'fo:margin-bottom="0.1cm" fo:keep-with-next="always"',
                                   f'fo:font-size="{v.body_size - 1.5}pt" fo:font-style="italic"'))
    if any(isinstance(b, Table) for b in body):
        out.append(paragraph_style("Tabelcel", 'fo:text-align="start"', 'fo:hyphenate="false"'))
        out.append(paragraph_style("Tabelkop", text='fo:font-weight="bold"', parent="Tabelcel"))
    above, below = v.heading_space_cm
    color = f' fo:color="{v.heading_color}"' if v.heading_color else ""
    for lv in (1, 2, 3):
        out.append(paragraph_style(
            f"Heading_20_{lv}",
            f'fo:margin-top="{above[lv - 1]}cm" fo:margin-bottom="{below}cm" '
            f'fo:keep-with-next="{"always" if v.heading_keep else "auto"}"',
            f'fo:font-size="{v.heading_sizes[lv - 1]}pt" fo:font-weight="{"bold" if v.heading_bold else "normal"}"'
            f'{color} fo:hyphenate="false"',
            extra=f' style:display-name="Heading {lv}" style:next-style-name="Text_20_body" '
                  f'style:default-outline-level="{lv}"'))
    small = v.body_size - 2
    if v.word_style:
        for lv in (1, 2, 3):
            indent = (0, 0.4, 0.8)[lv - 1]
            out.append(
                f'<style:style style:name="Contents_20_{lv}" style:display-name="Contents {lv}" style:family="paragraph" '
                f'style:parent-style-name="Standard"><style:paragraph-properties fo:margin-left="{indent}cm" '
                f'fo:margin-top="{0.2 if lv == 1 else 0}cm" fo:margin-bottom="0.08cm"><style:tab-stops>'
                f'<style:tab-stop style:position="{(0.8, 1.1, 1.5)[lv - 1]}cm"/>'
                f'<style:tab-stop style:position="{16 - indent}cm" style:type="right" style:leader-style="dotted" '
                f'style:leader-text="."/></style:tab-stops></style:paragraph-properties>'
                f'<style:text-properties fo:hyphenate="false"/></style:style>')
        out.append(
            '<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard" '
            'style:class="extra"><style:paragraph-properties fo:border-bottom="0.5pt solid #2F5496" '
            'fo:padding-bottom="0.1cm"><style:tab-stops><style:tab-stop style:position="16cm" style:type="right"/>'
            '</style:tab-stops></style:paragraph-properties><style:text-properties fo:font-size="9pt" '
            'fo:color="#404040"/></style:style>')
        out.append(
            paragraph_style("CoverTitle", 'fo:margin-top="6cm" fo:margin-bottom="0.5cm"',
                            'fo:font-size="26pt" fo:color="#2F5496" fo:hyphenate="false"',
                            extra=' style:master-page-name="Eerste_20_pagina"')
            + paragraph_style("CoverSub", 'fo:margin-bottom="3cm"',
                              'fo:font-size="15pt" fo:color="#404040" fo:hyphenate="false"')
            + paragraph_style("CoverOrg", text='fo:font-size="12pt" fo:font-weight="bold"')
            + paragraph_style("CoverDate", text='fo:font-size="12pt"')
            + paragraph_style("Contents_20_Heading", 'fo:break-before="page" fo:margin-bottom="0.4cm"',
                              'fo:font-size="16pt" fo:color="#2F5496"',
                              extra=' style:display-name="Contents Heading" style:master-page-name="Standard"'))
    else:
        for name, align_to in (("Header", v.header_align), ("Footer", v.footer_align)):
            out.append(paragraph_style(name, f'fo:text-align="{align_to}"', f'fo:font-size="{small}pt"',
                                       extra=' style:class="extra"'))
    note_symbol = '<style:text-properties style:text-position="super 58%"/>' if v.note_number_super else ""
    suffix = ' style:num-suffix="."' if v.word_style else ""

    def outline_level(level: int) -> str:
        return (f'<text:outline-level-style text:level="{level}" style:num-format="1"{suffix if level == 1 else ""} '
                f'text:display-levels="{level}"><style:list-level-properties '
                'text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment '
                f'text:label-followed-by="listtab" text:list-tab-stop-position="{v.outline_indent}" '
                f'fo:text-indent="-{v.outline_indent}" fo:margin-left="{v.outline_indent}"/>'
                '</style:list-level-properties></text:outline-level-style>')

    def list_style(name: str, level: str, indent: str, text: str = "") -> str:
        return (f'<text:list-style style:name="{name}">{level}<style:list-level-properties '
                'text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment '
                f'text:label-followed-by="listtab" text:list-tab-stop-position="1cm" fo:text-indent="-{indent}" '
                f'fo:margin-left="1cm"/></style:list-level-properties>{text}')

    out += [
        f'<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard" '
        f'style:class="extra"><style:paragraph-properties fo:margin-left="{v.note_indent}" '
        f'fo:text-indent="-{v.note_indent}" fo:text-align="{align}"/><style:text-properties '
        f'fo:font-size="{v.note_size}pt"/></style:style>',
        '<style:style style:name="Footnote_20_Symbol" style:display-name="Footnote Symbol" style:family="text">'
        f"{note_symbol}</style:style>",
        '<style:style style:name="Footnote_20_anchor" style:display-name="Footnote anchor" style:family="text">'
        '<style:text-properties style:text-position="super 58%"/></style:style>',
        '<style:style style:name="URL" style:family="text"><style:text-properties fo:hyphenate="false" '
        'fo:language="zxx" fo:country="none"/></style:style>',
        '<style:style style:name="Internet_20_link" style:display-name="Internet link" style:family="text">'
        f'<style:text-properties fo:color="{v.link_color}" style:text-underline-style="solid" '
        'style:text-underline-width="auto" style:text-underline-color="font-color"/></style:style>',
        f'<text:outline-style style:name="Outline">{"".join(outline_level(lv) for lv in (1, 2, 3))}</text:outline-style>',
        '<text:notes-configuration text:note-class="footnote" text:citation-style-name="Footnote_20_Symbol" '
        'text:citation-body-style-name="Footnote_20_anchor" style:num-format="1" '
        f'text:start-value="{v.first_note - 1}" text:footnotes-position="page" '
        f'text:start-numbering-at="{v.numbering}"/>',
    ]
    if any(isinstance(b, Numbered) for b in body):
        out.append(list_style("Nummering", '<text:list-level-style-number text:level="1" style:num-suffix=")" '
                              'style:num-format="1">', "0.6cm")
                   + "</text:list-level-style-number></text:list-style>")
    bullet_font = f'<style:text-properties style:font-name="{v.font}"/>' \
        if any(isinstance(b, Bullets) for b in body) else ""
    out.append(list_style("Bullets", '<text:list-level-style-bullet text:level="1" text:bullet-char="•">', "0.5cm",
                          bullet_font) + "</text:list-level-style-bullet></text:list-style>")
    return "\n".join(out)


def page_layout_xml(variant: Variant) -> str:
    v = variant
    top, bottom, left, right = v.margins
    sep = (f'<style:footnote-sep style:width="0.018cm" style:distance-before-sep="0.15cm" '
           f'style:distance-after-sep="0.1cm" style:line-style="solid" style:adjustment="left" '
           f'style:rel-width="{v.separator_share}" style:color="#000000"/>') if v.separator_share else \
        '<style:footnote-sep style:width="0cm" style:line-style="none" style:rel-width="0%"/>'
    usage = ' style:page-usage="mirrored"' if v.mirrored_pages else ""
    out = []
    if any(isinstance(b, Table) for b in v.report.body):
        out.append(
            '<style:style style:name="Tabel1" style:family="table"><style:table-properties style:width="16cm" '
            'table:align="left" fo:margin-top="0.1cm" fo:margin-bottom="0.35cm"/></style:style>'
            '<style:style style:name="Kol1" style:family="table-column"><style:table-column-properties '
            'style:column-width="4.6cm"/></style:style>'
            '<style:style style:name="Kol2" style:family="table-column"><style:table-column-properties '
            'style:column-width="11.4cm"/></style:style>'
            '<style:style style:name="Cel" style:family="table-cell"><style:table-cell-properties '
            'fo:padding="0.08cm" fo:border="0.5pt solid #808080"/></style:style>')
    if v.word_style:
        out.append(
            '<style:style style:name="Heading_20_1_20_first" style:family="paragraph" '
            'style:parent-style-name="Heading_20_1"><style:paragraph-properties fo:break-before="page"/></style:style>'
            '<style:style style:name="Sect1" style:family="section"><style:section-properties '
            'style:editable="false"/></style:style>')
    out.append(
        f'<style:page-layout style:name="pm1"{usage}><style:page-layout-properties fo:page-width="{v.page_width}" '
        f'fo:page-height="{v.page_height}" style:print-orientation="portrait" fo:margin-top="{top}" '
        f'fo:margin-bottom="{bottom}" fo:margin-left="{left}" fo:margin-right="{right}">{sep}'
        '</style:page-layout-properties>\n'
        '<style:header-style><style:header-footer-properties fo:min-height="0cm" '
        f'fo:margin-bottom="{v.header_gap_cm}cm"/></style:header-style>\n<style:footer-style>'
        f'<style:header-footer-properties fo:min-height="0cm" fo:margin-top="{v.footer_gap_cm}cm"/>'
        '</style:footer-style></style:page-layout>')
    if v.word_style:
        out.append(
            '<style:page-layout style:name="pm2"><style:page-layout-properties fo:page-width="21cm" '
            'fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="2.5cm" '
            'fo:margin-bottom="2cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/></style:page-layout>')
    return "\n".join(out)


def master_xml(variant: Variant) -> str:
    v = variant
    page = '<text:page-number text:select-page="current">{}</text:page-number>'
    # "{page}" in a running header is the page number, after or before a tab.
    odd, even = (escape(h).replace("{page}", "<text:tab/>" + page.format(n) if h.endswith("{page}")
                                   else page.format(n) + "<text:tab/>")
                 for n, h in ((1, v.header[0]), (2, v.header[1])))
    if v.word_style:
        return ('<style:master-page style:name="Eerste_20_pagina" style:display-name="First Page" '
                'style:page-layout-name="pm2" style:next-style-name="Standard"/>'
                '<style:master-page style:name="Standard" style:page-layout-name="pm1">'
                f'<style:header><text:p text:style-name="Header">{odd}</text:p></style:header>'
                f'<style:header-left><text:p text:style-name="Header">{even}</text:p></style:header-left>'
                "</style:master-page>")
    return ('<style:master-page style:name="Standard" style:page-layout-name="pm1">\n'
            f'<style:header><text:p text:style-name="Header">{odd}</text:p></style:header>\n'
            f'<style:footer><text:p text:style-name="Footer">Pagina {page.format(1)} van '
            "<text:page-count>1</text:page-count></text:p></style:footer>\n</style:master-page>")


def fodt(variant: Variant, source: Source, line_height: int, toc: list) -> str:
    """Flat ODT for one layout; toc holds (level, printed number, text, page) for a contents page."""
    v = variant
    report = v.report
    creator = f"<meta:initial-creator>{escape(report.creator)}</meta:initial-creator>" if report.creator else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document {NS} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:meta><dc:title>{escape(report.title)}</dc:title><dc:subject>{escape(report.subject)}</dc:subject>{creator}</office:meta>
<office:font-face-decls><style:font-face style:name="{v.font}" svg:font-family="'{v.font}'" style:font-family-generic="{v.font_generic}" style:font-pitch="variable"/></office:font-face-decls>
<office:styles>
{styles_xml(v, source, line_height)}
</office:styles>
<office:automatic-styles>
{page_layout_xml(v)}
</office:automatic-styles>
<office:master-styles>{master_xml(v)}</office:master-styles>
<office:body><office:text>
{content_xml(v, source, toc)}
</office:text></office:body></office:document>
"""


# ---------------------------------------------------------------------------
# PDF check: read the PDF back with PyMuPDF and compare with the source.
# ---------------------------------------------------------------------------


class Mismatch(Exception):
    """The PDF does not print what the source says."""


def page_lines(page) -> list:
    """PyMuPDF lines merged per baseline (numbers before a tab come as lines of their own)."""
    lines = []
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            spans = [s for s in line["spans"] if s["text"]]
            if spans:
                lines.append(spans)
    lines.sort(key=lambda spans: (round(spans[0]["origin"][1], 1), spans[0]["origin"][0]))
    merged: list = []
    for spans in lines:
        if merged and abs(merged[-1][-1]["origin"][1] - spans[0]["origin"][1]) < 0.5 \
                and spans[0]["size"] == merged[-1][-1]["size"]:
            merged[-1] = merged[-1] + sorted(spans, key=lambda s: s["origin"][0])
        else:
            merged.append(spans)
    return merged


def line_text(spans) -> str:
    return "".join(s["text"] for s in spans)


def text_in_rect(page, rect) -> str:
    """The characters whose centre lies inside a link rectangle."""
    chars = []
    for block in page.get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for char in span["chars"]:
                    x0, y0, x1, y1 = char["bbox"]
                    if rect.x0 <= (x0 + x1) / 2 <= rect.x1 and rect.y0 <= (y0 + y1) / 2 <= rect.y1:
                        chars.append(char["c"])
    return "".join(chars)


def line_end_hyphens_in(lines: list) -> list[tuple[str, str]]:
    """(last word, next word) for each line that ends in a hyphen."""
    pairs = []
    for spans, following in zip(lines, lines[1:]):
        last = line_text(spans).rstrip()
        if last.endswith("-"):
            nxt = line_text(following).split()
            words = last.split()
            # In justified lines the hyphen can stand apart ("beslo -"), which
            # PyMuPDF reports as a space before it.
            before = words[-2] + " -" if words[-1] == "-" and len(words) > 1 else words[-1]
            pairs.append((before, nxt[0] if nxt else ""))
    return pairs


LEADER = re.compile(r"\.{3,}|…+")


@dataclass
class Measured:
    pages: int
    continued_notes: list[int]
    continued_beside_body: list[int]
    continued_paragraphs: list[int]
    line_end_hyphens: list[dict]
    heading_pages: list[int]  # 1-based page of each heading
    headings_at_page_bottom: list[int]  # heading indexes printed on the last body line of a page
    markers_before_page_break: list[int]  # notes whose marker is on a page's last body line, paragraph continued
    notes_per_page: dict[int, int]
    labels: dict[int, str] = field(default_factory=dict)  # note -> printed label
    note_pages: dict[int, list[int]] = field(default_factory=dict)  # note -> 1-based pages it is printed on
    marker_pages: dict[int, int] = field(default_factory=dict)  # note -> 1-based page of its marker


def check_pdf(pdf: Path, variant: Variant, truth: Truth, toc: list) -> Measured:
    import pymupdf

    doc = pymupdf.open(pdf)
    front = 2 if variant.word_style else 0
    body_stream = ""  # folded body text, markers removed
    found_markers: list[tuple[str, int]] = []  # (printed label, offset in the body stream)
    marker_pages: dict[int, int] = {}  # note -> page of its marker (markers come in note order)
    last_line_start: dict[int, int] = {}
    page_starts: list[int] = []
    notes: dict[int, str] = {}
    note_pages: dict[int, set[int]] = {}
    note_starts: dict[int, int] = {}
    line_note: list[tuple[int, float, float, int]] = []  # page, y0, y1, note
    hyphen_words: list[tuple[str, str, str]] = []
    pages_with_body: set[int] = set()
    current = variant.first_note - 1
    labels: dict[int, str] = {}  # note -> label printed in the note area
    for page in doc:
        lines = page_lines(page)
        number = page.number + 1
        if variant.word_style and number == 1:
            if fold("".join(line_text(l) for l in lines)) != fold("".join(H_COVER)):
                raise Mismatch(f"cover reads {[line_text(l) for l in lines]}")
            continue
        header = variant.header[1 - number % 2].format(page=number)
        if not lines or fold(line_text(lines[0])) != fold(header):
            raise Mismatch(f"page {number}: header {line_text(lines[0]) if lines else ''!r}, expected {header!r}")
        lines = lines[1:]
        if variant.footer:
            footer = variant.footer.format(page=number, pages=doc.page_count)
            if not lines or line_text(lines[-1]).strip() != footer:
                raise Mismatch(f"page {number}: footer {line_text(lines[-1]) if lines else ''!r} != {footer!r}")
            lines = lines[:-1]
        if variant.word_style and number == 2:
            printed = fold(LEADER.sub("", "".join(line_text(l) for l in lines)))
            wanted = fold("Inhoud" + "".join(f"{n}{t}{p}" for _, n, t, p in toc))
            if printed != wanted:
                raise Mismatch(f"contents page reads {printed!r}\n expected {wanted!r}")
            continue
        started_here = 0  # notes whose label is printed on this page
        cut = len(lines)
        while cut > 0 and max(s["size"] for s in lines[cut - 1]) <= variant.note_size + 0.2:
            cut -= 1
        body, note_lines = lines[:cut], lines[cut:]
        page_starts.append(len(body_stream))
        if body:
            pages_with_body.add(page.number)
        hyphen_words += [("body", *pair) for pair in line_end_hyphens_in(body)]
        hyphen_words += [("notes", *pair) for pair in line_end_hyphens_in(note_lines)]
        for li, spans in enumerate(body):
            if li == len(body) - 1:
                last_line_start[page.number] = len(body_stream)
            baseline = max(spans, key=lambda s: s["size"])["origin"][1]
            for span in spans:
                small = span["size"] < variant.body_size * 0.8
                # At the start of a line PyMuPDF cannot see the raise and leaves the
                # superscript flag off; the baseline still shows it.
                raised = span["flags"] & 1 or span["origin"][1] < baseline - 0.2 * variant.body_size
                if raised and small and span["text"].strip().isdigit():
                    found_markers.append((span["text"].strip(), len(body_stream)))
                    marker_pages[variant.first_note + len(found_markers) - 1] = page.number
                else:
                    body_stream += fold(span["text"])
        for spans in note_lines:
            first = spans[0]["text"].strip()
            # The label the next note must carry: per page it restarts at 1 on every page.
            expected = str(started_here + 1) if variant.numbering == "page" else truth.labels.get(current + 1)
            glued = variant.glued_numbers and re.match(rf"{expected}(?=\D)", spans[0]["text"])
            if first.isdigit() and first == expected and (len(spans) > 1 or first != spans[0]["text"]):
                current += 1
                notes[current] = ""
                note_starts[current] = page.number
                labels[current], started_here = first, started_here + 1
                spans = spans[1:]
            elif glued:
                current += 1
                notes[current] = ""
                note_starts[current] = page.number
                labels[current], started_here = expected, started_here + 1
                spans = [dict(spans[0], text=spans[0]["text"][glued.end():])] + spans[1:]
            elif current < variant.first_note:
                raise Mismatch(f"page {number}: note area starts without a number")
            notes[current] += line_text(spans) + " "
            note_pages.setdefault(current, set()).add(page.number)
            y0 = min(s["bbox"][1] for s in spans)
            y1 = max(s["bbox"][3] for s in spans)
            line_note.append((page.number, y0, y1, current))
    page_starts.append(len(body_stream))

    # Footnotes: numbered from first_note, text as written.
    if sorted(notes) != sorted(truth.footnotes):
        raise Mismatch(f"note numbers {sorted(notes)} != {sorted(truth.footnotes)}")
    for n, text in truth.footnotes.items():
        if fold(notes[n]) != fold(text):
            raise Mismatch(f"note {n}: printed {notes[n]!r}\n expected {text!r}")

    # Body: same characters in the same order, markers at the same places.
    expected = ""
    expected_markers: list[tuple[int, int]] = []
    spans_of_para: list[tuple[int, int, int]] = []  # start, end, paragraph index
    heading_spans: list[tuple[int, int]] = []
    para_index = 0
    for kind, text, markers in truth.stream:
        start = len(expected)
        for n, offset in markers:
            expected_markers.append((n, start + offset))
        expected += fold(text)
        if kind == "heading":
            heading_spans.append((start, len(expected)))
        elif kind != "cell":
            spans_of_para.append((start, len(expected), para_index))
            para_index += 1
    if body_stream != expected:
        at = next((i for i, (a, b) in enumerate(zip(body_stream, expected)) if a != b),
                  min(len(body_stream), len(expected)))
        raise Mismatch(f"body differs at {at}: pdf {body_stream[max(0, at - 40):at + 40]!r}\n"
                       f" expected {expected[max(0, at - 40):at + 40]!r}")
    expected_markers = [(labels.get(n, "?"), offset) for n, offset in expected_markers]
    if found_markers != expected_markers:
        raise Mismatch(f"markers {found_markers} != {expected_markers}")
    if any(marker_pages[n] != note_starts[n] for n in note_starts):
        raise Mismatch("a note is not printed on its marker's page")

    # Links: same URIs; the text under each rectangle is the link text; notes match.
    pdf_links: dict[str, list] = {}
    for page in doc:
        for link in page.get_links():
            if link["kind"] == pymupdf.LINK_URI:
                pdf_links.setdefault(link["uri"], []).append((page, link["from"]))
    expected_uris = {link["uri"] for link in truth.links}
    if set(pdf_links) != expected_uris:
        raise Mismatch(f"link URIs differ: {set(pdf_links) ^ expected_uris}")
    for link in truth.links:
        covered = ""
        where = set()
        for page, rect in sorted(pdf_links[link["uri"]], key=lambda pr: (pr[0].number, pr[1].y0, pr[1].x0)):
            covered += text_in_rect(page, rect)
            mid = (rect.y0 + rect.y1) / 2
            hits = [n for p, y0, y1, n in line_note if p == page.number and y0 <= mid <= y1]
            where.add(hits[0] if hits else None)
        if fold(covered) != fold(link["text"]):
            raise Mismatch(f"link {link['uri']}: covers {covered!r}, expected {link['text']!r}")
        if where != {link["note"]}:
            raise Mismatch(f"link {link['uri']}: in notes {where}, expected {link['note']}")

    source_text = " ".join([p["text"] for p in truth.paragraphs] + [h[2] for h in truth.headings]
                           + list(truth.footnotes.values()))
    line_end_hyphens = []
    for area, before, after in hyphen_words:
        word = re.sub(r"^\W+|\W+$", "", before.replace(" -", "-") + after)
        line_end_hyphens.append({"area": area, "printed": f"{before}|{after}", "real_hyphen": word in source_text})
    body_pages = [p for p in range(doc.page_count) if p >= front]

    def page_of(offset: int) -> int:
        index = max(i for i, start in enumerate(page_starts[:-1]) if start <= offset)
        return body_pages[index] + 1

    boundaries = page_starts[1:-1]
    continued_notes = sorted(n for n, pages in note_pages.items() if len(pages) > 1)
    before_break = []
    for n, (_, offset) in enumerate(found_markers, start=variant.first_note):
        page = marker_pages[n]
        if page in last_line_start and offset >= last_line_start[page]:
            boundary = page_starts[body_pages.index(page) + 1]
            if any(start <= offset and start < boundary < end for start, end, _ in spans_of_para):
                before_break.append(n)
    per_page: dict[int, int] = {}
    for n, page in note_starts.items():
        per_page[page + 1] = per_page.get(page + 1, 0) + 1
    return Measured(
        pages=doc.page_count,
        continued_notes=continued_notes,
        # A note continued on a page that has body text too, not only on a last page of notes.
        continued_beside_body=sorted(n for n in continued_notes if max(note_pages[n]) in pages_with_body),
        continued_paragraphs=sorted({index for start, end, index in spans_of_para
                                     for boundary in boundaries if start < boundary < end}),
        line_end_hyphens=line_end_hyphens,
        heading_pages=[page_of(start) for start, _ in heading_spans],
        headings_at_page_bottom=[i for i, (_, end) in enumerate(heading_spans) if end in boundaries],
        markers_before_page_break=before_break,
        notes_per_page=per_page,
        labels=labels,
        note_pages={n: sorted(p + 1 for p in pages) for n, pages in note_pages.items()},
        marker_pages={n: p + 1 for n, p in marker_pages.items()},
    )


# ---------------------------------------------------------------------------
# Layout search and output
# ---------------------------------------------------------------------------


def convert(sources: list[Path], outdir: Path) -> None:
    """Convert in one soffice run: starting LibreOffice costs more than a conversion."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("soffice not found: install LibreOffice Writer to regenerate these PDFs")
    profile = outdir / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), *map(str, sources)],
        check=True, capture_output=True, timeout=900,
    )


def contents(variant: Variant, truth: Truth, pages: list[int] | None) -> list[tuple[int, str, str, str]]:
    """(level, printed number, text, page) per heading; "9" until the pages are known."""
    if not variant.word_style:
        return []
    return [(level, number + ("." if level == 1 else ""), text, str(pages[i]) if pages else "9")
            for i, (level, number, text) in enumerate(truth.headings)]


def shows_hard_cases(variant: Variant, m: Measured) -> bool:
    """Does this layout show the hard cases the variant is for?"""
    low, high = variant.page_range
    if not (low <= m.pages <= high and m.continued_paragraphs):
        return False
    if variant.goal == "split-note":
        return bool(m.continued_beside_body) and any(h["real_hyphen"] and h["area"] == "body"
                                                     for h in m.line_end_hyphens)
    if variant.goal == "continued-note":
        return bool(m.continued_beside_body)
    if variant.goal == "dense":
        full_pages = [count for page, count in sorted(m.notes_per_page.items())][:-1]
        return bool(m.continued_beside_body and m.headings_at_page_bottom and m.markers_before_page_break
                    and full_pages and 8 <= min(full_pages) and max(full_pages) <= 14)
    return any(n >= 100 for n in m.markers_before_page_break) or bool(m.continued_beside_body)


def search_layout(variant: Variant, workdir: Path) -> tuple[Layout, Source, Path, Measured]:
    """The first layout that shows the hard cases, preferring one that splits a long note."""
    long_notes = {prepare(variant, Layout(115, 3.5, ())).truth.note_keys[key] for key in variant.report.long_notes}
    fallback = found = None
    for round_, line_height in enumerate(variant.line_heights):
        batch = [Layout(line_height, h, p) for h in variant.figure_heights_cm for p in variant.paddings]
        sources = []
        for i, layout in enumerate(batch):
            source = prepare(variant, layout)
            path = workdir / f"{variant.name}-{line_height}-{i}.fodt"
            path.write_text(fodt(variant, source, line_height, contents(variant, source.truth, None)),
                            encoding="utf-8")
            sources.append((layout, source, path))
        convert([path for _, _, path in sources], workdir)
        for layout, source, path in sources:
            measured = check_pdf(path.with_suffix(".pdf"), variant, source.truth,
                                 contents(variant, source.truth, None))
            if not shows_hard_cases(variant, measured):
                continue
            candidate = (layout, source, path, measured)
            if not long_notes or long_notes & set(measured.continued_beside_body):
                found = candidate
                break
            fallback = fallback or candidate
        if found:
            return found
        print(f"{variant.name}: line height {line_height}%: no layout shows all hard cases", file=sys.stderr)
        if fallback and round_ == 2:
            # Writer splits a note only when its anchor is on the last line or two of a
            # page; accept a shorter continued note rather than search for ever.
            return fallback
    raise Mismatch(f"{variant.name}: no layout found")


def build_variant(variant: Variant, workdir: Path, out: Path, keep: Path | None) -> None:
    layout, source, path, measured = search_layout(variant, workdir)
    truth = source.truth
    toc = contents(variant, truth, measured.heading_pages)
    if toc:
        # Second conversion with the real page numbers on the contents page.
        path = workdir / f"{variant.name}.fodt"
        path.write_text(fodt(variant, source, layout.line_height, toc), encoding="utf-8")
        convert([path], workdir)
        final = check_pdf(path.with_suffix(".pdf"), variant, truth, toc)
        if final.heading_pages != measured.heading_pages or not shows_hard_cases(variant, final):
            raise Mismatch(f"{variant.name}: the contents page moved the layout")
        measured = final
    pdf = path.with_suffix(".pdf")
    size = pdf.stat().st_size
    if size >= 150_000:
        raise Mismatch(f"{variant.name}: PDF is {size} bytes")
    if variant.layouts:
        out = out / "layouts"
        out.mkdir(exist_ok=True)
    shutil.copyfile(pdf, out / f"{variant.name}.pdf")
    if keep:
        shutil.copyfile(path, keep / f"{variant.name}.fodt")
    word = variant.word_style
    record = {
        "source": f"{variant.name}.pdf",
        "producer": "LibreOffice Writer (tests/pdfs/make_wordprocessor_pdfs.py)",
        "layout": variant.description,
        "paper": variant.paper,
        "pages": measured.pages,
        "header": H_TITLE if word else variant.header[0],
        "header_regex": (rf"^(?:{re.escape(H_TITLE)}\s+\d+|\d+\s+{re.escape(H_DATE)})$" if word
                         else rf"^{re.escape(variant.header[0])}$"),
        "footer": variant.footer,
        "footer_regex": rf"^Pagina (\d+) van {measured.pages}$" if variant.footer else None,
        "front_pages": 2 if word else 0,
        "cover": H_COVER if word else [],
        "toc": [[level, number, text, int(page)] for level, number, text, page in toc],
        "first_note": variant.first_note,
        "headings": truth.headings,
        "heading_pages": measured.heading_pages,
        "headings_at_page_bottom": [truth.headings[i][2] for i in measured.headings_at_page_bottom],
        "paragraphs": truth.paragraphs,
        "continued_paragraphs": measured.continued_paragraphs,
        "table_cells": source.cells,
        "footnotes": {str(n): text for n, text in truth.footnotes.items()},
        "footnote_paragraphs": {str(n): [note_plain(p, n, Truth()) for p in source.notes[k].split("\n\n")]
                                for k, n in truth.note_keys.items() if "\n\n" in source.notes[k]},
        "markers": {str(n): text for n, text in truth.markers.items()},
        "markers_before_page_break": measured.markers_before_page_break,
        "notes_per_page": {str(p): c for p, c in sorted(measured.notes_per_page.items())},
        "continued_notes": measured.continued_notes,
        "links": truth.links,
        "printed_urls": truth.printed_urls,
        "line_end_hyphens": measured.line_end_hyphens,
    }
    if not variant.extended_truth:
        record = {key: value for key, value in record.items() if key not in EXTENDED_KEYS}
    if variant.layouts:
        record = layouts_record(variant, source, measured, record)
    target = out / f"{variant.name}.truth.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tmp.replace(target)
    print(f"{variant.name}: {measured.pages} pages, {len(truth.footnotes)} notes, {size} bytes, continued notes "
          f"{measured.continued_notes}, continued paragraphs {measured.continued_paragraphs}, headings at page "
          f"bottom {record.get('headings_at_page_bottom', [])}, markers before a page break "
          f"{measured.markers_before_page_break}, {layout}")


def layouts_record(variant: Variant, source: Source, measured: Measured, record: dict) -> dict:
    """The truth in the shape of toolkit.sample.ReportTruth's notes and running lines.

    Notes are listed in document order with their printed label and key (the label's
    numbering run: a chapter, a page), so restarting numbers stay apart.
    """
    from toolkit.document import note_key

    truth = source.truth
    order = sorted(truth.footnotes)
    if variant.numbering == "document":
        groups = [0 for _ in order]
    elif variant.numbering == "chapter":
        groups = [truth.chapters[n] for n in order]
    else:
        groups = [measured.note_pages[n][0] for n in order]
    runs: dict[object, int] = {}
    block = {n: {"para": "paragraph", "item": "item", "heading": "heading"}[kind]
             for kind, _, markers in truth.stream for n, _ in markers}
    notes, keys = [], {}
    for n, group in zip(order, groups):
        run = runs.setdefault(group, len(runs) + 1)
        label = measured.labels[n]
        keys[n] = note_key(label, run)
        notes.append({"label": label, "key": keys[n], "run": run, "text": truth.footnotes[n],
                      "pages": measured.note_pages[n], "marker_page": measured.marker_pages[n],
                      "before": truth.markers[n], "block": block[n]})
    running = []
    for page in range(1, measured.pages + 1):
        running.append({"page": page, "kind": "header", "text": variant.header[1 - page % 2]})
        if variant.footer:
            running.append({"page": page, "kind": "pageNum",
                            "text": variant.footer.format(page=page, pages=measured.pages)})
    keep = ("source", "producer", "layout", "paper", "pages", "header", "footer", "footer_regex", "headings",
            "paragraphs", "continued_paragraphs", "line_end_hyphens")
    out = {key: record[key] for key in keep}
    out.update(numbering=variant.numbering, notes=notes, running=running,
               continued_notes=[keys[n] for n in measured.continued_notes],
               links=[dict(link, note=None if link["note"] is None else keys[link["note"]]) for link in truth.links],
               printed_urls=[dict(url, note=keys[url["note"]]) for url in truth.printed_urls])
    return out


# Truth keys only the second report's layouts carry (see tests/pdfs/README.md).
EXTENDED_KEYS = ("header_regex", "front_pages", "cover", "toc", "first_note", "heading_pages",
                 "headings_at_page_bottom", "table_cells", "footnote_paragraphs", "markers_before_page_break",
                 "notes_per_page")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep-fodt", type=Path, help="also copy the .fodt sources to this folder")
    parser.add_argument("--only", help="build only the variant with this name (lo-word-style, lo-dense-notes, ...)")
    parser.add_argument("--out", type=Path, default=HERE,
                        help="write the PDFs and truth files to this folder (default: next to this script)")
    args = parser.parse_args()
    names = [variant.name for variant in VARIANTS]
    if args.only and args.only not in names:
        parser.error(f"--only takes one of {', '.join(names)}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="coitool-lo-") as tmp:
        for variant in VARIANTS:
            if args.only and variant.name != args.only:
                continue
            build_variant(variant, Path(tmp), args.out, args.keep_fodt)


if __name__ == "__main__":
    main()
