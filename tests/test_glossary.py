"""The glossary: lemma matching of Russian terms, TSV and TBX files, checks and the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import GlossaryError
from toolkit.glossary import (
    Glossary,
    GlossaryEntry,
    TermMatch,
    check,
    read_glossary,
    read_tbx,
    read_tsv,
    write_tbx,
    write_tsv,
)


@pytest.fixture(scope="module")
def shipped() -> Glossary:
    return Glossary.default()


def entry(term: str, ident: str, en: str = "x", nl: str = "x", de: str = "x", **extra) -> GlossaryEntry:
    return GlossaryEntry(ident, term, {"en": en, "nl": nl, "de": de}, extra.pop("pos", "noun"), **extra)


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


# -- matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, term, surface",
    [
        ("Его вызвали повестками", "повестка", "повестками"),
        ("вручили повесткой", "повестка", "повесткой"),
        ("Военкоматы проверяют адреса", "военкомат", "Военкоматы"),
        ("признан иностранным агентом", "иностранный агент", "иностранным агентом"),
        ("её объявили иноагентом", "иноагент", "иноагентом"),
        ("штраф за ЛГБТ-пропаганду", "ЛГБТ-пропаганда", "ЛГБТ-пропаганду"),
        ("дело о ЛГБТ‑пропаганде", "ЛГБТ-пропаганда", "ЛГБТ‑пропаганде"),  # non-breaking hyphen
        ("участие в деятельности нежелательной организации",
         "участие в деятельности нежелательной организации",
         "участие в деятельности нежелательной организации"),
        ("статус нежелательной организации", "нежелательная организация", "нежелательной организации"),
        ("данные из Единого реестра воинского учета", "Единый реестр воинского учёта", "Единого реестра воинского учета"),
        ("данные из Единого реестра воинского учёта", "Единый реестр воинского учёта", "Единого реестра воинского учёта"),
        ("Дело возбудил СК.", "СК", "СК"),
        ("приговорён к колонии общего режима", "колония общего режима", "колонии общего режима"),
        ("мобилизованных отправили на фронт", "мобилизованный", "мобилизованных"),
        ("получить отсрочку от призыва", "отсрочка от призыва", "отсрочку от призыва"),
        ("за самовольное оставление части", "самовольное оставление части", "самовольное оставление части"),
        ("о самовольном оставлении части", "самовольное оставление части", "самовольном оставлении части"),
        ("дело о госизмене", "госизмена", "госизмене"),
        ("в ходе СВО", "СВО", "СВО"),
        ("записаться через Госуслуги", "Госуслуги", "Госуслуги"),
        ("на Госуслугах появилась повестка", "Госуслуги", "Госуслугах"),
        ("ПОВЕСТКА В ВОЕНКОМАТ", "повестка", "ПОВЕСТКА"),
        ("жалоба в Верховный суд", "Верховный суд", "Верховный суд"),
        ("решение Верховного суда", "Верховный суд", "Верховного суда"),
        ("штраф по статье о дискредитации армии", "дискредитация армии", "дискредитации армии"),
    ],
)
def test_inflected_forms_match_their_lemma(shipped, text, term, surface):
    found = {(m.entry.term, m.surface) for m in shipped.match(text)}
    assert (term, surface) in found


def test_sentence_with_several_terms_keeps_offsets_casing_and_punctuation(shipped):
    text = "Повестку принесли в пятницу; военкомат (по словам ФСБ) угрожал «иноагентам»!"
    matches = shipped.match(text)
    assert [m.entry.term for m in matches] == ["повестка", "военкомат", "ФСБ", "иноагент"]
    for m in matches:
        assert isinstance(m, TermMatch)
        assert text[m.start : m.end] == m.surface
    assert [m.surface for m in matches] == ["Повестку", "военкомат", "ФСБ", "иноагентам"]
    assert [m.start for m in matches] == sorted(m.start for m in matches)


def test_acronyms_match_case_sensitively(shipped):
    assert [m.surface for m in shipped.match("СК возбудил дело, а ск ответил")] == ["СК"]
    assert shipped.match("ск") == []
    assert [m.entry.term for m in shipped.match("по данным МВД и ФСИН")] == ["МВД", "ФСИН"]


def test_longest_match_wins_and_matches_do_not_overlap():
    g = Glossary("t", "1", [
        entry("агент", "agent"),
        entry("иностранный агент", "inostrannyj-agent"),
        entry("реестр иностранных агентов", "reestr"),
        entry("реестр", "reestr-alone"),
        entry("военная служба", "voennaya-sluzhba"),
        entry("уклонение от военной службы", "uklonenie"),
    ])
    found = g.match("Его внесли в реестр иностранных агентов за уклонение от военной службы, а агента нет.")
    assert [(m.entry.id, m.surface) for m in found] == [
        ("reestr", "реестр иностранных агентов"),
        ("uklonenie", "уклонение от военной службы"),
        ("agent", "агента"),
    ]
    # the shorter term still matches where the longer one does not
    assert [m.entry.id for m in g.match("служба в армии — военная служба")] == ["voennaya-sluzhba"]


def test_multiword_terms_do_not_span_punctuation():
    g = Glossary("t", "1", [entry("иностранный агент", "ia")])
    assert g.match("иностранный, агент") == []
    assert [m.surface for m in g.match("иностранный\nагент")] == ["иностранный\nагент"]


def test_term_with_quotes_takes_the_closing_quote(shipped):
    text = "сотрудники Центра «Э» пришли"
    (m,) = shipped.match(text)
    assert m.surface == "Центра «Э»" and text[m.start : m.end] == m.surface


def test_every_shipped_term_matches_itself(shipped):
    for e in shipped.entries:
        assert [(m.entry.id, m.surface) for m in shipped.match(e.term)] == [(e.id, e.term)], e.term


def test_no_match_in_text_without_terms(shipped):
    assert shipped.match("") == []
    assert shipped.match("Погода в Москве сегодня солнечная") == []
    assert shipped.match("Dienstplicht en oproep in het Nederlands") == []


# -- the shipped glossary -----------------------------------------------------------------


def test_shipped_glossary_is_complete_and_passes_check(shipped):
    assert len(shipped) >= 250
    assert shipped.name == "ru-asylum" and shipped.version
    for e in shipped.entries:
        assert all(e.targets.get(lang) for lang in ("en", "nl", "de")), e.term
    assert check(shipped) == []
    assert len({e.id for e in shipped.entries}) == len(shipped)


def test_shipped_renderings_follow_asylum_sources(shipped):
    def targets(term):
        e = shipped.find(term)
        return e.targets["en"], e.targets["nl"], e.targets["de"]

    assert targets("повестка") == ("summons", "oproep", "Einberufungsbescheid")
    assert targets("иностранный агент")[1] == "buitenlands agent"
    assert targets("нежелательная организация")[:2] == ("undesirable organisation", "ongewenste organisatie")
    assert targets("военкомат")[0] == "military enlistment office"
    fsb = shipped.find("ФСБ")
    assert fsb.do_not_translate and shipped.target(fsb, "en") == "FSB"
    assert "Einberufungsbescheiden" in shipped.target_forms(shipped.find("повестка"), "de")
    assert shipped.find("повестка").forms["de:dat.pl"] == ("Einberufungsbescheiden",)


def test_target_falls_back_for_do_not_translate_only():
    g = Glossary("t", "1", [
        GlossaryEntry("memorial", "Мемориал", {}, "name", do_not_translate=True),
        GlossaryEntry("povestka", "повестка", {"en": "summons"}, "noun"),
    ])
    assert g.target(g.entries[0], "nl") == "Мемориал"
    assert g.target(g.entries[1], "en") == "summons"
    assert g.target(g.entries[1], "nl") == ""


def test_checksum_ignores_order_but_not_content(shipped):
    reordered = Glossary("other-name", "9", reversed(shipped.entries))
    assert reordered.checksum == shipped.checksum
    assert shipped.checksum.startswith("sha256:") and len(shipped.checksum) == 7 + 64
    changed = list(shipped.entries)
    changed[0] = GlossaryEntry(changed[0].id, changed[0].term, {**changed[0].targets, "en": "call-up"}, changed[0].pos)
    assert Glossary("x", "1", changed).checksum != shipped.checksum


def test_glossary_dir_can_be_overridden(tmp_path, monkeypatch):
    write(tmp_path / "ru-asylum.tsv", """
        # name: tiny
        # version: 3
        term\ten\tnl\tde
        повестка\tsummons\toproep\tEinberufungsbescheid
    """)
    monkeypatch.setenv("COITOOL_GLOSSARY_DIR", str(tmp_path))
    g = Glossary.default()
    assert (g.name, g.version, len(g)) == ("tiny", "3", 1)
    assert g.entries[0].id == "povestka"


# -- merging ---------------------------------------------------------------------------------


def test_later_files_win_per_term(tmp_path, shipped):
    first = write(tmp_path / "first.tsv", """
        term\tpos\ten\tnl\tde
        повестка\tnoun\tcall-up papers\tkennisgeving\tBescheid
        отсрочка\tnoun\tpostponement\tuitstel\tAufschub
    """)
    second = write(tmp_path / "second.tsv", """
        term\tpos\ten\tnl\tde
        Повестка\tnoun\tdraft notice\toproeping\tEinberufung
    """)
    g = Glossary.load([first, second])
    assert g.find("повестка").targets["en"] == "draft notice"
    assert g.find("отсрочка").targets["en"] == "postponement"
    assert g.find("военкомат").targets["en"] == "military enlistment office"  # from the shipped glossary
    assert len(g) == len(shipped)
    assert [m.entry.targets["en"] for m in g.match("повесткой")] == ["draft notice"]
    assert Glossary.load([second, first]).find("повестка").targets["en"] == "call-up papers"
    only_mine = Glossary.load([first], include_default=False)
    assert len(only_mine) == 2 and only_mine.name == "first"
    assert g.checksum != shipped.checksum


# -- TSV -----------------------------------------------------------------------------------------


def test_tsv_reads_flags_forms_and_metadata(tmp_path):
    path = write(tmp_path / "mine.tsv", """
        # name: my-terms
        # version: 2024.2
        # licence: CC0
        term\tpos\ten\tnl\tde\tdo_not_translate\tforms\tnote

        ФСБ\tabbr\tFSB\tFSB\tFSB\tyes\t\tFederal Security Service
        иностранный агент\tphrase\tforeign agent\tbuitenlands agent\tausländischer Agent\tno\tde:gen.sg=ausländischen Agenten; de=ausländische Agenten|ausländischen Agenten\tAB
    """)
    g = read_tsv(path)
    assert (g.name, g.version, g.licence) == ("my-terms", "2024.2", "CC0")
    fsb, agent = g.entries
    assert fsb.do_not_translate and fsb.id == "fsb" and fsb.note == "Federal Security Service"
    assert not agent.do_not_translate and agent.id == "inostrannyj-agent"
    assert agent.forms == {"de:gen.sg": ("ausländischen Agenten",), "de": ("ausländische Agenten", "ausländischen Agenten")}


@pytest.mark.parametrize(
    "body, message",
    [
        ("term\ten\tnl\nповестка\tsummons\n", r"bad\.tsv:2: expected 3 tab-separated columns \(term, en, nl\), found 2"),
        ("term\ten\n\tsummons\n", r"bad\.tsv:2: empty term"),
        ("term\ten\tfr-x\nповестка\ta\tb\n", r"bad\.tsv:1: unknown column 'fr-x'"),
        ("term\ten\txx\nповестка\ta\tb\n", r"bad\.tsv:1: unknown column 'xx'; expected term, pos"),
        ("term\ten\tru\nповестка\ta\tb\n", r"bad\.tsv:1: column 'ru' appears twice"),
        ("term\ten\tdnt\nповестка\tsummons\tmaybe\n", r"bad\.tsv:2: do_not_translate must be yes or no, not 'maybe'"),
        ("term\ten\tforms\nповестка\tsummons\tde-Bescheid\n", r"bad\.tsv:2: forms must read LANG"),
        ("en\tnl\nsummons\toproep\n", r"bad\.tsv:1: the header line has no 'term' column"),
        ("# only comments\n", r"bad\.tsv: no header line"),
        ("term\tid\nповестка\tp\nотсрочка\tp\n", r"bad\.tsv:3: id 'p' already used on line 2"),
    ],
)
def test_tsv_errors_name_file_and_line(tmp_path, body, message):
    path = tmp_path / "bad.tsv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as caught:
        read_tsv(path)
    assert "\n" not in str(caught.value)


def test_tsv_that_is_not_utf8(tmp_path):
    path = tmp_path / "cp1251.tsv"
    path.write_bytes("term\ten\nповестка\tsummons\n".encode("cp1251"))
    with pytest.raises(GlossaryError, match=r"cp1251\.tsv: not UTF-8"):
        read_tsv(path)


def test_missing_file(tmp_path):
    with pytest.raises(GlossaryError, match="glossary file not found"):
        Glossary.load([tmp_path / "nope.tsv"])


def test_tsv_round_trip_is_lossless(tmp_path, shipped):
    write_tsv(shipped, tmp_path / "copy.tsv")
    again = read_tsv(tmp_path / "copy.tsv")
    assert [e.canonical() for e in again.entries] == [e.canonical() for e in shipped.entries]
    assert (again.name, again.version, again.licence) == (shipped.name, shipped.version, shipped.licence)


# -- TBX -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("version, root", [("v2", "<martif type=\"TBX-Basic\""), ("v3", "<tbx xmlns=\"urn:iso:std:iso:30042:ed-2\"")])
def test_tsv_tbx_tsv_round_trip_is_lossless(tmp_path, shipped, version, root):
    tbx = tmp_path / f"ru-asylum-{version}.tbx"
    write_tbx(shipped, tbx, version)
    text = tbx.read_text(encoding="utf-8")
    assert root in text
    if version == "v3":
        assert 'style="dca"' in text and "<conceptEntry" in text and "<termSec>" in text
    else:
        assert "<termEntry" in text and "<tig>" in text and "TBXBasicXCSV02.xcs" in text
    back = read_tbx(tbx)
    assert (back.name, back.version, back.licence) == (shipped.name, shipped.version, shipped.licence)
    assert [e.canonical() for e in back.entries] == [e.canonical() for e in shipped.entries]
    assert back.checksum == shipped.checksum
    write_tsv(back, tmp_path / "back.tsv")
    assert read_tsv(tmp_path / "back.tsv").checksum == shipped.checksum


def test_tbx_keeps_flags_pos_and_forms(tmp_path):
    g = Glossary("t", "1", [
        GlossaryEntry("fsb", "ФСБ", {"en": "FSB"}, "abbr", "Federal Security Service", True),
        GlossaryEntry("ia", "иностранный агент", {"en": "foreign agent", "de": "ausländischer Agent"}, "phrase",
                      forms={"de:gen.sg": ("ausländischen Agenten",), "de": ("ausländische Agenten",)}),
        GlossaryEntry("mem", "Мемориал", {"en": "Memorial"}, "name"),
        GlossaryEntry("sud", "суд", {"en": "court"}, "noun"),
    ])
    for version in ("v2", "v3"):
        write_tbx(g, tmp_path / "t.tbx", version)
        text = (tmp_path / "t.tbx").read_text(encoding="utf-8")
        assert '<termNote type="administrativeStatus">doNotTranslate</termNote>' in text
        assert '<termNote type="partOfSpeech">properNoun</termNote>' in text
        assert [e.canonical() for e in read_tbx(tmp_path / "t.tbx").entries] == [e.canonical() for e in g.entries]


CAT_TOOL_TBX = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US">
  <martifHeader>
    <fileDesc><titleStmt><title>Client termbase</title></titleStmt>
      <sourceDesc><p>Exported from a CAT tool</p></sourceDesc></fileDesc>
    <encodingDesc><p type="XCSURI">TBXXCSV02.xcs</p></encodingDesc>
  </martifHeader>
  <text>
    <body>
      <termEntry id="_c8d0a1">
        <descripGrp><descrip type="definition">Written order to report to the military commissariat</descrip></descripGrp>
        <langSet xml:lang="RU-ru">
          <ntig>
            <termGrp>
              <term>повестка</term>
              <termNote type="partOfSpeech">Noun</termNote>
            </termGrp>
          </ntig>
        </langSet>
        <langSet xml:lang="en-GB">
          <ntig><termGrp><term>call-up notice</term></termGrp></ntig>
          <ntig><termGrp><term>summons</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
        </langSet>
        <langSet xml:lang="nl-NL"><tig><term>oproep</term></tig></langSet>
      </termEntry>
      <termEntry id="2">
        <langSet xml:lang="ru"><tig><term>ФСБ</term><termNote type="termType">acronym</termNote>
          <termNote type="usageNote">Do not translate</termNote></tig></langSet>
        <langSet xml:lang="de"><tig><term>FSB</term></tig></langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""


def test_cat_tool_tbx_imports(tmp_path):
    path = tmp_path / "client.tbx"
    path.write_text(CAT_TOOL_TBX, encoding="utf-8")
    g = read_glossary(path)
    assert g.name == "Client termbase"
    povestka, fsb = g.entries
    assert povestka.term == "повестка" and povestka.pos == "noun" and povestka.id == "_c8d0a1"
    assert povestka.targets == {"en": "summons", "nl": "oproep"}
    assert povestka.forms == {"en": ("call-up notice",)}
    assert povestka.note == "Written order to report to the military commissariat"
    assert fsb.id == "fsb"  # "2" is not an XML name
    assert fsb.pos == "abbr" and fsb.do_not_translate and fsb.targets == {"de": "FSB"}
    assert [m.entry.id for m in g.match("Повесткой вызвали в ФСБ")] == ["_c8d0a1", "fsb"]


@pytest.mark.parametrize(
    "body, message",
    [
        ("this is not xml", r"bad\.tbx:1: not well-formed XML"),
        ('<?xml version="1.0"?>\n<TEI><text/></TEI>', r"bad\.tbx:2: not a TBX file \(root element <TEI>"),
        ('<martif type="TBX-Basic"><text><body>\n<termEntry id="c1"><langSet xml:lang="en"><tig><term>summons</term>'
         "</tig></langSet></termEntry></body></text></martif>", r"bad\.tbx:2: entry 'c1' has no Russian"),
        ('<martif type="TBX-Basic"><text><body/></text></martif>', r"bad\.tbx: TBX file has no termEntry"),
        ('<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
         '<martif><text><body><termEntry><langSet xml:lang="ru"><tig><term>&xxe;</term></tig></langSet>'
         "</termEntry></body></text></martif>", r"bad\.tbx:3: entity reference &xxe; is not allowed"),
    ],
)
def test_tbx_errors_name_file_and_line(tmp_path, body, message):
    path = tmp_path / "bad.tbx"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message) as caught:
        read_tbx(path)
    assert "\n" not in str(caught.value)


# -- check -----------------------------------------------------------------------------------------


def test_check_finds_duplicates_missing_targets_and_non_lemmas():
    g = Glossary("t", "1", [
        entry("повестка", "a"),
        entry("повестки", "b"),  # plural: same lemma sequence as повестка, and not a lemma
        GlossaryEntry("c", "военкомат", {"en": "military commissariat"}, "noun"),
        entry("иностранного агента", "d", pos="phrase"),
        entry("нежелательная организация", "e", pos="phrase"),  # agreeing adjective: fine
        entry("СК", "f", pos="abbr"),
        entry("xyz", "g"),
        entry("сво", "h"),  # an acronym written in lower case
    ])
    problems = check(g)
    text = "\n".join(problems)
    assert "'повестки' (b): duplicate of 'повестка'" in text
    assert "'повестки' (b): 'повестки' is not in lemma form (lemma: 'повестка')" in text
    assert "'военкомат' (c): no nl rendering" in text and "'военкомат' (c): no de rendering" in text
    assert "'иностранного агента' (d): 'иностранного' is not in lemma form" in text
    assert not any("нежелательная" in p or "'СК'" in p or "'повестка' (a)" in p for p in problems)
    assert "'xyz' (g): not a Russian term" in text
    assert "'сво' (h): 'сво' is unknown to the morphological dictionary" in text
    assert len(problems) == 7


# -- CLI -----------------------------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_cli_check_shipped_and_bad_file(tmp_path):
    result = run("glossary", "check")
    assert result.exit_code == 0, result.output
    bad = write(tmp_path / "mine.tsv", """
        term\ten\tnl\tde
        повестками\tsummons\toproep\tBescheid
        военкомат\tmilitary commissariat\t\tMilitärkommissariat
    """)
    result = run("glossary", "check", str(bad))
    assert result.exit_code == 1
    assert "not in lemma form" in result.output and "'военкомат' (voenkomat): no nl rendering" in result.output


def test_cli_export_import_round_trip(tmp_path, shipped):
    tbx = tmp_path / "out.tbx"
    assert run("glossary", "export", "-o", str(tbx), "--tbx-version", "v2").exit_code == 0
    assert tbx.read_text(encoding="utf-8").count("<termEntry") == len(shipped)
    tsv = tmp_path / "back.tsv"
    result = run("glossary", "import", str(tbx), "-o", str(tsv))
    assert result.exit_code == 0, result.output
    assert read_tsv(tsv).checksum == shipped.checksum
    mine = write(tmp_path / "mine.tsv", "term\ten\tnl\tde\nпикет\tpicket line\tpiket\tStreikposten\n")
    merged = tmp_path / "merged.tsv"
    assert run("glossary", "export", "--glossary", str(mine), "-o", str(merged)).exit_code == 0
    assert read_tsv(merged).find("пикет").targets["en"] == "picket line"
    only = tmp_path / "only.tbx"
    assert run("glossary", "export", "--no-default-glossary", "--glossary", str(mine), "-o", str(only)).exit_code == 0
    assert len(read_tbx(only)) == 1


def test_cli_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("term\ten\nповестка\tsummons\textra\n", encoding="utf-8")
    result = run("glossary", "export", "--glossary", str(bad), "-o", str(tmp_path / "x.tbx"))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert result.output.startswith("Error: ") and "bad.tsv:2: expected 2 tab-separated columns" in result.output
    assert not (tmp_path / "x.tbx").exists()
    notxml = tmp_path / "bad.tbx"
    notxml.write_text("<martif", encoding="utf-8")
    result = run("glossary", "import", str(notxml), "-o", str(tmp_path / "y.tsv"))
    assert result.exit_code == 1 and "not well-formed XML" in result.output


def test_cli_show_finds_inflected_terms():
    result = run("glossary", "show", "признан иностранным агентом")
    assert result.exit_code == 0
    assert "иностранный агент  [phrase]  gloss-inostrannyj-agent" in result.output
    assert "nl: buitenlands agent" in result.output
    assert run("glossary", "show", "погода").exit_code == 1


def test_every_glossary_command_has_help_with_examples():
    for command in ("import", "export", "check", "show"):
        result = run("glossary", command, "--help")
        assert result.exit_code == 0 and "Examples:" in result.output
