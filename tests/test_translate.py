"""The translation engine through the real argostranslate/CTranslate2/SentencePiece path.

The models are copy models (tests/argos_fixture.py): whatever reaches the model comes
back unchanged, so every expected output below is exact.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from toolkit.translate.backends import load_model
from toolkit.translate.engine import PLACEHOLDER, PLACEHOLDER_PATTERN, TranslationEngine
from toolkit.translate.results import GLOSSARY_ONLY, MODEL, Hypothesis
from toolkit.translate.segment import split_sentences

pytestmark = pytest.mark.usefixtures("no_network")


def test_network_is_blocked_in_these_tests():
    import socket

    with pytest.raises(RuntimeError, match="network"):
        socket.create_connection(("127.0.0.1", 9))


def test_placeholders_survive_and_become_glossary_targets(installed_models, mt_glossary):
    engine = TranslationEngine(mt_glossary)
    source = "Военкомат направил повестку жителю Москвы, иностранные агенты молчат (ФСБ)."
    result = engine.translate_text(source, "en")
    assert result.mode == MODEL
    assert result.text == "Military enlistment office направил summons жителю Москвы, foreign agent молчат (FSB)."
    assert [(result.text[t.start:t.end], t.entry_id) for t in result.terms] == [
        ("Military enlistment office", "voenkomat"),
        ("summons", "povestka"),
        ("foreign agent", "inoagent"),
        ("FSB", "fsb"),
    ]
    assert result.unenforced == []


def test_placeholder_tokenises_into_pieces_that_decode_back(installed_models):
    from toolkit.translate.packages import find_package

    model = load_model(find_package("ru", "en"))
    for text in ("(ZXQ1)", "«ZXQ12», ZXQ3.", "статья ZXQ2-ZXQ4"):
        pieces = model.encode([text])[0]
        assert model.tokenizer.decode_pieces(pieces) == text
    spaced = "Z X Q 7 and ZXQ 8"
    assert [m.group(1) for m in PLACEHOLDER_PATTERN.finditer(spaced)] == ["7", "8"]
    assert PLACEHOLDER.format(5) == "ZXQ5"


def test_pivot_through_english_to_german_with_inflected_forms(installed_models, mt_glossary):
    engine = TranslationEngine(mt_glossary)
    route = engine.route("de")
    assert [pkg.pair for pkg in route] == ["ru-en", "en-de"]
    source = "Bericht mit den повестками. Повестки пришли из военкомата; нежелательная организация."
    result = engine.translate_text(source, "de")
    # "mit den" + plural in Russian -> dative plural; a plural at the start -> nominative plural.
    assert result.text == (
        "Bericht mit den Einberufungsbescheiden. Einberufungsbescheide пришли из Kreiswehrersatzamt; "
        "unerwünschte Organisation."
    )
    assert [t.entry_id for t in result.terms] == ["povestka", "povestka", "voenkomat", "nezhelatelnaya"]


def test_pivot_to_dutch(installed_models, mt_glossary):
    engine = TranslationEngine(mt_glossary)
    assert [pkg.pair for pkg in engine.route("nl")] == ["ru-en", "en-nl"]
    assert engine.translate_text("Повестка из военкомата", "nl").text == "Oproep из militair commissariaat"


class _PlaceholderDropper:
    """A model that loses glossary placeholders, as real models sometimes do."""

    def __init__(self, inner, duplicate: bool = False):
        self.inner = inner
        self.package = inner.package
        self.duplicate = duplicate
        self.calls: list[tuple[int, int]] = []

    def translate(self, texts, num_hypotheses=1):
        self.calls.append((len(texts), num_hypotheses))
        results = self.inner.translate(texts, num_hypotheses)
        edit = (lambda t: PLACEHOLDER_PATTERN.sub(lambda m: m.group(0) * 2, t)) if self.duplicate else (
            lambda t: PLACEHOLDER_PATTERN.sub("", t)
        )
        return [[Hypothesis(edit(h.text), h.score) for h in hyps] for hyps in results]


@pytest.mark.parametrize("duplicate", [False, True])
def test_lost_or_duplicated_placeholder_falls_back_and_reports(installed_models, mt_glossary, duplicate):
    wrappers = {}

    def loader(package):
        wrappers.setdefault(package.name, _PlaceholderDropper(load_model(package), duplicate))
        return wrappers[package.name]

    engine = TranslationEngine(mt_glossary, model_loader=loader, num_hypotheses=3)
    source = "Ему вручили повестку."
    result = engine.translate_text(source, "en")
    # The copy model's best hypothesis, without placeholders, is the Russian sentence itself:
    # nothing in it renders the glossary term, so the term is reported as not enforced.
    assert result.text == source
    assert result.unenforced == ["повестка"]
    assert result.terms == []
    (wrapper,) = wrappers.values()
    assert wrapper.calls == [(1, 1), (1, 3)]  # with placeholders, then n-best without


class _RankingModel:
    """Drops placeholders; without them offers hypotheses of which the second uses the glossary."""

    def __init__(self, package):
        self.package = package

    def translate(self, texts, num_hypotheses=1):
        out = []
        for text in texts:
            if PLACEHOLDER_PATTERN.search(text):
                out.append([Hypothesis(PLACEHOLDER_PATTERN.sub("", text), -1.0)])
            else:
                out.append([
                    Hypothesis("He was handed a notice.", -0.5),
                    Hypothesis("He was handed a summons.", -0.7),
                    Hypothesis("He got paper.", -0.9),
                ][:num_hypotheses])
        return out


def test_fallback_ranks_hypotheses_by_glossary_targets(installed_models, mt_glossary):
    engine = TranslationEngine(mt_glossary, model_loader=_RankingModel)
    result = engine.translate_text("Ему вручили повестку.", "en")
    assert result.text == "He was handed a summons."
    assert [(result.text[t.start:t.end], t.entry_id) for t in result.terms] == [("summons", "povestka")]
    assert result.unenforced == []


def test_glossary_only_mode_without_models(models_home, mt_glossary):
    engine = TranslationEngine(mt_glossary)
    assert engine.mode("en") == GLOSSARY_ONLY
    notice = engine.notice("de")
    assert "coitool models install FILE.argosmodel" in notice and "ru-en" in notice and "en-de" in notice
    result = engine.translate_text("Повестки лежат в военкомате; иностранные агенты молчат.", "de")
    assert result.mode == GLOSSARY_ONLY
    assert result.text == "Einberufungsbescheide лежат в Kreiswehrersatzamt; ausländischer Agent молчат."
    assert not models_home.exists()  # glossary-only mode writes nothing


def test_glossary_only_when_the_second_hop_is_missing(models_home, argos_packages, mt_glossary):
    from toolkit.translate.packages import install_package

    install_package(argos_packages["ru-en"], models_home)
    engine = TranslationEngine(mt_glossary)
    assert engine.mode("en") == MODEL
    assert engine.mode("nl") == GLOSSARY_ONLY
    assert "en-nl" in engine.notice("nl") and "ru-en" not in engine.notice("nl")


def test_cache_hits_in_memory_and_on_disk(installed_models, mt_glossary, tmp_path):
    texts = ["Повестка пришла. Военкомат молчит.", "Повестка пришла."]
    engine = TranslationEngine(mt_glossary)
    first = engine.translate(texts, "en")
    calls = engine.model_calls
    assert calls == 2  # two distinct sentences, each sent to the model once
    again = engine.translate(texts, "en")
    assert engine.model_calls == calls
    assert [r.text for r in again] == [r.text for r in first] == ["Summons пришла. Military enlistment office молчит.", "Summons пришла."]
    assert all(r.cached for r in again) and not first[0].cached
    engine.close()

    fresh = TranslationEngine(mt_glossary)
    from_disk = fresh.translate(texts, "en")
    assert fresh.model_calls == 0 and [r.text for r in from_disk] == [r.text for r in first]
    assert from_disk[0].terms == first[0].terms

    from toolkit.glossary import Glossary

    other_path = tmp_path / "other.tsv"
    other_path.write_text("term\ten\tnl\tde\nповестка\tcall-up papers\toproepbrief\tLadung\n", encoding="utf-8")
    other = TranslationEngine(Glossary.load([other_path], include_default=False))
    assert other.translate_text("Повестка пришла.", "en").text == "Call-up papers пришла."
    assert other.model_calls == 1  # another glossary checksum: not served from the cache


def test_sentences_are_batched_into_one_call_per_hop(installed_models, mt_glossary):
    counts = []

    def loader(package):
        model = load_model(package)

        class Counting:
            def __init__(self):
                self.package = package

            def translate(self, texts, num_hypotheses=1):
                counts.append((package.pair, len(texts)))
                return model.translate(texts, num_hypotheses)

        return Counting()

    texts = [f"Повестка номер {i}. Военкомат ответил." for i in range(12)]
    results = TranslationEngine(mt_glossary, model_loader=loader, disk_cache=False).translate(texts, "de")
    assert counts == [("ru-en", 13), ("en-de", 13)]  # 12 distinct first sentences + 1 shared one
    assert results[3].text == "Einberufungsbescheid номер 3. Kreiswehrersatzamt ответил."


def test_split_sentences_keeps_text_and_respects_abbreviations():
    text = "В. В. Иванов получил повестку, т. е. вызов. Ст. 328 УК РФ!\nНовая строка?  Да «Нет». 12."
    pieces = split_sentences(text)
    assert "".join(piece for piece, _ in pieces) == text
    assert [piece for piece, translate in pieces if translate] == [
        "В. В. Иванов получил повестку, т. е. вызов.",
        "Ст. 328 УК РФ!",
        "Новая строка?",
        "Да «Нет».",
        "12.",
    ]


def test_long_sentence_is_cut_below_model_limits():
    sentence = ", ".join(["очень длинное перечисление"] * 40) + "."
    pieces = [piece for piece, translate in split_sentences(sentence) if translate]
    assert len(pieces) > 1 and all(len(p) <= 400 for p in pieces)
    assert " ".join(pieces) == sentence


def test_no_sentence_splitter_model_and_no_writes_outside_the_models_folder(installed_models, tmp_path, mt_glossary_path):
    """A fresh process translating: stanza/MiniSBD never imported, HOME left untouched."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), COITOOL_MODELS_DIR=str(installed_models), COITOOL_MT_THREADS="1")
    code = (
        "import sys\n"
        "from toolkit.translate.engine import TranslationEngine\n"
        "from toolkit.translate.pipeline import load_glossary\n"
        f"engine = TranslationEngine(load_glossary([{str(mt_glossary_path)!r}], include_default=False))\n"
        "print(engine.translate_text('Повестка из военкомата.', 'de').text)\n"
        "print(sorted(m for m in ('minisbd', 'stanza', 'spacy', 'argostranslate.sbd', 'argostranslate.translate', 'onnxruntime') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Einberufungsbescheid из Kreiswehrersatzamt.", "[]"]
    assert list(home.iterdir()) == []


# -- device and threads --------------------------------------------------------------------


def test_device_options_on_the_cpu(installed_models, mt_glossary):
    from toolkit.errors import ModelError
    from toolkit.translate.backends import resolve_device
    from toolkit.translate.packages import find_package

    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") == "cpu"  # no GPU on this machine
    with pytest.raises(ModelError, match=r"^--device cuda: CTranslate2 sees no CUDA device on this machine"):
        resolve_device("cuda")
    with pytest.raises(ModelError, match="unknown device 'gpu'"):
        resolve_device("gpu")
    engine = TranslationEngine(mt_glossary, device="cpu", threads=1, disk_cache=False)
    assert engine.translate_text("Повестка из военкомата.", "en").text == "Summons из military enlistment office."
    assert engine.device == "cpu, 1 thread"
    model = load_model(find_package("ru", "en"), "cpu", 1)
    assert (model.translator.device, model.threads, model.max_batch_size, model.batch_type) == ("cpu", 1, 32, "examples")
    assert load_model(find_package("ru", "en"), "auto", 1) is model  # auto resolved to the same cpu model
    assert load_model(find_package("ru", "en"), "cpu", 2) is not model


def test_auto_takes_a_gpu_when_ctranslate2_sees_one(installed_models, monkeypatch):
    """No GPU here: CTranslate2's device count and Translator are stood in for, to see what coitool asks of them."""
    import ctranslate2

    from toolkit.translate import backends
    from toolkit.translate.packages import find_package

    made = []

    class RecordingTranslator:
        def __init__(self, path, device, inter_threads, intra_threads):
            made.append((device, inter_threads, intra_threads))
            self.device = device

        def translate_batch(self, batch, **options):
            made.append((options["max_batch_size"], options["batch_type"]))
            return []

    monkeypatch.setattr(backends, "_loaded", {})
    monkeypatch.setattr(backends, "cuda_device_count", lambda: 1)
    monkeypatch.setattr(ctranslate2, "Translator", RecordingTranslator)
    model = load_model(find_package("ru", "en"), "auto", 3)
    assert model.device == "cuda" and made == [("cuda", 1, 3)]
    model.translate_tokens([["▁a"]])
    assert made[-1] == (8192, "tokens")  # the copy model is tiny: the largest token budget
    assert backends.ModelLoader("auto").describe() == "cuda"


def test_batch_size_follows_the_device_and_the_model():
    from toolkit.translate.backends import batch_plan

    mb = 1024**2
    assert batch_plan("cpu", 400 * mb) == (32, "examples")
    assert batch_plan("cuda", 100 * mb) == (4096, "tokens")
    assert batch_plan("cuda", 400 * mb) == (1024, "tokens")  # a larger model, a smaller budget
    assert batch_plan("cuda", 4000 * mb) == (512, "tokens")
    assert batch_plan("cuda", 1 * mb) == (8192, "tokens")


def test_cli_device_and_threads(installed_models, mt_glossary_path, tmp_path):
    from click.testing import CliRunner

    from toolkit.cli import main

    glossary = ["--no-default-glossary", "--glossary", str(mt_glossary_path)]
    runner = CliRunner()
    done = runner.invoke(main, ["translate", "--text", "Повестка.", "--to", "en", "--device", "cuda", *glossary])
    assert done.exit_code == 1 and done.stdout == ""
    assert done.output.splitlines() == [
        "Error: --device cuda: CTranslate2 sees no CUDA device on this machine "
        "(ctranslate2.get_cuda_device_count() is 0); use --device cpu or --device auto"
    ]
    done = runner.invoke(main, ["translate", "--text", "Повестка.", "--to", "en", "--device", "gpu"])
    assert done.exit_code == 2 and "'gpu' is not one of 'auto', 'cpu', 'cuda'" in done.output
    done = runner.invoke(main, ["translate", "--text", "Повестка.", "--to", "en", "--threads", "-1"])
    assert done.exit_code == 2 and "--threads" in done.output
    done = runner.invoke(main, ["translate", "--text", "Повестка.", "--to", "en", "--device", "cpu", "--threads", "1", *glossary])
    assert done.exit_code == 0 and done.stdout == "Summons.\n"

    tei = tmp_path / "r.tei.xml"
    tei.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>"
        '<text xml:lang="nl"><body><p>Zie <title xml:lang="ru">Повестка пришла</title>.</p></body></text></TEI>',
        encoding="utf-8",
    )
    done = runner.invoke(main, ["translate", str(tei), "--to", "en", "--threads", "2", *glossary])
    assert done.exit_code == 0, done.output
    from toolkit.tei import T, parse_tei

    engine_name = parse_tei(tmp_path / "r.en.tei.xml").getroot().find(f".//{T}respStmt/{T}name[@type='engine']").text
    assert engine_name.endswith("(cpu, 2 threads)")
