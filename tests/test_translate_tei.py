"""Translating the Russian fragments of TEI files: placement, header, idempotence, validity, CLI."""

from __future__ import annotations


import pytest
from click.testing import CliRunner
from lxml import etree

from toolkit.cli import main
from toolkit.errors import InputError
from toolkit.glossary import Glossary
from toolkit.tei import T, XML_ID, XML_LANG, parse_tei, validate_tei
from toolkit.translate.pipeline import translate_tei

pytestmark = pytest.mark.usefixtures("no_network")

# A small report in the shape docs/tei.md describes: footnotes inline, citations as <bibl>,
# Russian titles and passages marked with xml:lang="ru".
REPORT_TEI = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Thematisch ambtsbericht Testland</title></titleStmt>
      <publicationStmt><publisher>Ministerie van Buitenlandse Zaken</publisher></publicationStmt>
      <sourceDesc><bibl><title>Thematisch ambtsbericht Testland</title><idno type="filename">testland.pdf</idno></bibl></sourceDesc>
    </fileDesc>
    <encodingDesc><appInfo><application ident="coitool" version="0.1.0"><label>coitool</label></application></appInfo></encodingDesc>
    <revisionDesc><change when="2025-02-14">Extracted from testland.pdf by coitool 0.1.0.</change></revisionDesc>
  </teiHeader>
  <text xml:lang="nl">
    <body>
      <div type="chapter" n="1">
        <head>Militaire dienstplicht</head>
        <p>Dienstplichtigen ontvangen een oproep.<note place="foot" n="1" xml:id="fn1"><bibl><orgName>Meduza</orgName>, <title level="a" xml:lang="ru"><ref target="https://example.org/a">Военкомат разослал повестки иностранным агентам</ref></title>, <date when="2024-03-12">12 maart 2024</date> (<lang>RU</lang>)</bibl>.</note> Zij moeten zich melden.<note place="foot" n="2" xml:id="fn2">Zie ook <seg xml:lang="ru">Повестку можно получить через Госуслуги.</seg> Geraadpleegd op 1 mei 2024.</note></p>
        <p xml:lang="ru">ФСБ проверяет нежелательную организацию.</p>
        <list>
          <item xml:lang="ru">Штраф за неявку в военкомат</item>
          <item>Een Nederlands item</item>
        </list>
      </div>
    </body>
  </text>
</TEI>
"""


@pytest.fixture()
def report_tei(tmp_path):
    path = tmp_path / "testland.tei.xml"
    path.write_text(REPORT_TEI, encoding="utf-8")
    return path


def _translations(tree, lang=None):
    nodes = tree.getroot().iter(T + "title", T + "note")
    return [
        n for n in nodes
        if n.get("resp") == "#coitool-mt" and (lang is None or n.get(XML_LANG) == lang)
    ]


def _string(node) -> str:
    return "".join(node.itertext())


def test_titles_get_a_translated_sibling_with_marked_terms(installed_models, report_tei, mt_glossary, tmp_path):
    out = tmp_path / "out.tei.xml"
    report = translate_tei(report_tei, out, "en", glossary=mt_glossary)
    assert (report.fragments, report.translated, report.mode) == (1, 1, "model")
    tree = parse_tei(out)
    assert validate_tei(tree) == []
    (translated,) = _translations(tree)
    original = translated.getprevious()
    assert original.get(XML_LANG) == "ru" and original.get("level") == "a"
    assert translated.get("type") == "translated" and translated.get("cert") == "medium"
    assert _string(translated) == "Military enlistment office разослал summons foreign agent"
    assert [(t.get("ref"), t.text) for t in translated.iter(T + "term")] == [
        ("#gloss-voenkomat", "Military enlistment office"),
        ("#gloss-povestka", "summons"),
        ("#gloss-inoagent", "foreign agent"),
    ]
    # The note keeps the text that followed the title.
    assert translated.tail == ", "
    bibl = translated.getparent()
    assert _string(bibl).startswith("Meduza, Военкомат разослал повестки иностранным агентам")

    header = tree.getroot().find(T + "teiHeader")
    resp = header.find(f"{T}fileDesc/{T}titleStmt/{T}respStmt")
    assert resp.get(XML_ID) == "coitool-mt"
    names = {n.get("type"): n.text for n in resp.findall(T + "name")}
    assert "argostranslate 1.12" in names["engine"] and "CTranslate2" in names["engine"]
    assert names["model"] == "translate-ru_en-1_0 (ru-en, version 1.0)"
    assert names["glossary"] == f"test-asylum 3 ({mt_glossary.checksum})"
    categories = header.findall(f"{T}encodingDesc/{T}classDecl/{T}taxonomy/{T}category")
    assert sorted(c.get(XML_ID) for c in categories) == ["gloss-inoagent", "gloss-povestka", "gloss-voenkomat"]
    changes = header.findall(f"{T}revisionDesc/{T}change")
    assert len(changes) == 2 and changes[1].get("who") == "#coitool-mt" and "into en" in changes[1].text


def test_running_twice_replaces_instead_of_duplicating(installed_models, report_tei, mt_glossary):
    translate_tei(report_tei, report_tei, "en", what="all-ru", glossary=mt_glossary)
    first = report_tei.read_bytes()
    report = translate_tei(report_tei, report_tei, "en", what="all-ru", glossary=mt_glossary)
    assert report.replaced == 4
    tree = parse_tei(report_tei)
    assert len(_translations(tree, "en")) == 4
    assert len(tree.getroot().findall(f".//{T}respStmt")) == 1
    assert len(tree.getroot().findall(f".//{T}taxonomy")) == 1
    assert validate_tei(tree) == []
    # Apart from the extra revisionDesc/change and the checksum of what was translated (the
    # first run's output this time), the document is the same as after the first run.
    second = report_tei.read_bytes()
    sources = [etree.fromstring(data).findall(f".//{T}respStmt/{T}note[@type='source']/{T}idno") for data in (first, second)]
    assert [len(s) for s in sources] == [1, 1] and sources[0][0].text != sources[1][0].text
    strip = lambda data: etree.tostring(_without_changes(etree.fromstring(data)))  # noqa: E731
    assert strip(first) == strip(second)


def _without_changes(root):
    for change in root.iter(T + "change"):
        if change.get("who") == "#coitool-mt":
            change.getparent().remove(change)
    for checksum in root.findall(f".//{T}respStmt/{T}note[@type='source']/{T}idno"):
        checksum.text = ""
    return root


def test_all_ru_adds_translation_notes_and_languages_coexist(installed_models, report_tei, mt_glossary, tmp_path):
    out = tmp_path / "out.tei.xml"
    translate_tei(report_tei, out, "en", what="all-ru", glossary=mt_glossary)
    translate_tei(out, out, "de", what="all-ru", glossary=mt_glossary)
    tree = parse_tei(out)
    assert validate_tei(tree) == []
    english, german = _translations(tree, "en"), _translations(tree, "de")
    assert len(english) == len(german) == 4
    seg = tree.getroot().find(f".//{T}seg")
    note = seg.getnext()
    assert (note.get("type"), note.get(XML_LANG), _string(note)) == (
        "translation", "en", "Summons можно получить через Госуслуги."
    )
    assert note.getnext().get(XML_LANG) == "de" and note.getnext().tail == " Geraadpleegd op 1 mei 2024."
    paragraph = tree.getroot().find(f".//{T}p[@{XML_LANG}='ru']")
    assert _string(paragraph.getnext()) == "FSB проверяет undesirable organisation."
    assert _string(paragraph.getnext().getnext()) == "FSB проверяет unerwünschte Organisation."
    item = tree.getroot().find(f".//{T}item[@{XML_LANG}='ru']")
    assert _string(item.getnext()) == "Штраф за неявку в military enlistment office"
    resp = tree.getroot().find(f".//{T}respStmt")
    models = [n.text for n in resp.findall(T + "name") if n.get("type") == "model"]
    assert models == [
        "translate-ru_en-1_0 (ru-en, version 1.0)",
        "translate-en_de-1_0 (en-de, version 1.0)",
    ]


def test_glossary_only_tei_is_marked_low_certainty(models_home, report_tei, mt_glossary, tmp_path):
    out = tmp_path / "out.tei.xml"
    report = translate_tei(report_tei, out, "nl", what="all-ru", glossary=mt_glossary)
    assert report.mode == "glossary-only" and "coitool models install" in report.notice
    tree = parse_tei(out)
    assert validate_tei(tree) == []
    (title,) = [n for n in _translations(tree) if n.tag == T + "title"]
    assert title.get("cert") == "low"
    assert _string(title) == "Militair commissariaat разослал oproep buitenlandse agent"
    resp = tree.getroot().find(f".//{T}respStmt")
    assert "glossary-only" in " ".join(n.text for n in resp.findall(T + "name"))


def test_tei_using_an_entity_is_refused_and_nothing_is_written(installed_models, tmp_path, mt_glossary):
    """An external entity is never read; the file is refused instead of copied half-translated."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    evil = tmp_path / "evil.tei.xml"
    evil.write_text(
        REPORT_TEI.replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE TEI [<!ENTITY leak SYSTEM "file://{secret}">]>',
        ).replace("Zij moeten", "&leak; Zij moeten"),
        encoding="utf-8",
    )
    evil_bytes = evil.read_bytes()
    line = next(n for n, text in enumerate(evil.read_text(encoding="utf-8").splitlines(), 1) if "&leak;" in text)
    out = tmp_path / "out.tei.xml"
    with pytest.raises(InputError) as caught:
        translate_tei(evil, out, "en", glossary=mt_glossary, validate=False)
    assert str(caught.value) == (
        f"{evil}:{line}: entity reference &leak; is not allowed (coitool does not expand entities; replace it by its text)"
    )
    assert "TOP SECRET" not in str(caught.value)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["evil.tei.xml", "models", "secret.txt"]  # no temporary file left
    assert evil.read_bytes() == evil_bytes

    done = CliRunner().invoke(main, ["translate", str(evil), "--to", "en", "-o", str(out)])
    assert done.exit_code == 1
    assert done.output == f"Error: {caught.value}\n"
    assert not out.exists()


def test_cli_translate_file_text_and_stdin(installed_models, report_tei, mt_glossary_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli.tei.xml"
    glossary = ["--no-default-glossary", "--glossary", str(mt_glossary_path)]
    done = runner.invoke(main, ["translate", str(report_tei), "--to", "de", "-o", str(out), *glossary])
    assert done.exit_code == 0, done.output
    assert "Translated 1 of 1 Russian fragments into de" in done.output
    assert _string(_translations(parse_tei(out), "de")[0]) == "Kreiswehrersatzamt разослал Einberufungsbescheid ausländischer Agent"

    done = runner.invoke(main, ["translate", "--text", "Повестка из военкомата.", "--to", "en", *glossary])
    assert done.exit_code == 0 and done.stdout == "Summons из military enlistment office.\n"

    done = runner.invoke(main, ["translate", "-", "--to", "nl", *glossary], input="повестка\n\nФСБ и военкомат\n")
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines() == ["oproep", "", "FSB и militair commissariaat"]


def test_cli_glossary_only_warns_on_stderr(models_home, mt_glossary_path):
    done = CliRunner().invoke(
        main, ["translate", "--text", "Повестки пришли.", "--to", "de", "--no-default-glossary", "--glossary", str(mt_glossary_path)]
    )
    assert done.exit_code == 0
    assert done.stdout == "Einberufungsbescheide пришли.\n"
    assert "glossary-only" in done.stderr and "coitool models install FILE.argosmodel" in done.stderr


def test_cli_errors_are_one_line(models_home, tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["translate", "--to", "en"])
    assert done.exit_code == 2 and "missing IN.tei.xml" in done.output
    done = runner.invoke(main, ["translate", "x.xml", "--text", "a", "--to", "en"])
    assert done.exit_code == 2 and "give either IN.tei.xml (or -) or --text, not both" in done.output
    done = runner.invoke(main, ["translate", "--text", "a", "--to", "fr"])
    assert done.exit_code == 2 and "'fr' is not one of 'en', 'nl', 'de'" in done.output
    broken = tmp_path / "broken.tei.xml"
    broken.write_text("<TEI><teiHeader>", encoding="utf-8")
    done = runner.invoke(main, ["translate", str(broken), "--to", "en"])
    assert done.exit_code == 1 and done.output.startswith("Error: ") and "not well-formed" in done.output
    assert len(done.output.strip().splitlines()) == 1
    not_tei = tmp_path / "other.xml"
    not_tei.write_text("<html/>", encoding="utf-8")
    done = runner.invoke(main, ["translate", str(not_tei), "--to", "en"])
    assert done.exit_code == 1 and "not a TEI document" in done.output
    done = runner.invoke(main, ["translate", str(tmp_path / "missing.xml"), "--to", "en"])
    assert done.exit_code == 1 and "no such file" in done.output
    help_text = runner.invoke(main, ["translate", "--help"]).output
    assert "Examples:" in help_text and "--what" in help_text


def test_extracted_sample_report_translates_end_to_end(installed_models, make_report, tmp_path):
    """`coitool sample` → `coitool extract` → `coitool translate`: every Russian title translated."""
    pdf, _truth = make_report("default")
    tei_path = tmp_path / "sample.tei.xml"
    runner = CliRunner()
    done = runner.invoke(main, ["extract", str(pdf), "-o", str(tei_path)])
    assert done.exit_code == 0, done.output
    before = parse_tei(tei_path)
    russian_titles = [
        t for t in before.getroot().find(T + "text").iter(T + "title") if t.get(XML_LANG) == "ru"
    ]
    assert russian_titles, "the generated report cites Russian sources"
    tei_bytes = tei_path.read_bytes()
    done = runner.invoke(main, ["translate", str(tei_path), "--to", "de"])  # the shipped glossary
    assert done.exit_code == 0, done.output
    assert tei_path.read_bytes() == tei_bytes, "the input TEI is never modified"
    after = parse_tei(tmp_path / "sample.de.tei.xml")
    translated = _translations(after, "de")
    assert len(translated) == len(russian_titles)
    glossary = Glossary.default()
    for title in translated:
        original = title.getprevious()
        assert original.get(XML_LANG) == "ru"
        # Copy models: the translation is the title with each glossary term in German.
        source = " ".join(_string(original).split())
        terms = list(title.iter(T + "term"))
        assert len(terms) == len(glossary.match(source))
        for term in terms:
            entry = glossary.get(term.get("ref").removeprefix("#gloss-"))
            assert term.text in glossary.target_forms(entry, "de") or term.text.lower() in (
                f.lower() for f in glossary.target_forms(entry, "de")
            )
    assert sum(1 for t in translated for _ in t.iter(T + "term")) >= 10
    assert validate_tei(before) == []
    assert validate_tei(after) == []
    categories = after.getroot().findall(f".//{T}taxonomy/{T}category")
    referenced = {t.get("ref")[1:] for t in after.getroot().iter(T + "term") if t.get("ref")}
    assert {c.get(XML_ID) for c in categories} == referenced


def test_glossary_only_output_says_what_it_is(models_home, report_tei, mt_glossary, tmp_path):
    """No model: the text stays Russian and is tagged so; only the rendered terms are in the target language."""
    from toolkit.tei.translation import is_glossary_only, translation_lang

    out = tmp_path / "out.tei.xml"
    report = translate_tei(report_tei, out, "nl", what="all-ru", glossary=mt_glossary)
    assert (report.mode, report.fragments, report.translated, report.glossary_only) == ("glossary-only", 4, 0, 4)
    tree = parse_tei(out)
    assert validate_tei(tree) == []
    written = _translations(tree)
    assert len(written) == 4 and all(is_glossary_only(n) for n in written)
    for node in written:
        assert (node.get("type"), node.get("subtype"), node.get(XML_LANG), node.get("cert")) == ("glossary-only", "nl", "ru", "low")
        assert translation_lang(node) == "nl"
        terms = list(node.iter(T + "term"))
        assert terms and all(t.get(XML_LANG) == "nl" for t in terms)
    (title,) = [n for n in written if n.tag == T + "title"]
    assert [(t.text, t.get("ref")) for t in title.iter(T + "term")] == [
        ("Militair commissariaat", "#gloss-voenkomat"), ("oproep", "#gloss-povestka"), ("buitenlandse agent", "#gloss-inoagent"),
    ]
    # the Russian around the terms is marked as Russian: nothing claims it is Dutch
    assert "разослал" in (title.text or "") + "".join(t.tail or "" for t in title.iter(T + "term"))
    change = tree.getroot().findall(f".//{T}revisionDesc/{T}change")[-1].text
    assert change.startswith("Glossary-only run (no translation model installed for ru-nl): glossary terms rendered into nl in 4 of 4")
    assert "no model translated them" in change and "Translated" not in change

    # a later run replaces glossary-only output into the same language, and leaves other languages alone
    translate_tei(out, out, "de", what="all-ru", glossary=mt_glossary)
    again = translate_tei(out, out, "nl", what="all-ru", glossary=mt_glossary)
    assert again.replaced == 4
    tree = parse_tei(out)
    assert sorted(translation_lang(n) for n in _translations(tree)) == ["de"] * 4 + ["nl"] * 4


def test_a_model_run_replaces_earlier_glossary_only_output(models_home, argos_packages, report_tei, mt_glossary, tmp_path):
    from toolkit.tei.translation import is_glossary_only
    from toolkit.translate.packages import install_package

    out = tmp_path / "out.tei.xml"
    translate_tei(report_tei, out, "en", glossary=mt_glossary)
    assert all(is_glossary_only(n) for n in _translations(parse_tei(out)))
    install_package(argos_packages["ru-en"], models_home)
    report = translate_tei(out, out, "en", glossary=mt_glossary)
    assert (report.mode, report.translated, report.glossary_only, report.replaced) == ("model", 1, 0, 1)
    (title,) = _translations(parse_tei(out))
    assert (title.get("type"), title.get(XML_LANG), title.get("subtype")) == ("translated", "en", None)


def test_cli_summary_of_a_glossary_only_run_is_honest(models_home, report_tei, mt_glossary_path, tmp_path):
    out = tmp_path / "cli.tei.xml"
    done = CliRunner().invoke(main, [
        "translate", str(report_tei), "--to", "de", "--what", "all-ru", "-o", str(out),
        "--no-default-glossary", "--glossary", str(mt_glossary_path),
    ])
    assert done.exit_code == 0, done.output
    assert "Translated" not in done.stderr
    assert (
        "Glossary-only: rendered glossary terms into de in 4 of 4 Russian fragments (7 terms); "
        "no model translated them, the rest of their text stays Russian; wrote"
    ) in done.stderr

    done = CliRunner().invoke(main, [
        "translate", "-", "--to", "en", "--no-default-glossary", "--glossary", str(mt_glossary_path),
    ], input="Повестка пришла.\nНичего.\n\n")
    assert done.stdout.splitlines() == ["Summons пришла.", "Ничего.", ""]
    assert "Glossary-only: rendered glossary terms into en in 1 of 2 lines; no model translated them" in done.stderr


def test_reading_view_shows_glossary_only_output_as_such(models_home, report_tei, mt_glossary, tmp_path):
    from toolkit.view import tei_to_html

    out = tmp_path / "out.tei.xml"
    translate_tei(report_tei, out, "nl", glossary=mt_glossary)
    html = etree.fromstring(tei_to_html(parse_tei(out)), etree.HTMLParser())
    (shown,) = html.findall(".//*[@data-target-lang]")
    assert "tr-glossary-only" in shown.get("class").split() and shown.get("lang") == "ru"
    assert shown.get("data-target-lang") == "nl" and shown.get("data-cert") == "low"
    assert shown.get("title").startswith("Glossary terms only, rendered into Nederlands: no model translated this text")
    assert shown.find(".//span[@class='tr-lang']").text == "NL · glossary terms only"
    assert {t.get("lang") for t in shown.iter("a") if "term" in (t.get("class") or "")} == {"nl"}
