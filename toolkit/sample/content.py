"""Invented content of the sample reports: a fictional country, "Fictiland".

The hand-written chapters carry the hard cases of real reports (markers glued to numbers,
decimals and section numbers; notes in a row; numbers that are not markers; Cyrillic,
German, English and Norwegian citations; long URLs); seeded filler sections grow a report
to any length. Markup: in body text "^" is a footnote marker (takes the next note of the
block), "[[words|uri]]" a link annotation. In notes "{title|uri|lang}" is a citation title
(linked when uri is given), "<url>" a printed URL, "<!url>" one on a line of its own.
"""

from __future__ import annotations

import math
import random

TITLE = "Thematisch ambtsbericht Fictiland"
SUBTITLE = "Militaire dienstplicht en mobilisatie, LHBTIQ+, critici en opposanten"
REPORT_DATE = "3 maart 2025"
AUTHOR = "Ministerie van Buitenlandse Zaken"
HEADER_TEXT = f"{TITLE} | {REPORT_DATE}"

GLUED = "\x00"  # a note starting with this is printed with its number glued to the text
URL_LONG = (
    "https://coi.euaa.europa.eu/administration/easo/PLib/2024_10_EUAA_COI_Query_Response_Q61_"
    "Fictiland_Military_service_conscription_mobilisation_and_treatment_of_evaders_and_deserters.pdf"
)
FORCE_SPLIT = "\x01"  # a long note the layout may split over two pages
REPEATABLE = "\x02"  # a seeded note the layout may print as "Ibid." (see ReportStyle.repeated_notes)

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


def _filler_paragraph(rng: random.Random, non_markers: list[str], note_share: float = 0.45) -> tuple[str, list[str]]:
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
        if rng.random() < note_share:
            s += "^"
            notes.append(_filler_note(rng))
        sentences.append(s)
    return " ".join(sentences), notes


def _filler_section(seed: int, index: int, number: str, non_markers: list[str], note_share: float = 0.45) -> list[tuple]:
    rng = random.Random(f"coitool-sample-{seed}-{index}")
    items: list[tuple] = [("h2", number, rng.choice(FILLER_TOPICS))]
    for sub in range(rng.randint(1, 2)):
        if sub:
            items.append(("h3", f"{number}.{sub}", rng.choice(FILLER_TOPICS).split()[0] + " in de praktijk"))
        for k in range(rng.randint(3, 5)):
            if k == 2 and rng.random() < 0.3:
                items.append(("h4", None, rng.choice(SUB_HEADINGS)))
            text, notes = _filler_paragraph(rng, non_markers, note_share)
            items.append(("p", text, notes))
        if rng.random() < 0.25:
            items.append(("p", "De maatregelen betroffen onder meer:", []))
            bullets = []
            for _ in range(rng.randint(2, 4)):
                text = f"{rng.choice(OBJECTS)}{rng.choice(TAILS)};"
                bullets.append((text[0].upper() + text[1:], []))
            items.append(("ul", bullets))
    return items


# Notes on headings (``heading_notes``): a heading's marker, and the note it points to.
HEADING_NOTES = {
    "Contractsoldaten": "Zie voor de periode vóór 2023 het algemeen ambtsbericht Fictiland van maart 2023, paragraaf 3.2.",
    "LHBTIQ+": "In dit hoofdstuk staat LHBTIQ+ voor lesbische, homoseksuele, biseksuele, transgender, intersekse en queer personen.",
}
# Notes that repeat word for word (``repeated_notes``): "Ibid." and a short citation.
IBID = "Ibid."
SHORT_CITATION = "Mediazona, Dashboard militaire strafzaken."
REPEAT_SHARES = ((IBID, 0.4), (SHORT_CITATION, 0.12))  # share of filler notes replaced by each
FILLER_NOTE_SHARE = 0.45  # share of seeded sentences that carry a note
# With repeated notes the seeded sections carry few notes, so that many pages print one or
# two short notes: "Ibid." then stands alone at the foot of the page, like a running footer.
SPARSE_NOTE_SHARE = 0.12
# Core paragraphs that get a closing sentence citing "Ibid." (every second), so that repeats
# stand on the pages of the hand-written chapters too.
REPEAT_CORE_EVERY = 2
REPEAT_SENTENCE = "Dat beeld bleef in de rest van de verslagperiode ongewijzigd."


def compose(chapters: int, seed: int, extra_sections: int, *, heading_notes: bool = False,
            repeated_notes: bool = False, repeat_salt: int = 0, summary_chars: int = 0) -> tuple[list[tuple], list[str]]:
    """The report as markup items in reading order, and the non-marker strings it contains.

    ``heading_notes`` puts markers on two headings, ``repeated_notes`` makes many seeded
    notes repeat ("Ibid.", a short citation; ``repeat_salt`` picks others), ``summary_chars`` opens the report with a
    summary of about that many characters set in the note size.
    """
    if chapters < 1:
        raise ValueError("a report needs at least one chapter")
    non_markers = list(CORE_NON_MARKERS)
    core = [list(CH1), list(CH2), list(CH3)]
    if repeated_notes:
        core = [_repeat_in_core(chapter) for chapter in core]
    if heading_notes:
        core = [[item[:2] + (item[2] + "^", [HEADING_NOTES[item[2]]]) if item[0][0] == "h" and item[2] in HEADING_NOTES
                 else item for item in chapter] for chapter in core]
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
            section = _filler_section(seed, index, f"{ci + 1}.{last_section + k + 1}", non_markers,
                                      SPARSE_NOTE_SHARE if repeated_notes else FILLER_NOTE_SHARE)
            chapter.extend(_repeat_notes(section, f"{seed}-{index}-{repeat_salt}") if repeated_notes else section)
            index += 1
    items = _summary(seed, summary_chars) if summary_chars else []
    items += _repeat_in_core(INTRO) if repeated_notes else INTRO
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
            out.append(("h1", str(number)) + item[2:])
        elif kind == "h2":
            section, sub = section + 1, 0
            out.append(("h2", f"{number}.{section}") + item[2:])
        elif kind == "h3":
            sub += 1
            out.append(("h3", f"{number}.{section}.{sub}") + item[2:])
        else:
            out.append(item)
    return out


def _repeat_in_core(items: list[tuple]) -> list[tuple]:
    """Add "Ibid." notes to the hand-written chapters; their plain notes may become "Ibid." too
    (not the hard cases: glued numbers, notes to split, printed URLs, the empty note)."""
    out, count = [], 0
    for item in items:
        if item[0] == "p" and item[2]:
            count += 1
            notes = [REPEATABLE + note if note and note[0] not in GLUED + FORCE_SPLIT and "<" not in note else note
                     for note in item[2]]
            if count % REPEAT_CORE_EVERY == 0:
                item = ("p", f"{item[1]} {REPEAT_SENTENCE}^", notes + [IBID])
            else:
                item = ("p", item[1], notes)
        out.append(item)
    return out


def _repeat_notes(items: list[tuple], seed: str) -> list[tuple]:
    """Replace a share of a seeded section's notes by notes that repeat word for word."""
    rng = random.Random(f"coitool-repeat-{seed}")
    out = []
    for item in items:
        if item[0] == "p" and item[2]:
            notes = []
            for note in item[2]:
                roll, replaced = rng.random(), note
                for text, share in REPEAT_SHARES:
                    if roll < share:
                        replaced = text
                        break
                    roll -= share
                notes.append(replaced if replaced != note else REPEATABLE + note)
            item = (item[0], item[1], notes)
        out.append(item)
    return out


SUMMARY_HEADING = "Samenvatting"


def _summary(seed: int, chars: int) -> list[tuple]:
    """A summary of about ``chars`` characters, printed in the note size (no notes)."""
    rng = random.Random(f"coitool-summary-{seed}")
    items: list[tuple] = [("h1", None, SUMMARY_HEADING)]
    written = 0
    while written < chars:
        sentences = []
        for _ in range(rng.randint(4, 7)):
            if rng.random() < 0.6:
                sentences.append(f"{rng.choice(SUBJECTS)} {rng.choice(PREDICATES)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}.")
            else:
                sentences.append(f"{rng.choice(CONNECTIVES)} {rng.choice(CLAUSES)}.")
        text = " ".join(sentences)
        items.append(("small", text, []))
        written += len(text)
    return items


def volume(items: list[tuple]) -> int:
    """Rough amount of printed text of markup items, to estimate page counts."""
    total = 0
    for item in items:
        if item[0] == "p":
            total += len(item[1]) + sum(len(n) for n in item[2]) * 0.8
        elif item[0] == "small":
            total += len(item[1]) * 0.6
        elif item[0] == "ul":
            total += sum(len(t) + 30 + sum(len(n) for n in notes) * 0.8 for t, notes in item[1])
        elif item[0] == "h1":
            total += 1500
        else:
            total += 150
    return int(total)
