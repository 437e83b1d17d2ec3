"""Glossary placeholders: a configurable form, recognised when a model damages it; ranking counted in TEI."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import CoitoolError
from toolkit.glossary import Glossary, GlossaryEntry
from toolkit.tei import T, parse_tei, validate_tei
from toolkit.translate.backends import Backend, load_model
from toolkit.translate.engine import PLACEHOLDER, PLACEHOLDER_PATTERN, TranslationEngine
from toolkit.translate.placeholders import DEFAULT_PLACEHOLDER, Masked, PlaceholderForm, Slot
from toolkit.translate.results import Hypothesis

pytestmark = pytest.mark.usefixtures("no_network")


REPORT = (
    '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
    "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>"
    '<text xml:lang="nl"><body><p>Zie <title xml:lang="ru">Повестка пришла</title> en '
    '<seg xml:lang="ru">Военкомат молчит. Ничего не известно.</seg></p></body></text></TEI>'
)


def masked(count: int, form: PlaceholderForm = DEFAULT_PLACEHOLDER) -> Masked:
    """``ZXQ1 и ZXQ2 и …``: a masked sentence with ``count`` placeholders."""
    parts, slots, length = [], [], 0
    for index in range(count):
        if index:
            parts.append(" и ")
            length += 3
        token = form.format(index + 1)
        parts.append(token)
        slots.append(Slot(length, length + len(token), index))
        length += len(token)
    return Masked("".join(parts), tuple(slots))


def found(output: str, count: int, form: PlaceholderForm = DEFAULT_PLACEHOLDER):
    slots = form.slots(masked(count, form), output)
    return None if slots is None else [(output[s.start:s.end], s.index) for s in slots]


@pytest.mark.parametrize(
    "output, expected",
    [
        ("ZXQ1 and ZXQ2", [("ZXQ1", 0), ("ZXQ2", 1)]),
        ("zxq1 and Zxq2", [("zxq1", 0), ("Zxq2", 1)]),  # case
        ("ZXQ 1 and Z X Q 2", [("ZXQ 1", 0), ("Z X Q 2", 1)]),  # spacing
        ("ZXQ-1 and ZXQ\u00a02", [("ZXQ-1", 0), ("ZXQ\u00a02", 1)]),
        ("ЗХQ1 and ZХԚ2", [("ЗХQ1", 0), ("ZХԚ2", 1)]),  # Cyrillic Ze, Kha, Qa
        ("зхк1 and ЗХК2", [("зхк1", 0), ("ЗХК2", 1)]),  # transliterated: Q as Ka
        ("ZQX1 and XZQ2", [("ZQX1", 0), ("XZQ2", 1)]),  # letters swapped
        ("ZXQ2 came before ZXQ1.", [("ZXQ2", 1), ("ZXQ1", 0)]),  # reordered by the model
        ("(ZXQ1), «ZXQ2».", [("ZXQ1", 0), ("ZXQ2", 1)]),
    ],
)
def test_damaged_placeholders_are_recognised(output, expected):
    assert found(output, 2) == expected


def test_split_digits_are_joined_only_when_the_number_exists():
    output = " ".join(DEFAULT_PLACEHOLDER.format(n) for n in range(1, 12)) + " ZXQ1 2"
    slots = found(output, 12)
    assert slots[-1] == ("ZXQ1 2", 11)
    # one placeholder: "ZXQ1 2" is the first term followed by the number 2
    assert found("ZXQ1 2 people", 1) == [("ZXQ1", 0)]


def test_a_lone_placeholder_that_lost_its_number_is_still_found():
    assert found("He was handed a ZXQ.", 1) == [("ZXQ", 0)]
    assert found("ZXQ and ZXQ", 1) is None  # two of them: which is which?
    assert found("ZXQ and ZXQ2", 2) is None


@pytest.mark.parametrize(
    "output",
    [
        "ZXQ1 only",  # the second is lost
        "ZXQ1 and ZXQ1",  # duplicated
        "ZZQ1 and ZXQ2",  # not the form's letters
        "XQ1 and ZXQ2",  # a letter dropped
        "FOOZXQ1 and ZXQ2",  # inside a word
        "ZXQ1 and ZXQ3",  # a number that was never given out
        "",
    ],
)
def test_what_cannot_be_recognised_is_lost(output):
    assert found(output, 2) is None


def test_the_form_is_configurable_and_checked():
    form = PlaceholderForm.parse("QVW{n}")
    assert (form.letters, form.format(3), form.template) == ("QVW", "QVW3", "QVW{}")
    assert PlaceholderForm.parse("QVW") == form and PlaceholderForm.parse("QVW{}") == form
    assert found("qvw 2 then ԚVW1", 2, form) == [("qvw 2", 1), ("ԚVW1", 0)]
    assert found("ZXQ1 and ZXQ2", 2, form) is None  # another form's placeholders are text
    for bad in ("ZZQ", "Z", "zxq", "ZXQ1", "ABCDEFG", "ZX Q"):
        with pytest.raises(CoitoolError, match="2 to 6 different Latin capitals"):
            PlaceholderForm.parse(bad)
    # the names the engine has always offered stay the default form's
    assert PLACEHOLDER == "ZXQ{}" and PLACEHOLDER_PATTERN.search("Z X Q 7").group(1) == "7"


class Damaging(Backend):
    """A stand-in model that copies its input, writing placeholders as a Russian-facing model might."""

    source, target = "ru", "en"

    def __init__(self, damage):
        self.damage = damage
        self.inputs: list[str] = []

    @property
    def identity(self):
        return ("damaging@1",)

    def translate(self, texts, num_hypotheses=1):
        self.inputs += list(texts)
        return [[Hypothesis(self.damage(t), -float(rank)) for rank in range(num_hypotheses)] for t in texts]


def small_glossary() -> Glossary:
    return Glossary("small", "1", [
        GlossaryEntry("povestka", "повестка", {"en": "summons"}, "noun"),
        GlossaryEntry("voenkomat", "военкомат", {"en": "military enlistment office"}, "noun"),
    ])


def test_terms_come_back_through_damaged_placeholders(tmp_path):
    damage = lambda text: text.replace("ZXQ1", "ЗХQ 1").replace("ZXQ2", "zqx2")  # noqa: E731
    model = Damaging(damage)
    engine = TranslationEngine(small_glossary(), models_directory=tmp_path, backends={"en": model}, disk_cache=False)
    result = engine.translate_text("Повестка из военкомата.", "en")
    assert model.inputs == ["ZXQ1 из ZXQ2."]
    assert result.text == "Summons из military enlistment office."
    assert [(result.text[t.start:t.end], t.entry_id) for t in result.terms] == [
        ("Summons", "povestka"), ("military enlistment office", "voenkomat"),
    ]
    assert (result.sentences, result.ranked, result.unenforced) == (1, 0, [])


def test_another_form_reaches_the_model_and_keys_the_cache(tmp_path):
    model = Damaging(lambda text: text)
    engine = TranslationEngine(small_glossary(), models_directory=tmp_path, backends={"en": model}, placeholder="QVW")
    assert engine.translate_text("Повестка пришла.", "en").text == "Summons пришла."
    assert model.inputs == ["QVW1 пришла."]
    default = TranslationEngine(small_glossary(), models_directory=tmp_path, backends={"en": model})
    identities = {e._forced_backend("en").inner.identity for e in (engine, default)}
    assert len(identities) == 2 and any("placeholder QVW" in i for i in identities)


def test_tei_header_counts_sentences_that_fell_back_to_ranking(installed_models, mt_glossary, tmp_path):
    """A model that drops every placeholder: each sentence with a glossary term is ranked, and the header says how many."""

    class Dropper:
        def __init__(self, inner):
            self.inner, self.package = inner, inner.package

        def translate(self, texts, num_hypotheses=1):
            results = self.inner.translate(texts, num_hypotheses)
            return [[Hypothesis(PLACEHOLDER_PATTERN.sub("", h.text), h.score) for h in hyps] for hyps in results]

    from toolkit.translate.pipeline import translate_tei

    source = tmp_path / "in.tei.xml"
    source.write_text(REPORT, encoding="utf-8")
    out = tmp_path / "out.tei.xml"
    engine = TranslationEngine(mt_glossary, model_loader=lambda p: Dropper(load_model(p)), disk_cache=False)
    report = translate_tei(source, out, "en", what="all-ru", engine=engine)
    # three sentences, two of them with glossary terms (whose placeholders were dropped)
    assert (report.sentences, report.ranked) == (3, 2)
    tree = parse_tei(out)
    assert validate_tei(tree) == []
    change = tree.getroot().findall(f".//{T}revisionDesc/{T}change")[-1]
    numbers = {n.get("type"): n.get("n") for n in change.iter(T + "num")}
    assert numbers == {"sentences": "3", "rankedSentences": "2"}
    assert "".join(change.itertext()).endswith(
        "3 sentences translated; 2 fell back to ranking hypotheses (a glossary placeholder was lost)."
    )

    clean = translate_tei(source, tmp_path / "clean.tei.xml", "en", what="all-ru", glossary=mt_glossary, disk_cache=False)
    assert (clean.sentences, clean.ranked) == (3, 0)
    change = parse_tei(tmp_path / "clean.tei.xml").getroot().findall(f".//{T}revisionDesc/{T}change")[-1]
    assert {n.get("type"): n.get("n") for n in change.iter(T + "num")} == {"sentences": "3", "rankedSentences": "0"}


def test_cli_placeholder_option(installed_models, mt_glossary_path):
    glossary = ["--no-default-glossary", "--glossary", str(mt_glossary_path)]
    done = CliRunner().invoke(main, ["translate", "--text", "Повестка пришла.", "--to", "en", "--placeholder", "QVW", *glossary])
    assert done.exit_code == 0 and done.stdout == "Summons пришла.\n"
    done = CliRunner().invoke(main, ["translate", "--text", "x", "--to", "en", "--placeholder", "zz"])
    assert done.exit_code == 2 and "Invalid value for '--placeholder': use 2 to 6 different Latin capitals" in done.output
