"""The pieces of translation on their own: backends, the cache, segmentation, inflection.

Backends here are small fakes that subclass :class:`Backend`; the engine takes them as
they are, without a model installed and without monkeypatching.
"""

from __future__ import annotations

import random
import sqlite3

import pytest

from toolkit.errors import ModelError
from toolkit.glossary import Glossary, GlossaryEntry
from toolkit.translate.backends import Backend, CachedBackend, IdentityBackend, PivotBackend
from toolkit.translate.cache import TranslationCache
from toolkit.translate.engine import GLOSSARY_ONLY, MODEL, PLACEHOLDER_PATTERN, GlossaryBackend, TranslationEngine
from toolkit.translate.inflect import german_case, russian_number, target_form
from toolkit.translate.results import ForcedTerm, Hypothesis
from toolkit.translate.segment import MAX_SEGMENT_CHARS, needs_model, split_sentences

pytestmark = pytest.mark.usefixtures("no_network")


class Tagging(Backend):
    """A fake model: ``"<tag>" + text``, n-best with falling scores; records every batch."""

    def __init__(self, source: str, target: str, version: str = "1", tag: str | None = None):
        self.source, self.target, self.version = source, target, version
        self.tag = tag if tag is not None else f"{target}:"
        self.batches: list[tuple[list[str], int]] = []

    @property
    def identity(self) -> tuple[str, ...]:
        return (f"tagging-{self.source}_{self.target}@{self.version}",)

    @property
    def model_calls(self) -> int:
        return sum(len(texts) for texts, _ in self.batches)

    def translate(self, texts, num_hypotheses=1):
        self.batches.append((list(texts), num_hypotheses))
        return [
            [Hypothesis(f"{self.tag}{text}" + "!" * rank, -1.0 - rank) for rank in range(num_hypotheses)]
            for text in texts
        ]


class Dictionary(Backend):
    """A fake model that translates word by word and drops anything it does not know (placeholders too)."""

    def __init__(self, words: dict[str, list[str]], target: str = "en"):
        self.source, self.target = "ru", target
        self.words = words
        self.batches: list[tuple[list[str], int]] = []

    @property
    def identity(self) -> tuple[str, ...]:
        return ("dictionary@1",)

    def translate(self, texts, num_hypotheses=1):
        self.batches.append((list(texts), num_hypotheses))
        out = []
        for text in texts:
            words = [w.strip(".") for w in text.split()]
            hypotheses = []
            for rank in range(num_hypotheses):
                rendered = [self.words[w][min(rank, len(self.words[w]) - 1)] for w in words if w in self.words]
                hypotheses.append(Hypothesis(" ".join(rendered) + ".", -float(rank)))
            out.append(hypotheses)
        return out


def small_glossary(en_summons: str = "summons") -> Glossary:
    return Glossary("small", "1", [
        GlossaryEntry("povestka", "повестка", {"en": en_summons, "de": "Einberufungsbescheid"}, "noun",
                      forms={"de:dat.pl": ("Einberufungsbescheiden",), "de:nom.pl": ("Einberufungsbescheide",)}),
        GlossaryEntry("voenkomat", "военкомат", {"en": "military enlistment office", "de": "Kreiswehrersatzamt"}, "noun"),
    ])


# -- identity ----------------------------------------------------------------------------


def test_identity_backend_gives_texts_back_n_times():
    backend = IdentityBackend("ru", "en")
    assert (backend.source, backend.target, backend.identity, backend.model_calls) == ("ru", "en", (), 0)
    assert IdentityBackend("ru").target == "ru"
    assert backend.translate(["Повестка пришла.", ""], 2) == [
        [Hypothesis("Повестка пришла.", 0.0), Hypothesis("Повестка пришла.", 0.0)],
        [Hypothesis("", 0.0), Hypothesis("", 0.0)],
    ]
    assert backend.translate([]) == []


def test_engine_without_a_backend_for_a_language_is_glossary_only(tmp_path):
    engine = TranslationEngine(small_glossary(), models_directory=tmp_path / "none", backends={})
    assert engine.mode("en") == GLOSSARY_ONLY and isinstance(engine.backend("en"), IdentityBackend)
    assert engine.route("en") is None
    result = engine.translate_text("Повестки пришли. Повестку принесли из военкомата.", "de")
    assert result.mode == GLOSSARY_ONLY
    # A term after a full stop starts a sentence and is capitalised; plural stays plural.
    assert result.text == "Einberufungsbescheide пришли. Einberufungsbescheid принесли из Kreiswehrersatzamt."
    assert [(result.text[t.start:t.end], t.entry_id) for t in result.terms] == [
        ("Einberufungsbescheide", "povestka"), ("Einberufungsbescheid", "povestka"), ("Kreiswehrersatzamt", "voenkomat"),
    ]
    assert engine.model_calls == 0 and not (tmp_path / "none").exists()


# -- pivot -------------------------------------------------------------------------------


def test_pivot_composes_two_backends():
    first, second = Tagging("ru", "en"), Tagging("en", "de")
    pivot = PivotBackend(first, second)
    assert (pivot.source, pivot.target) == ("ru", "de")
    assert pivot.identity == ("tagging-ru_en@1", "tagging-en_de@1")
    result = pivot.translate(["a", "b"], 2)
    # The best first-hop hypothesis goes on; the second hop's n-best come back, scores added.
    assert result == [
        [Hypothesis("de:en:a", -2.0), Hypothesis("de:en:a!", -3.0)],
        [Hypothesis("de:en:b", -2.0), Hypothesis("de:en:b!", -3.0)],
    ]
    assert first.batches == [(["a", "b"], 2)] and second.batches == [(["en:a", "en:b"], 2)]
    assert pivot.model_calls == 4


def test_pivot_relay_chooses_what_goes_on_and_can_stop_a_text():
    first, second = Tagging("ru", "en"), Tagging("en", "de")
    pivot = PivotBackend(first, second)
    seen = []

    def relay(hop, position, hypotheses):
        seen.append((hop.target, position, [h.text for h in hypotheses]))
        return None if position == 1 else hypotheses[-1].text

    result = pivot.translate_relayed(["a", "b", "c"], 2, relay)
    assert seen == [("en", 0, ["en:a", "en:a!"]), ("en", 1, ["en:b", "en:b!"]), ("en", 2, ["en:c", "en:c!"])]
    assert second.batches == [(["en:a!", "en:c!"], 2)]  # "b" was stopped after the first hop
    assert [[h.text for h in hyps] for hyps in result] == [["de:en:a!", "de:en:a!!"], [], ["de:en:c!", "de:en:c!!"]]


def test_nested_pivot_reports_positions_of_the_outer_batch():
    hops = [Tagging("ru", "en"), Tagging("en", "fr"), Tagging("fr", "de")]
    pivot = PivotBackend(PivotBackend(hops[0], hops[1]), hops[2])
    positions = []

    def relay(hop, position, hypotheses):
        positions.append((hop.target, position))
        return None if (hop.target, position) == ("en", 0) else hypotheses[0].text

    result = pivot.translate_relayed(["x", "y"], 1, relay)
    assert positions == [("en", 0), ("en", 1), ("fr", 1)]
    assert result == [[], [Hypothesis("de:fr:en:y", -3.0)]]


def test_pivot_refuses_hops_that_do_not_meet():
    with pytest.raises(ModelError, match="cannot chain ru→en with nl→de"):
        PivotBackend(Tagging("ru", "en"), Tagging("nl", "de"))


# -- cache -------------------------------------------------------------------------------


def test_cache_wrapper_answers_a_second_call_without_the_inner_backend():
    inner = Tagging("ru", "en")
    cached = CachedBackend(inner, TranslationCache())
    first = cached.translate_marked(["a", "b", "a"], 2)
    assert [hit for _, hit in first] == [False, False, False]
    assert inner.batches == [(["a", "b"], 2)]  # each text once
    again = cached.translate_marked(["b", "a"], 2)
    assert inner.batches == [(["a", "b"], 2)]
    assert [hit for _, hit in again] == [True, True]
    assert [hyps for hyps, _ in again] == [first[1][0], first[0][0]]
    cached.translate(["a"], 1)  # another number of hypotheses is another question
    assert inner.batches[-1] == (["a"], 1)


def test_cache_misses_for_another_model_version_or_glossary():
    cache = TranslationCache()
    model = Tagging("ru", "en", version="1")
    sentence = ["Повестка пришла."]
    CachedBackend(GlossaryBackend(model, small_glossary()), cache).translate(sentence)
    CachedBackend(GlossaryBackend(model, small_glossary()), cache).translate(sentence)
    assert len(model.batches) == 1  # same model, same glossary content: served from the cache

    newer = Tagging("ru", "en", version="2")
    CachedBackend(GlossaryBackend(newer, small_glossary()), cache).translate(sentence)
    assert len(newer.batches) == 1

    changed = small_glossary(en_summons="call-up papers")
    assert changed.checksum != small_glossary().checksum
    (result,), = CachedBackend(GlossaryBackend(model, changed), cache).translate(sentence)
    assert len(model.batches) == 2
    assert result.text == "en:call-up papers пришла."  # mid-sentence after the fake's tag: not capitalised


def test_cache_records_survive_on_disk_and_damaged_rows_are_misses(tmp_path):
    path = tmp_path / "cache" / "translations.sqlite3"
    hypotheses = [Hypothesis("Summons came.", -0.5, (ForcedTerm(0, 7, "povestka", "Summons"),), ("военкомат",))]
    cache = TranslationCache(path)
    key = cache.key("Повестка пришла.", ("pkg@1", "glossary sha256:x"), "en")
    cache.put(key, hypotheses)
    cache.close()
    assert TranslationCache(path).get(key) == tuple(hypotheses)
    assert TranslationCache(path).get(cache.key("Повестка пришла.", ("pkg@2", "glossary sha256:x"), "en")) is None
    with sqlite3.connect(path) as db:
        db.execute("UPDATE translation SET value = ?", ('{"text": "old format"}',))
    assert TranslationCache(path).get(key) is None


# -- the engine over fake backends ------------------------------------------------------------


def test_engine_takes_a_backend_and_forces_the_glossary_through_it(tmp_path):
    model = Tagging("ru", "en", tag="")
    engine = TranslationEngine(small_glossary(), models_directory=tmp_path, backends={"en": model})
    assert engine.mode("en") == MODEL and engine.notice("en") is None
    texts = ["Повестка пришла. Военкомат молчит.", "Военкомат молчит."]
    first = engine.translate(texts, "en")
    assert [r.text for r in first] == ["Summons пришла. Military enlistment office молчит.", "Military enlistment office молчит."]
    assert model.batches == [(["ZXQ1 пришла.", "ZXQ1 молчит."], 1)]
    assert [(first[0].text[t.start:t.end], t.entry_id) for t in first[0].terms] == [
        ("Summons", "povestka"), ("Military enlistment office", "voenkomat"),
    ]
    again = engine.translate(texts, "en")
    assert len(model.batches) == 1 and all(r.cached for r in again) and not first[0].cached
    assert engine.model_calls == 2
    assert engine.entry("povestka").term == "повестка" and engine.entry("nope") is None


def test_engine_ranks_hypotheses_when_the_backend_drops_placeholders(tmp_path):
    model = Dictionary({"Ему": ["He"], "вручили": ["was handed"], "повестку": ["a notice", "a summons", "paper"]})
    engine = TranslationEngine(small_glossary(), models_directory=tmp_path, backends={"en": model}, num_hypotheses=3)
    result = engine.translate_text("Ему вручили повестку.", "en")
    assert model.batches == [(["Ему вручили ZXQ1."], 1), (["Ему вручили повестку."], 3)]
    assert result.text == "He was handed a summons."
    assert [(result.text[t.start:t.end], t.entry_id) for t in result.terms] == [("summons", "povestka")]
    assert result.unenforced == []

    lost = engine.translate_text("Военкомат вручил.", "en")
    assert lost.text == "." and lost.unenforced == ["военкомат"] and lost.terms == []


def test_placeholders_lost_on_the_first_hop_stop_there(tmp_path):
    first = Dictionary({"Повестка": ["Summons"], "пришла": ["came"]})
    second = Tagging("en", "de", tag="")
    engine = TranslationEngine(small_glossary(), models_directory=tmp_path, backends={"de": PivotBackend(first, second)})
    result = engine.translate_text("Повестка пришла.", "de")
    # Placeholder pass: ru→en loses ZXQ1, so en→de never sees it; ranking pass: both hops, 4-best.
    assert first.batches == [(["ZXQ1 пришла."], 1), (["Повестка пришла."], 4)]
    assert second.batches == [(["Summons came."], 4)]
    assert result.text == "Summons came." and result.unenforced == ["повестка"]
    assert engine.route("de") is None  # fakes have no installed packages to name


# -- segmentation ------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "",
    "   ",
    "\n\n",
    "Повестка пришла.",
    "  Повестка пришла.  Военкомат молчит!  ",
    "Ст. 328 УК РФ. В. В. Иванов получил повестку, т. е. вызов?\n\nНовая строка «Да».\n",
    "См. https://example.org/a?b=1. Далее текст.",
    "12. 13! ?",
    "\tтаб\tвнутри.\r\nи CRLF.",
    ", ".join(["очень длинное перечисление"] * 60) + ".",
    "слово" * 120,  # one unbreakable word longer than a model input
])
def test_segmentation_round_trips(text):
    pieces = split_sentences(text)
    assert "".join(piece.text for piece in pieces) == text
    for piece in pieces:
        if piece.translate:
            assert piece.text == piece.text.strip() and piece.text
            assert len(piece.text) <= MAX_SEGMENT_CHARS or " " not in piece.text
        else:
            assert not any(ch.isalpha() for ch in piece.text)


def test_segmentation_round_trips_on_generated_text():
    rng = random.Random(11)
    parts = ["Повестка пришла", "ст. 328 УК РФ", "В. В. Иванов", "«Мемориал»", "2024", "—", "т. е.", "Да",
             "https://example.org/x", "иностранный агент", "(ФСБ)", "…"]
    ends = [". ", "! ", "? ", ".\n", "\n\n", ", ", " ", "… ", "». ", ""]
    for _ in range(300):
        text = "".join(rng.choice(parts) + rng.choice(ends) for _ in range(rng.randint(1, 12)))
        pieces = split_sentences(text)
        assert "".join(p.text for p in pieces) == text
        assert all(p.text for p in pieces)


def test_what_goes_to_a_model():
    assert needs_model("Повестка пришла.")
    assert not needs_model("12.")
    assert not needs_model("https://example.org/povestka")
    assert not needs_model("— …")


# -- inflection -----------------------------------------------------------------------------------


@pytest.mark.parametrize("surface, after, number", [
    ("повестками", "", "pl"),
    ("повестку", "", "sg"),
    ("Повестки", " пришли из военкомата", "pl"),  # ambiguous form, plural verb follows
    ("Повестки", " из военкомата нет", "sg"),  # ambiguous form, no plural verb: genitive singular
    ("иностранными агентами", "", "pl"),
    ("ФСБ", " проверяют", "sg"),  # acronyms do not inflect
    ("", "", "sg"),
])
def test_russian_number(surface, after, number):
    assert russian_number(surface, after) == number


@pytest.mark.parametrize("before, number, case", [
    ("Bericht mit den", "pl", "dat"),
    ("Sie erhielt den", "sg", "acc"),
    ("wegen der", "pl", "gen"),
    ("zusammen mit der", "sg", "dat"),
    ("die Zahl der", "sg", None),
    ("Inhalt des neuen", "sg", "gen"),  # an inflected adjective between article and noun
    ("für einen", "sg", "acc"),
    ("Er hat", "sg", None),
    ("", "sg", None),
])
def test_german_case(before, number, case):
    assert german_case(before, number) == case


def test_target_form_picks_the_inflected_form_the_context_asks_for():
    glossary = small_glossary()
    povestka, voenkomat = glossary.entries
    assert target_form(glossary, povestka, "de", "Bericht mit den", "повестками") == "Einberufungsbescheiden"
    assert target_form(glossary, povestka, "de", "", "Повестки", " пришли") == "Einberufungsbescheide"
    assert target_form(glossary, povestka, "de", "Er sah den", "повестку") == "Einberufungsbescheid"  # no acc.sg form given
    assert target_form(glossary, povestka, "en", "with the", "повестками") == "summons"  # no English forms
    assert target_form(glossary, voenkomat, "de", "mit den", "военкоматами") == "Kreiswehrersatzamt"
    assert target_form(glossary, povestka, "nl", "", "повестка") == ""  # no Dutch rendering: the model translates it


def test_placeholder_pattern_is_what_the_engine_masks_with():
    backend = GlossaryBackend(IdentityBackend("ru", "en"), small_glossary())
    (result,), = backend.translate(["Повестка ZXQ7 из военкомата."])
    # The text's own placeholder-like word stays; the glossary's terms are rendered.
    assert result.text == "Summons ZXQ7 из military enlistment office."
    assert [m.group(1) for m in PLACEHOLDER_PATTERN.finditer(result.text)] == ["7"]
