"""How much does coitool's translation pipeline add around the model?

Runs, in one process and on the same inputs, (a) a bare CTranslate2
``translate_batch`` on the SentencePiece tokens the pipeline would send, and (b)
``TranslationEngine.translate`` (segmentation, glossary matching, placeholders,
tokenisation, the same ``translate_batch``, decoding, putting terms back, cache
bookkeeping). The model is the test suite's copy model, whose cost is small and
predictable, so the pipeline's own share is visible. Target: overhead < 20 %.

    python bench/bench_translate.py [--fragments 600] [--repeats 5] [--glossary FILE]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

# Invented title fragments in the style of Russian sources cited in COI reports.
_OPENINGS = [
    "Суд назначил штраф", "Военкомат направил повестку", "Прокуратура возбудила дело",
    "Мобилизованным отказали в отсрочке", "Минобороны сообщило о призыве",
    "Иностранный агент оштрафован", "ФСБ задержала активиста", "Следственный комитет проверяет",
    "Полиция объявила в розыск", "Правозащитники сообщили о давлении",
]
_ENDINGS = [
    "за дискредитацию армии", "по статье о госизмене", "за уклонение от военной службы",
    "после публикации в Telegram", "в рамках частичной мобилизации", "жителю Ростова",
    "через Госуслуги", "по делу об экстремизме", "за самовольное оставление части",
    "и нежелательная организация", "за неявку в военкомат", "на альтернативную гражданскую службу",
]


def fragments(count: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        text = f"{rng.choice(_OPENINGS)} {rng.choice(_ENDINGS)}"
        if i % 3 == 0:
            text += f". {rng.choice(_OPENINGS)} {rng.choice(_ENDINGS)}"
        out.append(text + f" ({2020 + i % 5})")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fragments", type=int, default=600)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--glossary", type=Path, help="glossary file (default: the shipped ru-asylum glossary)")
    args = parser.parse_args()

    os.environ.setdefault("COITOOL_MT_THREADS", "1")
    work = Path(tempfile.mkdtemp(prefix="coitool-bench-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    from argos_fixture import build_packages

    from toolkit.translate import packages as store
    from toolkit.glossary import Glossary
    from toolkit.translate.backends import IdentityBackend, load_model
    from toolkit.translate.engine import GlossaryBackend, TranslationEngine, mask
    from toolkit.translate.segment import split_sentences

    packages = build_packages(work / "packages", pairs=(("ru", "en"),))
    directory = work / "models"
    store.install_package(packages["ru-en"], directory)
    package = store.installed_packages(directory)[0]
    model = load_model(package)
    glossary = Glossary.load([args.glossary], include_default=False) if args.glossary else Glossary.default()
    texts = fragments(args.fragments)

    # What the pipeline sends to the model: each sentence, glossary terms masked.
    probe = GlossaryBackend(IdentityBackend("ru", "en"), glossary)
    sentences = sorted({s for t in texts for s, keep in split_sentences(t) if keep})
    masked = [mask(sentence, probe.matches(sentence)).text for sentence in sentences]
    tokens = model.encode(masked)
    plain_tokens = model.encode(sentences)

    def bare(batch):
        start = time.perf_counter()
        model.translate_tokens(batch, 1)
        return time.perf_counter() - start

    # Time spent inside translate_batch during a pipeline run, to split the pipeline's
    # wall time into "model" and "ours" within the very same run.
    in_model = [0.0]
    original = model.translate_tokens

    def timed_translate_tokens(batch, num_hypotheses=1):
        start = time.perf_counter()
        try:
            return original(batch, num_hypotheses)
        finally:
            in_model[0] += time.perf_counter() - start

    model.translate_tokens = timed_translate_tokens

    def pipeline(with_glossary: bool):
        engine = TranslationEngine(glossary if with_glossary else None, models_directory=directory, disk_cache=False)
        in_model[0] = 0.0
        start = time.perf_counter()
        engine.translate(texts, "en")
        elapsed = time.perf_counter() - start
        model_time = in_model[0]
        again = time.perf_counter()
        engine.translate(texts, "en")  # every sentence from the in-memory cache now
        return elapsed, model_time, time.perf_counter() - again

    def matching():
        start = time.perf_counter()
        for text in texts:
            glossary.match(text)
        return time.perf_counter() - start

    bare(tokens), pipeline(True), matching()  # warm up
    rows: dict[str, list[float]] = {k: [] for k in (
        "bare_masked", "pipe_glossary", "ratio_glossary", "ours_glossary", "split_glossary",
        "bare_plain", "pipe_plain", "ratio_plain", "split_plain", "cache", "match")}
    for _ in range(args.repeats):
        b = bare(tokens)
        elapsed, model_time, cached = pipeline(True)
        rows["bare_masked"].append(b)
        rows["pipe_glossary"].append(elapsed)
        rows["ratio_glossary"].append(elapsed / b - 1)
        rows["ours_glossary"].append(elapsed - model_time)
        rows["split_glossary"].append((elapsed - model_time) / model_time)
        rows["cache"].append(cached)
        b = bare(plain_tokens)
        elapsed, model_time, _ = pipeline(False)
        rows["bare_plain"].append(b)
        rows["pipe_plain"].append(elapsed)
        rows["ratio_plain"].append(elapsed / b - 1)
        rows["split_plain"].append((elapsed - model_time) / model_time)
        rows["match"].append(matching())
    m = {key: statistics.median(values) for key, values in rows.items()}

    n = len(sentences)
    print(f"{len(texts)} fragments, {n} distinct sentences; copy model (1 layer, d=162), beam 4, "
          f"1 thread; median of {args.repeats} interleaved runs")
    print(f"bare translate_batch (masked tokens)   {m['bare_masked'] * 1000:9.1f} ms  {m['bare_masked'] / n * 1e6:7.0f} µs/sentence")
    print(f"pipeline with glossary                 {m['pipe_glossary'] * 1000:9.1f} ms")
    print(f"  overhead vs bare call                {m['ratio_glossary'] * 100:9.1f} %   (target < 20 %)")
    print(f"  overhead, split within the run       {m['split_glossary'] * 100:9.1f} %   "
          f"({m['ours_glossary'] * 1000:.1f} ms outside translate_batch, {m['ours_glossary'] / n * 1e6:.0f} µs/sentence)")
    print(f"  glossary matching alone              {m['match'] * 1000:9.1f} ms  {len(texts) / m['match']:,.0f} fragments/s")
    print(f"bare translate_batch (plain tokens)    {m['bare_plain'] * 1000:9.1f} ms")
    print(f"pipeline without glossary              {m['pipe_plain'] * 1000:9.1f} ms")
    print(f"  overhead vs bare call                {m['ratio_plain'] * 100:9.1f} %")
    print(f"  overhead, split within the run       {m['split_plain'] * 100:9.1f} %")
    print(f"pipeline, all sentences cached         {m['cache'] * 1000:9.1f} ms")


if __name__ == "__main__":
    main()
