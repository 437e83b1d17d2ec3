"""XLIFF out to CAT tools and back: ids, glossary terms, schema validity, post-edits in the TEI, refusals.

The input is a generated report, extracted with its languages and translated into
English (all Russian fragments, copy models, the shipped glossary). A "CAT tool" is
played by lxml: it edits targets, changes states, resegments, adds its own markup.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from toolkit.cli import main
from toolkit.exchange import fragments as frag
from toolkit.exchange.schemas import XLIFF_12_STRICT_XSD, XLIFF_21_XSD, schema_problems
from toolkit.exchange.xliff import X2, X12, XLIFF2_NS, export_xliff, import_xliff
from toolkit.tei import T, XML_ID, XML_LANG, parse_tei, validate_tei
from toolkit.tei.translation import effective_lang, find_translation, select_units, translations_of, unit_text

pytestmark = pytest.mark.usefixtures("no_network")

TRANSLATOR = "Anna Smit"


def translate_generated_report(folder: Path, packages, pdf: Path) -> Path:
    """``pdf`` extracted into ``folder``, translated into English (all-ru) and Dutch (titles), cache kept.

    Writes report.tei.xml, report.en.tei.xml and report.en.nl.tei.xml; the copy models and
    their translation cache live in ``folder/models``.
    """
    from toolkit.extract.pipeline import extract
    from toolkit.tei import document_to_tei, serialize
    from toolkit.translate.packages import install_package
    from toolkit.translate.pipeline import translate_tei

    tei = folder / "report.tei.xml"
    tei.write_bytes(serialize(document_to_tei(extract(pdf))))
    with pytest.MonkeyPatch.context() as env:
        env.setenv("COITOOL_MODELS_DIR", str(folder / "models"))
        env.setenv("COITOOL_MT_THREADS", "1")
        for archive in packages.values():
            install_package(archive, folder / "models")
        done = translate_tei(tei, folder / "report.en.tei.xml", "en", what="all-ru")
        translate_tei(folder / "report.en.tei.xml", folder / "report.en.nl.tei.xml", "nl")
    assert done.translated >= 20, "the generated report has Russian fragments to work on"
    return folder


@pytest.fixture(scope="module")
def report(tmp_path_factory, argos_packages, make_report):
    """A generated report: its TEI, and that TEI translated into English (all-ru) with copy models."""
    pdf, _truth = make_report("default")
    return translate_generated_report(tmp_path_factory.mktemp("xliff"), argos_packages, pdf)


@pytest.fixture()
def translated(report, tmp_path) -> Path:
    path = tmp_path / "report.en.tei.xml"
    shutil.copy(report / "report.en.tei.xml", path)
    return path


def _xliff(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def _units(root) -> dict:
    return {u.get("id"): u for u in root.iter(X2 + "unit")}


def _text(node) -> str:
    return " ".join("".join(node.itertext()).split())


def _set_target(segment, text: str) -> None:
    target = segment.find(X2 + "target")
    if target is None:
        target = etree.SubElement(segment, X2 + "target")
    for child in list(target):
        target.remove(child)
    target.text = text


def _save(root, path: Path) -> Path:
    path.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return path


# -- export ------------------------------------------------------------------------------


def test_export_writes_one_valid_unit_per_fragment_with_terms_and_machine_translation(translated, tmp_path):
    from toolkit.glossary import Glossary

    out = tmp_path / "report.en.xlf"
    done = export_xliff(translated, out, "en", "all-ru")
    tree = etree.parse(str(out))
    assert schema_problems(tree, XLIFF_21_XSD) == []
    root = tree.getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "ru", "en")
    tei_root = parse_tei(translated).getroot()
    units = select_units(tei_root, "all-ru")
    ids = frag.fragment_ids(tei_root)
    xliff_units = _units(root)
    assert done.units == len(units) == len(xliff_units) and done.targets == done.units
    glossary = Glossary.default()
    marked = 0
    for node in units:
        unit = xliff_units[ids[node]]
        segment = unit.find(X2 + "segment")
        assert segment.get("state") == "initial"
        source = segment.find(X2 + "source")
        assert _text(source) == unit_text(node)
        # Terms: every glossary match with an English rendering, its note holding the rendering.
        notes = {n.get("id"): n for n in unit.iterfind(f"{X2}notes/{X2}note")}
        matches = [m for m in glossary.match(unit_text(node)) if glossary.target(m.entry, "en")]
        marks = source.findall(X2 + "mrk")
        assert [m.text for m in marks] == [m.surface for m in matches]
        for mark, match in zip(marks, matches):
            assert mark.get("type") == "term"
            note = notes[mark.get("ref").removeprefix("#n=")]
            assert note.get("category") == "term" and glossary.target(match.entry, "en") in note.text
        marked += len(marks)
        # The machine translation is the target, its glossary terms marked as in the TEI.
        translation = find_translation(node, "en")
        target = segment.find(X2 + "target")
        assert _text(target) == _text(translation)
        assert [m.text for m in target.findall(X2 + "mrk")] == [t.text for t in translation.iter(T + "term")]
        # Where it stands: what it is, its footnote, the page of the PDF.
        location = notes["location"].text
        assert location.startswith(frag.KIND_NAMES[node.tag.split("}")[1]]) and " · p. " in location
        footnote = next((a for a in node.iterancestors(T + "note") if a.get("place") == "foot"), None)
        assert footnote is None or f"in footnote {footnote.get('n')} · " in location
    assert marked == done.terms >= 10


def test_ids_point_back_into_the_tei_and_are_stable(report, translated, tmp_path):
    first, second = tmp_path / "a.xlf", tmp_path / "b.xlf"
    export_xliff(translated, first, "en", "all-ru")
    export_xliff(translated, second, "en", "all-ru")
    assert first.read_bytes() == second.read_bytes()
    # Titles and all-ru exports agree on the ids of the fragments they share.
    titles = tmp_path / "titles.xlf"
    export_xliff(translated, titles, "en", "titles")
    all_units, title_units = _units(_xliff(first)), _units(_xliff(titles))
    shared = set(all_units) & set(title_units)
    assert len(title_units) >= 10 and len(shared) >= len(title_units) // 2
    for unit_id in shared:
        source = lambda units: _text(units[unit_id].find(f"{X2}segment/{X2}source"))  # noqa: E731
        assert source(all_units) == source(title_units)
    candidates = frag.candidates(parse_tei(translated).getroot())
    assert len(set(all_units) | set(title_units)) <= len(candidates)
    # The untranslated TEI gives the same ids as the translated one.
    plain = tmp_path / "plain.xlf"
    export_xliff(report / "report.tei.xml", plain, "en", "all-ru")
    assert list(_units(_xliff(plain))) == list(_units(_xliff(first)))
    assert all(u.find(f"{X2}segment/{X2}target") is None for u in _units(_xliff(plain)).values())
    # After an import the ids are xml:ids of the TEI, each on its fragment.
    out = tmp_path / "imported.tei.xml"
    import_xliff(translated, first, out, TRANSLATOR)
    root = parse_tei(out).getroot()
    by_id = {n.get(XML_ID): n for n in root.iter() if isinstance(n.tag, str) and n.get(XML_ID)}
    for unit_id, unit in _units(_xliff(first)).items():
        node = by_id[unit_id]
        assert effective_lang(node) == "ru"
        assert frag.same_source(unit_text(node), _text(unit.find(f"{X2}segment/{X2}source")))
    again = tmp_path / "again.xlf"
    export_xliff(out, again, "en", "all-ru")
    assert list(_units(_xliff(again))) == list(_units(_xliff(first)))


# -- round trip ------------------------------------------------------------------------


def test_post_edited_targets_replace_the_machine_translation(translated, tmp_path):
    exported = tmp_path / "report.en.xlf"
    export_xliff(translated, exported, "en", "all-ru")
    root = _xliff(exported)
    units = list(_units(root).values())
    edited, confirmed, untouched = units[0], units[1], units[2:3] + units[4:]
    # One target rewritten by hand, its term marks gone; one rewritten keeping a term mark;
    # one confirmed as it was (state raised, text unchanged).
    _set_target(edited.find(X2 + "segment"), "A summons was sent by the enlistment office (edited).")
    edited.find(X2 + "segment").set("state", "translated")
    kept = units[3].find(f"{X2}segment/{X2}target")
    first_mark = kept.find(X2 + "mrk")
    assert first_mark is not None, "the fourth unit has a glossary term in its machine translation"
    first_mark.tail = " — reviewed wording."
    for extra in list(kept)[1:]:
        kept.remove(extra)
    kept.text = "Post-edited: "
    confirmed.find(X2 + "segment").set("state", "reviewed")
    _save(root, exported)

    out = tmp_path / "report.en.post-edited.tei.xml"
    before = translated.read_bytes()
    done = import_xliff(translated, exported, out, TRANSLATOR, schema=True)
    assert translated.read_bytes() == before, "the input TEI is never modified"
    assert (done.post_edited, done.confirmed, done.added, done.unchanged) == (2, 1, 0, len(units) - 3)
    tree = parse_tei(out)
    assert validate_tei(tree, full=True) == []
    tei_root = tree.getroot()
    nodes = {v: k for k, v in frag.fragment_ids(tei_root).items()}
    resp = "#translator-anna-smit"

    first = find_translation(nodes[edited.get("id")], "en")
    assert _text(first) == "A summons was sent by the enlistment office (edited)."
    assert (first.get("resp"), first.get("cert")) == (resp, "high")
    second = find_translation(nodes[units[3].get("id")], "en")
    assert _text(second).startswith("Post-edited: ") and _text(second).endswith("— reviewed wording.")
    assert second.find(T + "term") is not None and second.find(T + "term").text == first_mark.text
    third = find_translation(nodes[confirmed.get("id")], "en")
    assert (third.get("resp"), third.get("cert")) == (resp, "high")
    assert _text(third) == _text(confirmed.find(f"{X2}segment/{X2}target"))
    for unit in untouched:
        translation = find_translation(nodes[unit.get("id")], "en")
        assert translation.get("resp") == "#coitool-mt"
        assert _text(translation) == _text(unit.find(f"{X2}segment/{X2}target"))
    stmt = next(s for s in tei_root.iter(T + "respStmt") if s.get(XML_ID) == "translator-anna-smit")
    assert stmt.find(T + "persName").text == TRANSLATOR
    change = tei_root.findall(f".//{T}revisionDesc/{T}change")[-1]
    assert change.get("who") == resp and "post-edited 2" in change.text and "confirmed 1" in change.text
    # Terms a translator removed no longer need their glossary category; the others stay.
    referenced = {t.get("ref")[1:] for t in tei_root.find(T + "text").iter(T + "term")}
    assert {c.get(XML_ID) for c in tei_root.iter(T + "category")} == referenced


def test_a_post_edit_that_lost_its_term_marks_keeps_the_terms_it_still_has(translated, tmp_path):
    exported = tmp_path / "f.xlf"
    export_xliff(translated, exported, "en", "all-ru")
    root = _xliff(exported)
    unit = next(u for u in root.iter(X2 + "unit") if u.find(f"{X2}segment/{X2}target/{X2}mrk") is not None)
    target = unit.find(f"{X2}segment/{X2}target")
    term = target.find(X2 + "mrk").text
    _set_target(unit.find(X2 + "segment"), f"Reworded, but {term} stays.")
    _save(root, exported)
    out = tmp_path / "out.tei.xml"
    import_xliff(translated, exported, out, TRANSLATOR)
    node = {v: k for k, v in frag.fragment_ids(parse_tei(out).getroot()).items()}[unit.get("id")]
    translation = find_translation(node, "en")
    assert [t.text for t in translation.iter(T + "term")] == [term]


def test_new_translations_and_partly_translated_units(report, tmp_path):
    """An export of the untranslated TEI: filled targets become translations; half-done units wait."""
    tei = tmp_path / "report.tei.xml"
    shutil.copy(report / "report.tei.xml", tei)
    exported = tmp_path / "f.xlf"
    export_xliff(tei, exported, "en", "titles")
    root = _xliff(exported)
    units = list(_units(root).values())
    _set_target(units[0].find(X2 + "segment"), "Translated from scratch.")
    # A CAT tool split the second unit into two segments and translated only the first.
    segment = units[1].find(X2 + "segment")
    source = segment.find(X2 + "source")
    text = "".join(source.itertext())
    cut = text.index(" ") + 1
    for child in list(source):
        source.remove(child)
    source.text = text[:cut]
    _set_target(segment, "Half")
    rest = etree.Element(X2 + "segment", id="s2")
    etree.SubElement(rest, X2 + "source").text = text[cut:]
    segment.addnext(rest)
    _save(root, exported)
    assert schema_problems(etree.parse(str(exported)), XLIFF_21_XSD) == []
    out = tmp_path / "out.tei.xml"
    done = import_xliff(tei, exported, out, TRANSLATOR)
    assert (done.added, done.partial, done.unchanged) == (1, 1, len(units) - 2)
    tree = parse_tei(out)
    assert validate_tei(tree, full=False) == []
    nodes = {v: k for k, v in frag.fragment_ids(tree.getroot()).items()}
    added = find_translation(nodes[units[0].get("id")], "en")
    assert added.get("type") == "translated" and added.getprevious() is nodes[units[0].get("id")]
    assert (_text(added), added.get("resp"), added.get("cert")) == ("Translated from scratch.", "#translator-anna-smit", "high")
    assert find_translation(nodes[units[1].get("id")], "en") is None


def test_xliff_1_2_round_trip_as_cat_tools_write_it(translated, tmp_path):
    """XLIFF 1.2 the way CAT tools save it: seg-source, mrk mtype="seg" targets, approved, own namespaces."""
    exported = tmp_path / "report.en.xlf"
    export_xliff(translated, exported, "en", "all-ru", version="1.2")
    tree = etree.parse(str(exported))
    assert schema_problems(tree, XLIFF_12_STRICT_XSD) == []
    root = tree.getroot()
    assert root.get("version") == "1.2"
    units = list(root.iter(X12 + "trans-unit"))
    # The tool: a phase naming the translator, segmentation markup, its own attributes.
    tool_ns = "http://www.example.org/cat-tool"
    header = root.find(f"{X12}file/{X12}header")
    phase = etree.SubElement(header.find(X12 + "phase-group"), X12 + "phase")
    phase.set("phase-name", "translation-1")
    phase.set("process-name", "translation")
    phase.set("contact-name", "Jan de Vries")
    for n, unit in enumerate(units):
        unit.set(f"{{{tool_ns}}}segmentstatus", "Confirmed" if n < 2 else "NotTranslated")
        source_text = "".join(unit.find(X12 + "source").itertext())
        seg_source = etree.Element(X12 + "seg-source")
        etree.SubElement(seg_source, X12 + "mrk", mtype="seg", mid="1").text = source_text
        unit.find(X12 + "source").addnext(seg_source)
        target = unit.find(X12 + "target")
        machine = "".join(target.itertext())
        for child in list(target):
            target.remove(child)
        target.text = None
        etree.SubElement(target, X12 + "mrk", mtype="seg", mid="1").text = (
            f"Edited in the tool ({n})." if n == 0 else machine
        )
        if n < 2:
            target.set("state", "translated")
            target.set("phase-name", "translation-1")
            unit.set("approved", "yes")
    tree.write(str(exported), xml_declaration=True, encoding="UTF-8")

    out = tmp_path / "out.tei.xml"
    done = import_xliff(translated, exported, out)
    assert done.version == "1.2"
    assert (done.post_edited, done.confirmed, done.unchanged) == (1, 1, len(units) - 2)
    assert done.translators == ["Jan de Vries"]
    tree = parse_tei(out)
    assert validate_tei(tree, full=False) == []
    nodes = {v: k for k, v in frag.fragment_ids(tree.getroot()).items()}
    first = find_translation(nodes[units[0].get("id")], "en")
    assert (_text(first), first.get("resp"), first.get("cert")) == ("Edited in the tool (0).", "#translator-jan-de-vries", "high")
    assert find_translation(nodes[units[2].get("id")], "en").get("resp") == "#coitool-mt"


def test_the_reading_view_shows_post_edited_translations(translated, tmp_path):
    from toolkit.view import tei_to_html

    exported = tmp_path / "f.xlf"
    export_xliff(translated, exported, "en", "all-ru")
    root = _xliff(exported)
    unit = next(iter(root.iter(X2 + "unit")))
    _set_target(unit.find(X2 + "segment"), "Checked by a person.")
    _save(root, exported)
    out = tmp_path / "out.tei.xml"
    import_xliff(translated, exported, out, TRANSLATOR)
    page = etree.HTML(tei_to_html(parse_tei(out)))
    shown = [e for e in page.iter() if "tr" in (e.get("class") or "").split() and "Checked by a person." in "".join(e.itertext())]
    assert len(shown) == 1 and "post-edited by Anna Smit" in shown[0].get("title")


# -- the command line and the refusals ---------------------------------------------------


def test_cli_export_and_import(translated, tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["xliff", "export", str(translated), "--to", "en", "--what", "all-ru"])
    assert done.exit_code == 0, done.output
    exported = tmp_path / "report.en.xlf"
    assert exported.exists() and "units (all-ru)" in done.output
    root = _xliff(exported)
    _set_target(next(iter(root.iter(X2 + "unit"))).find(X2 + "segment"), "From the command line.")
    _save(root, exported)
    done = runner.invoke(main, ["xliff", "import", str(translated), str(exported), "--translator", TRANSLATOR])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "report.en.post-edited.tei.xml").exists() and "1 post-edited" in done.output
    stdout = runner.invoke(main, ["xliff", "export", str(translated), "--to", "en", "-o", "-", "--xliff-version", "1.2"])
    assert stdout.exit_code == 0 and b'version="1.2"' in stdout.stdout_bytes
    for command in (["xliff", "--help"], ["xliff", "export", "--help"], ["xliff", "import", "--help"]):
        assert "Examples:" in runner.invoke(main, command).output


def _refused(tmp_path, tei: Path, xliff: Path, *args) -> str:
    """Import through the CLI, expecting one error line, exit 1 and no output file."""
    out = tmp_path / "refused.tei.xml"
    before = (tei.read_bytes(), xliff.read_bytes())
    done = CliRunner().invoke(main, ["xliff", "import", str(tei), str(xliff), "-o", str(out), *args])
    assert done.exit_code == 1, done.output
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), done.output
    assert "Traceback" not in done.output
    assert not out.exists() and (tei.read_bytes(), xliff.read_bytes()) == before
    return lines[0]


@pytest.fixture()
def edited(translated, tmp_path) -> Path:
    """An export with one target post-edited."""
    exported = tmp_path / "edited.xlf"
    export_xliff(translated, exported, "en", "all-ru")
    root = _xliff(exported)
    _set_target(next(iter(root.iter(X2 + "unit"))).find(X2 + "segment"), "Edited.")
    return _save(root, exported)


def test_unknown_ids_are_refused(translated, edited, tmp_path):
    root = _xliff(edited)
    next(iter(root.iter(X2 + "unit"))).set("id", "ru9999")
    message = _refused(tmp_path, translated, _save(root, edited), "--translator", TRANSLATOR)
    assert "'ru9999'" in message and "name no Russian fragment" in message


def test_wrong_languages_are_refused(translated, edited, tmp_path):
    root = _xliff(edited)
    root.set("srcLang", "de")
    assert "not Russian" in _refused(tmp_path, translated, _save(root, tmp_path / "de.xlf"), "--translator", "x")
    root.set("srcLang", "ru")
    root.set("trgLang", "fr")
    assert "target language is 'fr'" in _refused(tmp_path, translated, _save(root, tmp_path / "fr.xlf"), "--translator", "x")


def test_doctype_entities_and_xxe_are_refused(translated, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    xxe = tmp_path / "xxe.xlf"
    xxe.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY leak SYSTEM "file://{secret}">]>\n'
        f'<xliff xmlns="{XLIFF2_NS}" version="2.1" srcLang="ru" trgLang="en"><file id="f1">'
        '<unit id="ru1"><segment><source>x</source><target>&leak;</target></segment></unit></file></xliff>'
    )
    assert "DOCTYPE" in _refused(tmp_path, translated, xxe, "--translator", "x")
    bomb = tmp_path / "bomb.xlf"
    bomb.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        f'<xliff xmlns="{XLIFF2_NS}" version="2.1" srcLang="ru" trgLang="en"><file id="f1">'
        '<unit id="ru1"><segment><source>&b;</source></segment></unit></file></xliff>'
    )
    assert "DOCTYPE" in _refused(tmp_path, translated, bomb, "--translator", "x")


def test_foreign_and_broken_files_are_refused(translated, edited, tmp_path):
    # A TEI file is not XLIFF.
    assert "not XLIFF" in _refused(tmp_path, translated, translated, "--translator", "x")
    # Not well-formed.
    broken = tmp_path / "broken.xlf"
    broken.write_bytes(edited.read_bytes()[:-40])
    assert "not well-formed" in _refused(tmp_path, translated, broken, "--translator", "x")
    # Against the schema: a segment without a source.
    root = _xliff(edited)
    segment = next(iter(root.iter(X2 + "segment")))
    segment.remove(segment.find(X2 + "source"))
    assert "not valid XLIFF 2.1" in _refused(tmp_path, translated, _save(root, tmp_path / "invalid.xlf"), "--translator", "x")
    # Another version of the report: a source text that is not the fragment's.
    root = _xliff(edited)
    source = next(iter(root.iter(X2 + "source")))
    for child in list(source):
        source.remove(child)
    source.text = "Совсем другой текст"
    assert "source of unit" in _refused(tmp_path, translated, _save(root, tmp_path / "other.xlf"), "--translator", "x")
    # Another report altogether (the PDF checksum the file names).
    root = _xliff(edited)
    note = next(n for n in root.iter(X2 + "note") if n.get("category") == "coitool:document-sha256")
    note.text = "0" * 64
    assert "another report" in _refused(tmp_path, translated, _save(root, tmp_path / "report2.xlf"), "--translator", "x")
    # Changes without anybody to name for them.
    assert "--translator NAME" in _refused(tmp_path, translated, edited)
    # The output may not be the input.
    for target in (translated, edited):
        before = target.read_bytes()
        done = CliRunner().invoke(main, ["xliff", "import", str(translated), str(edited), "-o", str(target), "--translator", "x"])
        assert done.exit_code == 1 and "overwrite the input" in done.output and target.read_bytes() == before
    done = CliRunner().invoke(main, ["xliff", "export", str(translated), "--to", "en", "-o", str(translated)])
    assert done.exit_code == 1 and "overwrite the input TEI" in done.output


def test_export_without_russian_fragments_is_refused(tmp_path):
    tei = tmp_path / "dutch.tei.xml"
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        '<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>'
        '<text xml:lang="nl"><body><p>Alleen Nederlands.</p></body></text></TEI>'
    )
    done = CliRunner().invoke(main, ["xliff", "export", str(tei), "--to", "en"])
    assert done.exit_code == 1 and "no Russian fragments" in done.output and "--what all-ru" in done.output
    assert not (tmp_path / "dutch.en.xlf").exists()


def test_xliff_2_0_from_a_cat_tool_with_its_own_metadata(translated, edited, tmp_path):
    """Version 2.0 (the same core), a translator named in the Metadata module, a module of its own."""
    root = _xliff(edited)
    root.set("version", "2.0")
    unit = next(iter(root.iter(X2 + "unit")))
    mda = "urn:oasis:names:tc:xliff:metadata:2.0"
    metadata = etree.Element(f"{{{mda}}}metadata")
    group = etree.SubElement(metadata, f"{{{mda}}}metaGroup", category="workflow")
    etree.SubElement(group, f"{{{mda}}}meta", type="translator").text = "Petra Jansen"
    unit.insert(0, metadata)
    out = tmp_path / "out.tei.xml"
    done = import_xliff(translated, _save(root, tmp_path / "v20.xlf"), out)
    assert (done.version, done.post_edited, done.translators) == ("2.0", 1, ["Petra Jansen"])
    root.set("version", "3.0")
    assert "version '3.0'" in _refused(tmp_path, translated, _save(root, tmp_path / "v30.xlf"))


def test_a_file_that_would_not_be_valid_is_never_written(translated, tmp_path, monkeypatch):
    """Every export is validated against the schema; a writer's mistake stops it with one line."""
    from toolkit.exchange import xliff as module

    real = module._write_xliff2

    def broken(*args):
        tree = real(*args)
        next(iter(tree.getroot().iter(X2 + "segment"))).set("state", "almost")
        return tree

    monkeypatch.setattr(module, "_write_xliff2", broken)
    out = tmp_path / "f.xlf"
    done = CliRunner().invoke(main, ["xliff", "export", str(translated), "--to", "en", "-o", str(out)])
    assert done.exit_code == 1 and "is not valid, not written" in done.output and not out.exists()


def test_translating_again_keeps_the_post_edits(translated, edited, tmp_path, installed_models):
    from toolkit.translate.pipeline import translate_tei

    out = tmp_path / "post-edited.tei.xml"
    import_xliff(translated, edited, out, TRANSLATOR)
    again = tmp_path / "again.tei.xml"
    translate_tei(out, again, "en", what="all-ru", disk_cache=False)
    root = parse_tei(again).getroot()
    assert validate_tei(root.getroottree(), full=False) == []
    unit_id = next(iter(_units(_xliff(edited))))
    node = {v: k for k, v in frag.fragment_ids(root).items()}[unit_id]
    (translation,) = [n for n in translations_of(node) if n.get(XML_LANG) == "en"]
    assert (_text(translation), translation.get("resp")) == ("Edited.", "#translator-anna-smit")
    machine = [n for f in frag.fragments(root, "all-ru") for n in translations_of(f.node) if n.get("resp") == "#coitool-mt"]
    assert len(machine) == len(_units(_xliff(edited))) - 1


# -- glossary-only output: no translation, but the terms a translator uses ---------------------

BRACKETS = ("⟦", "⟧")


def translate_glossary_only(tei: Path, out: Path, lang: str = "nl") -> Path:
    """``tei`` translated into ``lang`` (all-ru) with no model installed: glossary-only output.

    Call it under the ``models_home`` fixture (an empty models folder).
    """
    from toolkit.translate.pipeline import translate_tei

    done = translate_tei(tei, out, lang, what="all-ru", disk_cache=False)
    assert done.mode == "glossary-only" and done.glossary_only >= 10 and done.translated == 0
    return out


@pytest.fixture()
def glossary_only(translated, tmp_path, models_home) -> Path:
    """The English machine translation, then into Dutch without a model: glossary-only beside English."""
    return translate_glossary_only(translated, tmp_path / "report.en.nl.tei.xml")


def _glossary_only_nodes(root, lang: str = "nl") -> dict:
    """Fragment id -> its glossary-only element into ``lang``, for every fragment that has one."""
    from toolkit.tei.translation import find_glossary_only

    ids = frag.fragment_ids(root)
    found = {ids[node]: find_glossary_only(node, lang) for node in select_units(root, "all-ru")}
    return {key: node for key, node in found.items() if node is not None}


def _bracketed(node) -> str:
    """A glossary-only element's text, its rendered terms in brackets, as the export's note gives it."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == T + "term":
            parts.append(BRACKETS[0] + "".join(child.itertext()) + BRACKETS[1])
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _placed(node) -> tuple:
    """Where an element stands: its parent, its place among the parent's children, the element before it."""
    parent = node.getparent()
    return parent, parent.index(node), node.getprevious()


def test_glossary_only_output_is_exported_as_a_note_not_a_target(glossary_only, tmp_path):
    from toolkit.glossary import Glossary

    glossary = Glossary.default()
    tei_root = parse_tei(glossary_only).getroot()
    rough = _glossary_only_nodes(tei_root)
    units_of = {frag.fragment_ids(tei_root)[n]: n for n in select_units(tei_root, "all-ru")}
    assert len(rough) >= 10 and len(rough) < len(units_of), "some fragments have no glossary term"

    out = tmp_path / "report.nl.xlf"
    done = export_xliff(glossary_only, out, "nl", "all-ru")
    tree = etree.parse(str(out))
    assert schema_problems(tree, XLIFF_21_XSD) == []
    units = _units(tree.getroot())
    assert (done.units, done.targets, done.glossary_only) == (len(units_of), 0, len(rough))
    for unit_id, unit in units.items():
        segment = unit.find(X2 + "segment")
        assert segment.find(X2 + "target") is None and segment.get("state") == "initial"
        notes = {n.get("id"): n for n in unit.iterfind(f"{X2}notes/{X2}note")}
        assert "provenance" not in notes
        # The source's term marks are as for any export: every glossary match with a Dutch rendering.
        source = segment.find(X2 + "source")
        matches = [m for m in glossary.match(unit_text(units_of[unit_id])) if glossary.target(m.entry, "nl")]
        assert [m.text for m in source.findall(X2 + "mrk")] == [m.surface for m in matches]
        if unit_id not in rough:
            assert "glossary-only" not in notes
            continue
        note = notes["glossary-only"]
        assert note.get("category") == "coitool:glossary-only" and note.get("appliesTo") is None
        assert note.text.startswith("Not translated into nl: without a model coitool rendered only the glossary's terms")
        assert "(certainty: low)" in note.text
        # The glossary-only text with its terms, and each term as the glossary has it in Russian.
        assert note.text.endswith(": " + _bracketed(rough[unit_id]))
        for term in rough[unit_id].iter(T + "term"):
            gloss = term.get("ref")[1:]
            entry = glossary.get(gloss.removeprefix("gloss-"))
            assert f"{entry.term} → {term.text}" in note.text
            assert notes[gloss].get("category") == "term", "every rendered term has its glossary note"
    # The same file's English export is untouched by the Dutch glossary-only output.
    english = export_xliff(glossary_only, tmp_path / "report.en.xlf", "en", "all-ru")
    assert (english.targets, english.glossary_only) == (english.units, 0)
    assert all(n.get("id") != "glossary-only" for n in _xliff(tmp_path / "report.en.xlf").iter(X2 + "note"))
    # The command line says so.
    said = CliRunner().invoke(main, ["xliff", "export", str(glossary_only), "--to", "nl", "--what", "all-ru",
                                     "-o", str(tmp_path / "cli.xlf")])
    assert said.exit_code == 0, said.output
    assert f"0 with a translation into nl as target, {len(rough)} with glossary-only output (no target" in said.output


def test_glossary_only_output_in_xliff_1_2(glossary_only, tmp_path):
    out = tmp_path / "report.nl.xlf"
    done = export_xliff(glossary_only, out, "nl", "all-ru", version="1.2")
    tree = etree.parse(str(out))
    assert schema_problems(tree, XLIFF_12_STRICT_XSD) == []
    rough = _glossary_only_nodes(parse_tei(glossary_only).getroot())
    assert done.glossary_only == len(rough) and done.targets == 0
    for unit in tree.getroot().iter(X12 + "trans-unit"):
        assert unit.find(X12 + "target") is None
        said = [n for n in unit.findall(X12 + "note") if n.text.startswith("Not translated into nl")]
        if unit.get("id") not in rough:
            assert said == []
            continue
        (note,) = said
        assert (note.get("from"), note.get("annotates")) == ("coitool", "general")
        assert note.text.endswith(": " + _bracketed(rough[unit.get("id")]))
        glosses = {n.text.split(":")[0] for n in unit.findall(X12 + "note") if n.get("annotates") == "source"}
        assert {t.get("ref")[1:] for t in rough[unit.get("id")].iter(T + "term")} <= glosses

    # A CAT tool's translation of one unit comes back as a translation in its place.
    root = tree.getroot()
    unit = next(u for u in root.iter(X12 + "trans-unit") if u.get("id") in rough)
    target = etree.Element(X12 + "target", state="translated")
    target.text = "Vertaald in een vertaalprogramma."
    unit.find(X12 + "source").addnext(target)
    tree.write(str(out), xml_declaration=True, encoding="UTF-8")
    imported = tmp_path / "out.tei.xml"
    report = import_xliff(glossary_only, out, imported, TRANSLATOR)
    assert (report.added, report.glossary_only_replaced, report.unchanged) == (1, 1, report.units - 1)
    tei_root = parse_tei(imported).getroot()
    assert validate_tei(tei_root.getroottree(), full=False) == []
    node = {v: k for k, v in frag.fragment_ids(tei_root).items()}[unit.get("id")]
    (dutch,) = [n for n in translations_of(node) if n.get(XML_LANG) == "nl" or n.get("subtype") == "nl"]
    assert (_text(dutch), dutch.get("type"), dutch.get("cert")) == ("Vertaald in een vertaalprogramma.",
                                                                    "translated" if node.tag == T + "title" else "translation", "high")
    assert len(_glossary_only_nodes(tei_root)) == len(rough) - 1


def _translate_two(glossary_only: Path, tmp_path: Path, schema: bool = False):
    """Export the Dutch glossary-only fragments, translate a title and a note in the CAT tool, import.

    The title's translation uses one of the rendered terms as it stands, without a term mark.
    Returns (the XLIFF units, the ids translated, the imported TEI, the import's report).
    """
    exported = tmp_path / "report.nl.xlf"
    export_xliff(glossary_only, exported, "nl", "all-ru")
    root = _xliff(exported)
    units = _units(root)
    rough = _glossary_only_nodes(parse_tei(glossary_only).getroot())
    title_id = next(i for i, n in rough.items() if n.tag == T + "title" and n.find(T + "term") is not None)
    note_id = next(i for i, n in rough.items() if n.tag == T + "note")
    term = rough[title_id].find(T + "term").text
    _set_target(units[title_id].find(X2 + "segment"), f"Vertaalde titel met {term} erin")
    _set_target(units[note_id].find(X2 + "segment"), "Een vertaalde voetnoot.")
    units[note_id].find(X2 + "segment").set("state", "final")
    _save(root, exported)
    out = tmp_path / "report.nl.post-edited.tei.xml"
    done = import_xliff(glossary_only, exported, out, TRANSLATOR, schema=schema)
    return units, (title_id, note_id), out, done


def test_a_translators_target_replaces_the_glossary_only_output_in_its_place(glossary_only, tmp_path):
    from toolkit.tei.translation import find_glossary_only, remove_translations, translation_lang

    before_root = parse_tei(glossary_only).getroot()
    rough_before = _glossary_only_nodes(before_root)
    units, (title_id, note_id), out, done = _translate_two(glossary_only, tmp_path, schema=True)
    assert (done.added, done.glossary_only_replaced, done.post_edited, done.confirmed) == (2, 2, 0, 0)
    assert done.unchanged == len(units) - 2
    tree = parse_tei(out)
    assert validate_tei(tree, full=True) == []
    root = tree.getroot()
    nodes = {v: k for k, v in frag.fragment_ids(root).items()}
    before_nodes = {v: k for k, v in frag.fragment_ids(before_root).items()}
    expected = {title_id: ("title", "translated", "Vertaalde titel met"), note_id: ("note", "translation", "Een vertaalde voetnoot.")}
    for unit_id, (name, kind, text) in expected.items():
        node = nodes[unit_id]
        assert find_glossary_only(node, "nl") is None
        translation = find_translation(node, "nl")
        assert translation.tag == T + name and translation.get("type") == kind and _text(translation).startswith(text)
        assert translation.get("subtype") is None and translation.get(XML_LANG) == "nl"
        assert (translation.get("resp"), translation.get("cert")) == ("#translator-anna-smit", "high")
        # One Dutch element, where the glossary-only one was: after the English machine translation.
        assert [translation_lang(n) for n in translations_of(node)] == ["en", "nl"]
        parent, index, previous = _placed(translation)
        old_parent, old_index, old_previous = _placed(rough_before[unit_id])
        assert localname_of(parent) == localname_of(old_parent) and parent is node.getparent()
        assert index == old_index and localname_of(previous) == localname_of(old_previous)
        assert previous is find_translation(node, "en")
        assert translation.tail == rough_before[unit_id].tail
        assert _text(find_translation(node, "en")) == _text(find_translation(before_nodes[unit_id], "en"))
    # The rendered term the translator used is still marked, now in the text's own language.
    (term,) = find_translation(nodes[title_id], "nl").iter(T + "term")
    assert term.text == rough_before[title_id].find(T + "term").text and term.get(XML_LANG) is None
    assert term.get("ref") == rough_before[title_id].find(T + "term").get("ref")
    # Untouched units keep their glossary-only output as it was.
    rough_after = _glossary_only_nodes(root)
    assert set(rough_after) == set(rough_before) - {title_id, note_id}
    for unit_id, node in rough_after.items():
        assert etree.tostring(node, with_tail=False) == etree.tostring(rough_before[unit_id], with_tail=False)
    change = root.findall(f".//{T}revisionDesc/{T}change")[-1]
    assert "translated 2 new (2 in place of glossary-only output)" in change.text
    # The fragments are the same; the translations are none of them.
    assert [frag.fragment_ids(root)[n] for n in select_units(root, "all-ru")] == list(units)
    assert [frag.fragment_ids(root)[n] for n in select_units(root, "titles")] == \
        [frag.fragment_ids(before_root)[n] for n in select_units(before_root, "titles")]
    # Dropping coitool's Dutch output drops the glossary-only rest, never the translator's translations.
    assert remove_translations(root, "nl") == len(rough_after)
    assert _glossary_only_nodes(root) == {}
    for unit_id in expected:
        assert find_translation(nodes[unit_id], "nl").get("resp") == "#translator-anna-smit"
    assert validate_tei(tree, full=False) == []
    # Exported again: the translator's translations are targets, the rest still notes.
    again = export_xliff(out, tmp_path / "again.xlf", "nl", "all-ru")
    assert (again.targets, again.post_edited, again.glossary_only) == (2, 2, len(rough_after))


def localname_of(node) -> str | None:
    return None if node is None else etree.QName(node).localname


def test_the_reading_view_shows_the_translation_that_replaced_glossary_only_output(glossary_only, tmp_path):
    from toolkit.view import tei_to_html

    _, _, out, _ = _translate_two(glossary_only, tmp_path)
    page = etree.HTML(tei_to_html(parse_tei(out)))
    shown = [e for e in page.iter() if "tr" in (e.get("class") or "").split()]
    dutch = [e for e in shown if "Een vertaalde voetnoot." in "".join(e.itertext())]
    assert len(dutch) == 1 and "tr-glossary-only" not in dutch[0].get("class")
    assert dutch[0].get("lang") == "nl" and "post-edited by Anna Smit" in dutch[0].get("title")
    assert "".join(dutch[0].itertext()).strip().startswith("NL ") and "glossary terms only" not in "".join(dutch[0].itertext())
    left = [e for e in shown if "tr-glossary-only" in e.get("class")]
    assert len(left) == len(_glossary_only_nodes(parse_tei(out).getroot())) >= 8
    assert all(e.get("lang") == "ru" and e.get("data-target-lang") == "nl" for e in left)


def test_translating_with_a_model_afterwards_keeps_the_translators_translation(
    glossary_only, tmp_path, models_home, argos_packages,
):
    from toolkit.translate.packages import install_package
    from toolkit.translate.pipeline import translate_tei

    _, (title_id, note_id), out, _ = _translate_two(glossary_only, tmp_path)
    for archive in argos_packages.values():
        install_package(archive, models_home)
    again = tmp_path / "again.tei.xml"
    done = translate_tei(out, again, "nl", what="all-ru", disk_cache=False)
    assert done.mode == "model" and done.translated >= 10
    root = parse_tei(again).getroot()
    assert validate_tei(root.getroottree(), full=False) == []
    nodes = {v: k for k, v in frag.fragment_ids(root).items()}
    for unit_id, text in ((title_id, "Vertaalde titel met"), (note_id, "Een vertaalde voetnoot.")):
        (dutch,) = [n for n in translations_of(nodes[unit_id]) if n.get(XML_LANG) == "nl"]
        assert dutch.get("resp") == "#translator-anna-smit" and _text(dutch).startswith(text)
    # The glossary-only output is gone: a model translated those fragments.
    assert _glossary_only_nodes(root) == {}
    machine = [find_translation(n, "nl") for n in select_units(root, "all-ru")]
    assert sum(1 for n in machine if n is not None and n.get("resp") == "#coitool-mt") == done.translated


def test_a_glossary_only_element_beside_a_translation_is_dropped_when_it_is_post_edited(glossary_only, tmp_path):
    """A file where a translation into the language was added beside glossary-only output: the translation counts."""
    from toolkit.tei import serialize
    from toolkit.tei.translation import add_translation, find_glossary_only, record_translator

    tree = parse_tei(glossary_only)
    root = tree.getroot()
    unit_id = next(iter(_glossary_only_nodes(root)))
    node = {v: k for k, v in frag.fragment_ids(root).items()}[unit_id]
    resp = record_translator(root, "Jan de Vries", "Translation")
    add_translation(node, "nl", "Eerdere vertaling.", [], resp=resp)
    both = tmp_path / "both.tei.xml"
    both.write_bytes(serialize(tree))
    assert validate_tei(parse_tei(both), full=False) == []

    exported = tmp_path / "both.xlf"
    export_xliff(both, exported, "nl", "all-ru")
    unit = _units(_xliff(exported))[unit_id]
    assert _text(unit.find(f"{X2}segment/{X2}target")) == "Eerdere vertaling."
    assert unit.find(f"{X2}segment").get("state") == "translated"
    assert all(n.get("id") != "glossary-only" for n in unit.iter(X2 + "note"))
    root = _xliff(exported)
    _set_target(_units(root)[unit_id].find(X2 + "segment"), "Herziene vertaling.")
    _save(root, exported)
    out = tmp_path / "out.tei.xml"
    done = import_xliff(both, exported, out, TRANSLATOR)
    assert (done.post_edited, done.added, done.glossary_only_replaced) == (1, 0, 0)
    result = parse_tei(out)
    assert validate_tei(result, full=False) == []
    node = {v: k for k, v in frag.fragment_ids(result.getroot()).items()}[unit_id]
    assert find_glossary_only(node, "nl") is None
    (dutch,) = [n for n in translations_of(node) if n.get(XML_LANG) == "nl" or n.get("subtype") == "nl"]
    assert (_text(dutch), dutch.get("resp")) == ("Herziene vertaling.", "#translator-anna-smit")


def test_an_untouched_or_pasted_glossary_only_unit_keeps_its_output(glossary_only, tmp_path):
    """A target that is the source, or the glossary-only text from the note, is no translation unless confirmed."""
    exported = tmp_path / "f.xlf"
    export_xliff(glossary_only, exported, "nl", "all-ru")
    root = _xliff(exported)
    tei_root = parse_tei(glossary_only).getroot()
    rough = _glossary_only_nodes(tei_root)
    first, second = list(rough)[:2]
    units = _units(root)
    _set_target(units[first].find(X2 + "segment"), _text(units[first].find(f"{X2}segment/{X2}source")))
    _set_target(units[second].find(X2 + "segment"), _text(rough[second]))
    _save(root, exported)
    out = tmp_path / "out.tei.xml"
    done = import_xliff(glossary_only, exported, out, TRANSLATOR)
    assert (done.added, done.glossary_only_replaced, done.unchanged) == (0, 0, len(units))
    assert set(_glossary_only_nodes(parse_tei(out).getroot())) == set(rough)
    # Confirmed, the glossary-only text is the translator's translation (a title that is all terms).
    units[second].find(X2 + "segment").set("state", "reviewed")
    _save(root, exported)
    done = import_xliff(glossary_only, exported, out, TRANSLATOR)
    assert (done.added, done.glossary_only_replaced) == (1, 1)
    node = {v: k for k, v in frag.fragment_ids(parse_tei(out).getroot()).items()}[second]
    assert _text(find_translation(node, "nl")) == _text(rough[second])
