"""Language identification: accuracy floors on the labelled fragments, the CLI, and document tagging."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.lang.identify import get_identifier, word_count
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


@pytest.mark.parametrize(("length", "floor"), [(">8", 0.99), ("4-8", 0.97), ("<=3", 0.93)])
def test_default_engine_length_floors(fragments, answers, length, floor):
    by_length = accuracy(fragments, answers["lingua"], lambda lang, kind, text: bucket(text))
    assert by_length[length] >= floor


def test_default_engine_per_language_floors(fragments, answers):
    by_lang = accuracy(fragments, answers["lingua"], lambda lang, kind, text: lang if len(lang) == 2 else lang)
    for lang in ("nl", "en", "de"):
        assert by_lang[lang] >= 0.95, lang
    assert by_lang["und"] >= 0.90


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
    assert by_length["<=3"] >= 0.75


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


def test_context_decides_weak_fragments():
    identifier = get_identifier()
    assert identifier.detect("Mobilisatie van reservisten in de regio's").lang == "nl"
    weak = identifier.detect("op 5 mei")
    assert weak.lang == "und" and weak.confidence < 0.55
    assert identifier.detect("op 5 mei", context="nl").lang == "nl"
    assert identifier.detect("Kommersant", context="nl").lang == "und"  # a name has no language
    assert identifier.detect("", context="de").lang == "und"


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


def test_cli_usage_errors():
    result = run_cli(["tekst", "--langid", "cld3"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert run_cli([]).exit_code == 2
    assert "Examples" in run_cli(["--help"]).output


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
