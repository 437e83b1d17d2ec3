"""Language identification: accuracy floors on the labelled fragments, the CLI, and document tagging."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner
from langid_windows import WINDOW_KIND, expected_windows

from toolkit.cli import main
from toolkit.lang.identify import LinguaEngine, RuleFirstIdentifier, get_identifier, word_count
from toolkit.lang.tag import tag_languages
from toolkit.document import (
    Division,
    Document,
    Footnote,
    NoteAnchor,
    PageBreak,
    Paragraph,
    SourceInfo,
    Span,
    Text,
    iter_spans,
    plain_text,
)

FRAGMENTS = Path(__file__).parent / "data" / "langid_fragments.tsv"


def load_fragments() -> list[tuple[str, str, str]]:
    with FRAGMENTS.open(encoding="utf-8") as handle:
        rows = [line for line in handle if line.strip() and not line.startswith("#")]
    return [(r["lang"], r["kind"], r["text"]) for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE)]


def bucket(text: str) -> str:
    n = word_count(text)
    return "<=3" if n <= 3 else ("4-8" if n <= 8 else ">8")


@pytest.fixture(scope="module")
def fragments():
    return load_fragments()


@pytest.fixture(scope="module")
def answers(fragments):
    texts = [text for _lang, _kind, text in fragments]
    return {engine: get_identifier(engine).detect_many(texts) for engine in ("lingua", "langdetect")}


def accuracy(fragments, guesses, key) -> dict[str, float]:
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (lang, kind, text), guess in zip(fragments, guesses):
        cell = table[key(lang, kind, text)]
        cell[0] += guess.lang == lang
        cell[1] += 1
    return {k: ok / total for k, (ok, total) in table.items()}


def test_labelled_set_is_large_and_balanced(fragments):
    assert len(fragments) >= 320
    assert sum(bucket(text) == "<=3" for _l, _k, text in fragments) * 3 >= len(fragments)
    langs = {lang for lang, _k, _t in fragments}
    assert {"nl", "en", "de", "ru", "und"} <= langs and len(langs) > 5
    assert len({text for _l, _k, text in fragments}) == len(fragments), "duplicate fragments"
    windows = [(lang, text) for lang, kind, text in fragments if kind == WINDOW_KIND]
    for lang in ("nl", "en", "de"):
        assert sum(1 for l, _t in windows if l == lang) >= 200, lang
    assert {word_count(text) for _l, text in windows} == {2, 3}


def test_windows_are_every_window_of_the_sentences(fragments):
    """The window rows are the mechanical cut of data/langid_sentences.tsv, none added or left out by hand."""
    assert [(lang, text) for lang, kind, text in fragments if kind == WINDOW_KIND] == expected_windows()


# Floors on the labelled set; ``und`` counts as wrong wherever the label is a language.
@pytest.mark.parametrize(("length", "floor"), [(">8", 0.99), ("4-8", 0.97), ("<=3", 0.95)])
def test_default_engine_length_floors(fragments, answers, length, floor):
    by_length = accuracy(fragments, answers["lingua"], lambda lang, kind, text: bucket(text))
    assert by_length[length] >= floor


def test_default_engine_per_language_floors(fragments, answers):
    by_lang = accuracy(fragments, answers["lingua"], lambda lang, kind, text: lang)
    for lang in ("nl", "en", "de"):
        assert by_lang[lang] >= 0.95, lang
    assert by_lang["und"] >= 0.94  # names and acronyms: Memorial and two Norwegian series titles pass for language


@pytest.mark.parametrize("engine", ["lingua", "langdetect"])
def test_window_floors_per_language(fragments, answers, engine):
    """2-3-word windows of ordinary sentences: an answer for (nearly) every one, and the right one."""
    windows = accuracy(fragments, answers[engine], lambda lang, kind, text: (kind == WINDOW_KIND, lang))
    floor = 0.95 if engine == "lingua" else 0.90
    for lang in ("nl", "en", "de"):
        assert windows[(True, lang)] >= floor, lang
    guesses = [g for (_l, kind, _t), g in zip(fragments, answers[engine]) if kind == WINDOW_KIND]
    assert sum(g.lang == "und" for g in guesses) <= 0.01 * len(guesses)


@pytest.mark.parametrize("engine", ["lingua", "langdetect"])
def test_names_acronyms_numbers_and_urls_stay_undetermined(fragments, answers, engine):
    kinds = accuracy(fragments, answers[engine], lambda lang, kind, text: (lang, kind))
    for kind in ("acronym", "number", "url"):
        assert kinds[("und", kind)] == 1.0, kind
    assert kinds[("und", "name")] >= (0.94 if engine == "lingua" else 0.80)  # Memorial, Istories pass for English


@pytest.mark.parametrize("engine", ["lingua", "langdetect"])
def test_no_wrong_answer_on_cyrillic(fragments, answers, engine):
    wrong = [(t, g) for (lang, _k, t), g in zip(fragments, answers[engine]) if lang == "ru" and g.lang != "ru"]
    assert not wrong
    # and no Latin-script fragment is ever called Russian
    assert not [t for (lang, _k, t), g in zip(fragments, answers[engine]) if lang != "ru" and g.lang == "ru"]


def test_other_languages_are_not_forced_into_the_four(fragments, answers):
    for (lang, _k, text), guess in zip(fragments, answers["lingua"]):
        if lang not in ("nl", "en", "de", "ru", "und"):
            assert guess.lang not in ("nl", "en", "de", "ru"), text


def test_langdetect_floors(fragments, answers):
    by_length = accuracy(fragments, answers["langdetect"], lambda lang, kind, text: bucket(text))
    assert by_length[">8"] >= 0.97
    assert by_length["4-8"] >= 0.93
    assert by_length["<=3"] >= 0.90


@pytest.mark.parametrize("engine", ["lingua", "langdetect"])
def test_deterministic_and_detect_agrees_with_batch(fragments, answers, engine):
    texts = [text for _l, _k, text in fragments][::7]
    identifier = get_identifier(engine)
    assert [identifier.detect(t) for t in texts] == answers[engine][::7]
    assert identifier.detect_many(texts) == answers[engine][::7]


def test_identifier_is_cached_and_validates_engine():
    assert get_identifier() is get_identifier("lingua")
    with pytest.raises(ValueError, match="engine"):
        get_identifier("cld3")
    with pytest.raises(ValueError, match="language code"):
        get_identifier(languages=("nl", "xx"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        # function words are evidence, also two of them alone
        ("on the", "en"), ("the rabbits", "en"), ("prices are rising", "en"), ("op 5 mei", "nl"),
        ("om er", "nl"), ("om haar meteen", "nl"), ("gesprekken met betrokken", "nl"), ("nach dem", "de"),
        # so are common capitalised words; -ei is German, not a Russian name ending
        ("Civil Rights", "en"), ("Germany's Army", "en"), ("Bayerische Polizei", "de"), ("Partei", "de"),
        ("Samenvatting", "nl"), ("Haftbedingungen", "de"),
    ],
)
def test_short_fragments_with_evidence_get_a_language(text, lang):
    guess = get_identifier().detect(text)
    assert guess.lang == lang and 0.5 <= guess.confidence <= 1.0


def test_context_decides_fragments_without_evidence():
    identifier = get_identifier()
    assert identifier.detect("Mobilisatie van reservisten in de regio's").lang == "nl"
    # the identifiers disagree and none is sure: undetermined alone, the language around it in context
    weak = identifier.detect("sister works")
    assert weak.lang == "und" and weak.confidence < 0.5
    assert identifier.detect("sister works", context="en").lang == "en"
    for context in ("nl", "en", "de"):
        assert identifier.detect("Kommersant", context=context).lang == "und"  # a name has no language
    assert identifier.detect("", context="de").lang == "und"


def test_min_confidence_turns_unsure_answers_into_und_or_the_context():
    identifier = get_identifier()
    sure = identifier.detect("Bayerische Polizei")
    assert sure.lang == "de" and sure.confidence < 0.99
    assert identifier.detect("Bayerische Polizei", min_confidence=0.99) == type(sure)("und", sure.confidence)
    assert identifier.detect("Bayerische Polizei", min_confidence=0.99, context="nl").lang == "nl"
    assert identifier.detect("Bayerische Polizei", min_confidence=0.5) == sure
    assert identifier.detect("Повестка в военкомат", min_confidence=0.99).lang == "ru"  # script: sure


class CountingEngine(LinguaEngine):
    """lingua, recording which languages the high-accuracy models were asked about."""

    def __init__(self, languages):
        super().__init__(languages)
        self.closer: list[tuple[tuple[str, ...], list[str]]] = []

    def scores(self, texts, languages):
        self.closer.append((tuple(sorted(languages)), list(texts)))
        return super().scores(texts, languages)


def test_high_accuracy_models_only_where_cheap_evidence_does_not_settle():
    engine = CountingEngine(("nl", "en", "de", "ru"))
    identifier = RuleFirstIdentifier(engine, ("nl", "en", "de", "ru"), prior="nl")
    settled = ["in the", "om te", "vor dem", "de oproep werd verstuurd", "Повестка", "FSB", "2024",
               "The court rejected the appeal and upheld the sentence."]
    assert [g.lang for g in identifier.detect_many(settled)] == ["en", "nl", "de", "nl", "ru", "und", "und", "en"]
    assert engine.closer == []
    # German words in a Dutch document: a closer look, at Dutch and German only
    assert identifier.detect("strenge Haftbedingungen").lang == "de"
    assert engine.closer == [(("de", "nl"), ["strenge Haftbedingungen"])]
    # a capitalised word may be a name: judged against all the languages
    assert identifier.detect("Haftbedingungen").lang == "de"
    assert engine.closer[1:] == [(("de", "en", "nl"), ["Haftbedingungen"])]


def run_cli(args, stdin=None):
    return CliRunner().invoke(main, ["lang", *args], input=stdin)


def test_cli_reads_stdin_and_text():
    result = run_cli(["-"], "Wehrpflicht und Ausreisesperre für Reservisten\nПовестка в военкомат\n\nFSB\n")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.output.splitlines()]
    assert [(r[0], r[2]) for r in rows] == [
        ("de", "Wehrpflicht und Ausreisesperre für Reservisten"),
        ("ru", "Повестка в военкомат"),
        ("und", "FSB"),
    ]
    assert all(0.0 <= float(r[1]) <= 1.0 for r in rows)
    result = run_cli(["The court rejected the appeal.\nDe rechtbank wees het beroep af.", "--langid", "langdetect"])
    assert result.exit_code == 0, result.output
    assert [line.split("\t")[0] for line in result.output.splitlines()] == ["en", "nl"]


def test_cli_answers_short_lines_and_min_confidence_abstains():
    lines = "on the\nom haar meteen\nnach dem\nBayerische Polizei\nKommersant\n"
    rows = [line.split("\t") for line in run_cli(["-"], lines).output.splitlines()]
    assert [r[0] for r in rows] == ["en", "nl", "de", "de", "und"]
    sure = {r[2]: float(r[1]) for r in rows}
    result = run_cli(["-", "--min-confidence", "0.99"], lines)
    assert result.exit_code == 0, result.output
    strict = [line.split("\t") for line in result.output.splitlines()]
    assert [r[0] for r in strict] == [r[0] if sure[r[2]] >= 0.99 else "und" for r in rows]
    assert [float(r[1]) for r in strict] == [float(r[1]) for r in rows]  # the confidence is still shown
    assert run_cli(["Bayerische Polizei", "--min-confidence", "0.99", "--context", "nl"]).output.startswith("nl\t")


def test_cli_languages_are_the_candidates():
    result = run_cli(["De rechtbank wees het beroep af.", "--languages", "de,en"])
    assert result.exit_code == 0, result.output
    assert result.output.split("\t")[0] in ("de", "en")
    result = run_cli(["Der Staat", "--languages", "de,en", "--langid", "langdetect"])
    assert result.output.split("\t")[0] == "de"


def test_cli_usage_errors():
    result = run_cli(["tekst", "--langid", "cld3"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert run_cli([]).exit_code == 2
    assert "Examples" in run_cli(["--help"]).output
    for bad in (["x", "--min-confidence", "2"], ["x", "--languages", "nl,xx"], ["x", "--languages", "dutch"]):
        result = run_cli(bad)
        assert result.exit_code == 2 and "Traceback" not in result.output, bad
        assert "Error:" in result.output


def sample_document() -> tuple[Document, Paragraph, Footnote]:
    title_ru = Span("title", [Text("Власти ввели электронный реестр повесток")])
    title_en = Span("title", [Text("How the army recruits prisoners for the front")])
    title_nl = Span("title", [Text("Het wordt steeds moeilijker om aan de oproep te ontkomen")])
    note = Footnote(
        7,
        [
            Span("bibl", [Text("Meduza, "), title_ru, Text(", 3 maart 2024")]),
            Text("; "),
            Span("bibl", [Text("The Insider, "), title_en, Text(", 12 april 2023")]),
            Text("; "),
            Span("bibl", [Text("Verstka, “"), title_nl, Text("”, 11 april 2023 (RU).")]),
            Text(" The source adds that the register was never tested in the northern regions."),
        ],
    )
    paragraph = Paragraph(
        [
            Text("Sinds november werkt het digitale register, dat officieel het “Unified Register of Military "),
            Span("ref", [Text("Registration”")], {"target": "https://example.org/register"}),
            Text(" heet, in alle regio's van het land."),
            NoteAnchor("fn7"),
            Text(" De autoriteiten sturen oproepen nu elektronisch naar dienstplichtigen. "),
            PageBreak(4),
            Text("Officials said the register had been tested in three regions before its launch."),
        ]
    )
    body = [
        Division(
            "chapter",
            "1",
            [Text("Mobilisatie")],
            [paragraph, Paragraph([Text("Wie niet reageert, kan zijn rijbewijs kwijtraken en mag geen huis verkopen.")])],
        )
    ]
    doc = Document(SourceInfo("rapport.pdf", "0" * 64, 4, 1000), "Rapport", lang="nl", blocks=body, footnotes={note.key: note})
    return doc, paragraph, note


@pytest.mark.parametrize("engine", ["lingua", "langdetect"])
def test_tag_languages_marks_mixed_content_without_changing_text(engine):
    doc, paragraph, note = sample_document()
    before = (plain_text(paragraph.content), plain_text(note.content))
    tag_languages(doc, engine=engine)
    assert (plain_text(paragraph.content), plain_text(note.content)) == before
    assert doc.lang == "nl"
    assert paragraph.lang is None and doc.blocks[0].lang is None  # Dutch: inherited
    titles = {plain_text(s.children): s.lang for s in iter_spans(note.content) if s.kind == "title"}
    assert titles == {
        "Власти ввели электронный реестр повесток": "ru",
        "How the army recruits prisoners for the front": "en",
        "Het wordt steeds moeilijker om aan de oproep te ontkomen": None,
    }
    segs = {plain_text(s.children): s.lang for s in iter_spans(note.content) if s.kind == "seg"}
    assert segs == {"The source adds that the register was never tested in the northern regions.": "en"}
    spans = [(s.kind, plain_text(s.children), s.lang) for s in iter_spans(paragraph.content) if s.kind != "ref"]
    assert ("seg", "Officials said the register had been tested in three regions before its launch.", "en") in spans
    assert ("foreign", "Unified Register of Military Registration", "en") in spans
    assert not [s for s in spans if s[2] == "nl"]
    # the note anchor stays with the sentence it follows, the page break outside the English one
    assert isinstance(paragraph.content[-1], Span) and isinstance(paragraph.content[-2], PageBreak)
    assert doc.language_shares["nl"] > doc.language_shares["en"] > doc.language_shares["ru"] > 0
    assert sum(doc.language_shares.values()) == pytest.approx(1.0)


def test_tag_languages_decides_main_language_from_body():
    doc, _paragraph, _note = sample_document()
    english = [
        Paragraph([Text("The authorities introduced an electronic register that allows summonses to be served.")]),
        Paragraph([Text("Men who ignored a summons could lose their driving licence and were barred from travel.")]),
        Paragraph([Text("Lawyers defending political prisoners have increasingly become targets themselves.")]),
    ]
    doc.blocks[0].blocks.extend(english)
    doc.blocks.append(Division("chapter", "2", [Text("Background")], english * 3))
    doc.lang = "nl"
    tag_languages(doc)
    assert doc.lang == "en"
    assert doc.blocks[0].lang is None and doc.blocks[1].lang is None
    assert doc.blocks[0].blocks[0].lang == "nl"


def test_short_fragments_inherit_unless_clearly_in_another_language():
    """A heading, a list item or a quoted word too short to vote: own xml:lang only on clear evidence."""
    dutch = Paragraph([Text("De dienstplichtigen moeten zich binnen twee weken bij het rekruteringsbureau melden.")])
    quoted = Paragraph([Text("Het Duitse woord „Wehrpflicht” en de naam „Kommersant” komen in het verslag voor.")])
    chapters = [
        Division("chapter", "1", [Text("Samenvatting")], [dutch]),
        Division("chapter", "2", [Text("Haftbedingungen")], [quoted]),
    ]
    doc = Document(SourceInfo("rapport.pdf", "0" * 64, 2, 100), "Rapport", lang="nl", blocks=chapters)
    tag_languages(doc)
    assert doc.lang == "nl"
    assert chapters[0].head == [Text("Samenvatting")]  # Dutch in Dutch: inherited
    (seg,) = chapters[1].head
    assert isinstance(seg, Span) and (seg.kind, seg.lang, plain_text(seg.children)) == ("seg", "de", "Haftbedingungen")
    foreign = [(s.kind, plain_text(s.children), s.lang) for s in iter_spans(quoted.content)]
    assert foreign == [("foreign", "Wehrpflicht", "de")]  # the name stays in the sentence's language

