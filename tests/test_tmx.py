"""The translation memory as TMX 1.4b: from the translation cache and from translated TEI files."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from toolkit.cli import main
from toolkit.exchange.schemas import tmx_problems
from toolkit.exchange.tmx import export_tmx
from toolkit.exchange.xliff import X2, export_xliff, import_xliff
from toolkit.translate.cache import PIPELINE_VERSION, TranslationCache, read_segments

from test_xliff import translate_generated_report, translate_glossary_only

pytestmark = pytest.mark.usefixtures("no_network")

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TMX_DATE = r"^\d{8}T\d{6}Z$"


@pytest.fixture(scope="module")
def memory(tmp_path_factory, argos_packages, make_report):
    """A generated report translated into English (all-ru) and Dutch (titles), the disk cache kept."""
    from toolkit.glossary import Glossary

    pdf, _truth = make_report("default")
    return translate_generated_report(tmp_path_factory.mktemp("tmx"), argos_packages, pdf), Glossary.default()


def _cache(folder: Path) -> Path:
    return folder / "models" / ".cache" / "translations.sqlite3"


def _tmx(path: Path):
    tree = etree.parse(str(path))
    assert tmx_problems(tree) == []
    return tree.getroot()


def _pair(tu) -> tuple[str, str, str]:
    (source, target) = tu.findall("tuv")
    assert source.get(XML_LANG) == "ru"
    return target.get(XML_LANG), source.findtext("seg"), target.findtext("seg")


def _props(node) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prop in node.findall("prop"):
        found.setdefault(prop.get("type"), []).append(prop.text)
    return found


def test_one_tu_per_cached_segment_with_languages_and_properties(memory, tmp_path):
    folder, glossary = memory
    segments, without_source = read_segments(_cache(folder))
    assert without_source == 0 and len(segments) >= 20
    assert {s.source.lang for s in segments} == {"en", "nl"}
    out = tmp_path / "memory.tmx"
    done = export_tmx(out, cache_path=_cache(folder))
    root = _tmx(out)
    assert root.get("version") == "1.4"
    header = root.find("header")
    assert (header.get("creationtool"), header.get("srclang"), header.get("segtype")) == ("coitool", "ru", "sentence")
    assert header.get("creationtoolversion") and header.get("o-tmf") and header.get("datatype") == "plaintext"
    assert _props(header)["x-coitool-glossary-checksum"] == [glossary.checksum]
    units = root.findall("body/tu")
    expected = {(s.source.lang, " ".join(s.source.text.split()), " ".join(s.hypotheses[0].text.split())) for s in segments}
    assert len(units) == len(expected) == done.segments == done.from_cache
    assert {_pair(tu) for tu in units} == expected
    for tu in units:
        assert tu.get("srclang") == "ru" and tu.get("segtype") == "sentence"
        assert etree.XPath("re:test(@creationdate, $p)", namespaces={"re": "http://exslt.org/regular-expressions"})(
            tu, p=TMX_DATE)
        props = _props(tu)
        assert props["x-coitool-origin"] == ["machine-translation"]
        assert props["x-coitool-glossary-checksum"] == [glossary.checksum]
        assert props["x-coitool-model"] and all("@" in m for m in props["x-coitool-model"])
    # Per language.
    english = tmp_path / "en.tmx"
    export_tmx(english, "en", cache_path=_cache(folder))
    assert {_pair(tu)[0] for tu in _tmx(english).findall("body/tu")} == {"en"}
    assert len(_tmx(english).findall("body/tu")) == len({e for e in expected if e[0] == "en"})


def test_translated_and_post_edited_tei_files(memory, tmp_path):
    folder, _glossary = memory
    tei = tmp_path / "report.en.tei.xml"
    shutil.copy(folder / "report.en.tei.xml", tei)
    exported = tmp_path / "f.xlf"
    export_xliff(tei, exported, "en", "all-ru")
    root = etree.parse(str(exported)).getroot()
    unit = next(iter(root.iter(X2 + "unit")))
    target = unit.find(f"{X2}segment/{X2}target")
    for child in list(target):
        target.remove(child)
    target.text = "A reviewed English title."
    exported.write_bytes(etree.tostring(root))
    post_edited = tmp_path / "report.en.post-edited.tei.xml"
    import_xliff(tei, exported, post_edited, "Anna Smit")

    out = tmp_path / "reviewed.tmx"
    done = runner_ok(["tm", "export", "-o", str(out), "--to", "en", "--no-cache", str(post_edited)])
    assert "from 1 TEI file(s)" in done
    units = _tmx(out).findall("body/tu")
    # One unit per distinct pair: the generated report cites some Russian sources twice.
    text = lambda node: " ".join("".join(node.itertext()).split())  # noqa: E731
    expected = {
        ("en", text(u.find(f"{X2}segment/{X2}source")), text(u.find(f"{X2}segment/{X2}target")))
        for u in root.iter(X2 + "unit")
    }
    assert {_pair(tu) for tu in units} == expected and len(units) == len(expected)
    assert f"{len(list(root.iter(X2 + 'unit'))) - len(expected)} duplicates merged" in done
    by_origin = {}
    for tu in units:
        by_origin.setdefault(_props(tu)["x-coitool-origin"][0], []).append(tu)
        assert tu.get("segtype") == "block" and _props(tu)["x-coitool-document"] == [post_edited.name]
    (human,) = by_origin["post-edited"]
    assert _pair(human)[2] == "A reviewed English title." and human.get("creationid") == "Anna Smit"
    assert _props(human)["x-coitool-certainty"] == ["high"]
    assert len(by_origin["machine-translation"]) == len(units) - 1
    assert all(tu.get("creationid") == "coitool-mt" for tu in by_origin["machine-translation"])


def test_glossary_only_output_is_not_a_translation(memory, tmp_path, models_home):
    """Without a model, `translate` only renders glossary terms: that is no segment to reuse."""
    from toolkit.translate.pipeline import translate_tei

    folder, _glossary = memory
    out = tmp_path / "report.de.tei.xml"
    translate_tei(folder / "report.tei.xml", out, "de", disk_cache=False)  # models_home is empty
    done = CliRunner().invoke(main, ["tm", "export", "-o", str(tmp_path / "m.tmx"), "--no-cache", str(out)])
    assert done.exit_code == 1 and "nothing to export" in done.output
    assert not (tmp_path / "m.tmx").exists()


def test_glossary_only_output_beside_translations_stays_out(memory, tmp_path, models_home):
    """Dutch glossary-only output beside English machine translations: only translations become units,
    also once a translator's translation has taken the place of one glossary-only element."""
    from toolkit.exchange.tmx import tei_segments
    from toolkit.tei import parse_tei
    from toolkit.tei.translation import is_glossary_only

    folder, _glossary = memory
    tei = translate_glossary_only(folder / "report.en.tei.xml", tmp_path / "report.en.nl.tei.xml")
    rough = [n for n in parse_tei(tei).getroot().iter() if isinstance(n.tag, str) and is_glossary_only(n)]
    english, skipped = tei_segments(tei, "en")
    assert skipped == 0 and len(english) >= 20
    segments, skipped = tei_segments(tei)
    assert skipped == len(rough) >= 10 and {s.lang for s in segments} == {"en"} and len(segments) == len(english)
    out = tmp_path / "m.tmx"
    said = runner_ok(["tm", "export", "-o", str(out), "--no-cache", str(tei)])
    assert f"{len(rough)} glossary-only translations were left out" in said
    assert {_pair(tu)[0] for tu in _tmx(out).findall("body/tu")} == {"en"}
    done = CliRunner().invoke(main, ["tm", "export", "-o", str(out), "--to", "nl", "--no-cache", str(tei)])
    assert done.exit_code == 1 and "nothing to export: no translations into nl" in done.output

    # A translator translates one glossary-only fragment in a CAT tool: that one is a translation.
    exported = tmp_path / "report.nl.xlf"
    export_xliff(tei, exported, "nl", "all-ru")
    root = etree.parse(str(exported)).getroot()
    unit = next(u for u in root.iter(X2 + "unit") if any(n.get("id") == "glossary-only" for n in u.iter(X2 + "note")))
    etree.SubElement(unit.find(X2 + "segment"), X2 + "target").text = "Een Nederlandse vertaling."
    exported.write_bytes(etree.tostring(root))
    post_edited = tmp_path / "report.nl.post-edited.tei.xml"
    import_xliff(tei, exported, post_edited, "Anna Smit")
    dutch, skipped = tei_segments(post_edited, "nl")
    assert skipped == len(rough) - 1
    (segment,) = dutch
    assert (segment.target, segment.origin, segment.creator) == ("Een Nederlandse vertaling.", "post-edited", "Anna Smit")
    said = runner_ok(["tm", "export", "-o", str(out), "--to", "nl", "--no-cache", str(post_edited)])
    assert f"{len(rough) - 1} glossary-only translations were left out" in said
    (tu,) = _tmx(out).findall("body/tu")
    source = " ".join("".join(unit.find(f"{X2}segment/{X2}source").itertext()).split())
    assert _pair(tu) == ("nl", source, "Een Nederlandse vertaling.")


def test_old_cache_records_without_source_are_counted_not_exported(tmp_path):
    path = tmp_path / "translations.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE translation (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO translation VALUES ('abc', ?)", (json.dumps([{"text": "x", "score": 0, "terms": [], "unenforced": []}]),))
    db.commit()
    db.close()
    assert read_segments(path) == ([], 1)
    # A record written now keeps its source, and the old one is still only counted.
    from toolkit.translate.cache import SegmentSource
    from toolkit.translate.results import Hypothesis

    cache = TranslationCache(path)
    key = cache.key("Повестка пришла.", ("translate-ru_en@1.0", "glossary sha256:00"), "en")
    cache.put(key, [Hypothesis("The summons came.", -0.5)], SegmentSource("Повестка пришла.", ("translate-ru_en@1.0", "glossary sha256:00"), "en"))
    cache.close()
    (segment,), old = read_segments(path)
    assert old == 1 and segment.pipeline == PIPELINE_VERSION
    assert (segment.source.text, segment.hypotheses[0].text, segment.glossary_checksum) == ("Повестка пришла.", "The summons came.", "sha256:00")
    out = tmp_path / "m.tmx"
    message = runner_ok(["tm", "export", "-o", str(out), "--cache-file", str(path)])
    assert "1 older cache records have no source" in message
    (tu,) = _tmx(out).findall("body/tu")
    assert _pair(tu) == ("en", "Повестка пришла.", "The summons came.")


def test_nothing_to_export_and_bad_input(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["tm", "export", "-o", str(tmp_path / "m.tmx"), "--cache-file", str(tmp_path / "none.sqlite3")])
    assert done.exit_code == 1 and "nothing to export" in done.output
    bad = tmp_path / "bad.tei.xml"
    bad.write_text("<TEI")
    done = runner.invoke(main, ["tm", "export", "-o", str(tmp_path / "m.tmx"), "--no-cache", str(bad)])
    assert done.exit_code == 1 and done.output.startswith("Error: ") and len(done.output.strip().splitlines()) == 1
    assert not (tmp_path / "m.tmx").exists()
    assert "Examples:" in runner.invoke(main, ["tm", "export", "--help"]).output


def runner_ok(args) -> str:
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return done.output
