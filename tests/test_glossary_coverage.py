"""Coverage of the domain: the shipped glossary against the list of core terms of COI work on Russia."""

from __future__ import annotations

import re
import textwrap
from dataclasses import replace

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import GlossaryError
from toolkit.glossary import (
    COVERAGE_FLOOR,
    DEFAULT_COVERAGE,
    Glossary,
    coverage,
    glossary_dir,
    inflected_forms,
    read_coverage,
)

SOURCE_CODES = {"EUAA-MS", "EUAA-CL", "DIS-SMA", "glossary", "own"}
# The areas the list must span (the brief of COI work on Russia: military service law,
# criminal and administrative law, extremism, foreign agents, LGBT "propaganda", protest, state).
AREAS = {
    "military", "criminal-law", "administrative-law", "courts", "investigation", "detention", "extremism",
    "terrorism", "foreign-agents", "undesirable", "lgbt", "protest", "state-bodies", "documents", "laws",
}


@pytest.fixture(scope="module")
def core_terms():
    return read_coverage(glossary_dir() / DEFAULT_COVERAGE)


@pytest.fixture(scope="module")
def shipped():
    return Glossary.default()


@pytest.fixture(scope="module")
def shipped_report(shipped, core_terms):
    return coverage(shipped, core_terms, DEFAULT_COVERAGE)


def test_the_list_names_300_core_terms_with_renderings_and_sources(core_terms):
    assert len(core_terms) >= 300
    assert AREAS <= {item.area for item in core_terms}
    for item in core_terms:
        assert all(item.expected[lang] for lang in ("en", "nl", "de")), item.term
        parts = [p.strip() for p in item.source.split(";")]
        if parts[0].startswith("law: "):
            assert len(parts[0]) > len("law: ") + 3, item.term
            parts = parts[1:]
        named = {}
        for part in parts:
            languages, _, code = part.partition(": ")
            assert code in SOURCE_CODES, (item.term, item.source)
            for lang in languages.split(", "):
                named[lang] = code
        assert set(named) == {"en", "nl", "de"}, (item.term, item.source)
    by_term = {item.term: item for item in core_terms}
    # the terms a user found missing: conscription and extremism vocabulary
    for term in ("призывная комиссия", "военнообязанный", "экстремистский материал", "О воинской обязанности и военной службе"):
        assert term in by_term


@pytest.mark.parametrize(
    "term, present, absent",
    [
        ("призывная комиссия", ["призывной комиссии", "призывную комиссию", "призывной комиссией", "призывных комиссий"], []),
        # inanimate masculine: accusative = nominative; animate: accusative = genitive
        ("военный билет", ["военного билета", "военном билете", "военные билеты"], ["военного билет"]),
        ("военный комиссар", ["военного комиссара", "военных комиссаров"], []),
        ("мировой судья", ["мирового судью", "мировым судьёй", "мировым судьей", "мировых судей"], ["мировой судью"]),
        # governed words stay as they are
        ("отказ от военной службы по убеждениям", ["отказа от военной службы по убеждениям"], ["отказа от военного службы"]),
        ("Единый реестр воинского учёта", ["Единого реестра воинского учёта", "Единого реестра воинского учета"], []),
        # the acronym before the hyphen does not decline
        ("ЛГБТ-пропаганда", ["ЛГБТ-пропаганду", "ЛГБТ-пропагандой"], ["ЛГБТА-пропаганды"]),
        ("СМИ-иноагент", ["СМИ-иноагентом", "СМИ-иноагентов"], []),
        ("колония-поселение", ["колонии-поселения", "колонией-поселением"], []),
        # a plural term keeps to the plural
        ("Свидетели Иеговы", ["Свидетелей Иеговы", "Свидетелях Иеговы"], ["Свидетель Иеговы", "Свидетеля Иеговы"]),
        ("Госуслуги", ["Госуслугах", "Госуслугами"], []),
        ("политический заключённый", ["политического заключённого", "политических заключенных"], []),
        ("невыездной", ["невыездного", "невыездные"], []),
        ("повестка", ["повестки", "повесткой", "повесток", "Повестка"], []),
    ],
)
def test_inflected_forms_are_the_ones_running_text_has(term, present, absent):
    forms = inflected_forms(term)
    assert forms[0] == term
    for form in present:
        assert form in forms, (form, forms)
    for form in absent:
        assert form not in forms, (form, forms)


@pytest.mark.parametrize("term", ["УК РФ", "заочно", "нет войне", "ОВД-Инфо"])
def test_terms_without_a_declining_head_keep_their_form(term):
    assert inflected_forms(term) in ((term,), (term, term[0].upper() + term[1:]))


def test_the_shipped_glossary_covers_the_list_in_inflected_forms(shipped_report):
    report = shipped_report
    assert report.forms >= 6 * report.total  # the inflected forms were really generated and looked for
    assert report.share >= COVERAGE_FLOOR, report.problems()[:10]
    assert report.agreement >= COVERAGE_FLOOR, report.problems()[:10]
    assert report.passes


def test_a_glossary_without_a_term_or_with_another_rendering_is_reported(shipped, core_terms):
    entries = [e for e in shipped.entries if e.term != "призывная комиссия"]
    entries = [replace(e, targets={**e.targets, "en": "draft office"}) if e.term == "военкомат" else e for e in entries]
    report = coverage(Glossary("edited", "1", entries), core_terms, "core")
    missed = [r.item.term for r in report.missed]
    assert missed == ["призывная комиссия"]
    assert [r.item.term for r in report.differing] == ["военкомат"]
    problems = report.problems()
    assert "coverage: 'призывная комиссия' (military) is not in the glossary" in problems
    assert any(p.startswith("coverage: 'военкомат' en: glossary 'draft office', list 'military enlistment office'") for p in problems)
    assert report.share == pytest.approx((len(core_terms) - 1) / len(core_terms))


def test_a_term_found_only_in_part_is_not_covered(core_terms):
    """A glossary with комиссия but not призывная комиссия matches part of each form only."""
    from toolkit.glossary import GlossaryEntry

    item = next(i for i in core_terms if i.term == "призывная комиссия")
    partial = Glossary("partial", "1", [GlossaryEntry("komissiya", "комиссия", {"en": "commission"}, "noun")])
    (result,) = coverage(partial, [item]).results
    assert not result.covered and result.entry is None
    assert set(result.missed) == set(result.forms)



def test_reading_a_malformed_list_names_the_line(tmp_path):
    def write(text):
        path = tmp_path / "list.tsv"
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    with pytest.raises(GlossaryError, match=r"list.tsv:1: a coverage list needs the columns .* missing source"):
        read_coverage(write("term\tarea\ten\tnl\tde\nповестка\tmilitary\tsummons\toproep\tBescheid\n"))
    with pytest.raises(GlossaryError, match=r"list.tsv:3: 'Повестка' is already listed on line 2"):
        read_coverage(write("""
            term\tarea\ten\tnl\tde\tsource
            повестка\tmilitary\tsummons\toproep\tBescheid\town
            Повестка\tmilitary\tsummons\toproep\tBescheid\town
        """))
    with pytest.raises(GlossaryError, match=r"list.tsv:2: 'повестка' needs an en, nl and de rendering and a source"):
        read_coverage(write("term\tarea\ten\tnl\tde\tsource\nповестка\tmilitary\tsummons\t\tBescheid\town\n"))
    with pytest.raises(GlossaryError, match=r"list.tsv:2: expected 6 tab-separated columns, found 2"):
        read_coverage(write("term\tarea\ten\tnl\tde\tsource\nповестка\tmilitary\n"))


def test_cli_check_reports_coverage(tmp_path):
    runner = CliRunner()
    done = runner.invoke(main, ["glossary", "check"])
    assert done.exit_code == 0, done.output
    summary = done.stderr.strip().splitlines()[-1]
    assert re.search(r"\d+ entries, no problems; coverage (\d+) of \1 terms of ru-asylum-coverage.tsv \(100.0 %", summary)

    small = tmp_path / "small.tsv"
    small.write_text("term\ten\tnl\tde\nповестка\tsummons\toproep\tEinberufungsbescheid\n", encoding="utf-8")
    coverage_list = str(glossary_dir() / DEFAULT_COVERAGE)
    done = runner.invoke(main, ["glossary", "check", str(small), "--coverage", coverage_list])
    assert done.exit_code == 1
    assert f"{small}: coverage: 'призывная комиссия' (military) is not in the glossary" in done.stdout
    assert "повестка" not in " ".join(line for line in done.stdout.splitlines() if "not in the glossary" in line).split("'")[1::2]
    assert "coverage 1 of" in done.stderr

    done = runner.invoke(main, ["glossary", "check", str(small)])  # a user's file: no coverage unless asked
    assert done.exit_code == 0 and "coverage" not in done.output
    done = runner.invoke(main, ["glossary", "check", "--coverage", coverage_list, "--no-coverage"])
    assert done.exit_code == 2 and "not both" in done.output
