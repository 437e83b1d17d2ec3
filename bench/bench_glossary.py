"""Speed of glossary matching on short Russian fragments (titles of cited sources).

Usage: python bench/bench_glossary.py [--fragments 20000] [--seed 0]

Prints the time to load the shipped glossary and the morphological analyser, the
first pass over the fragments (every new word form lemmatised), and fragments per
second once the per-word cache is warm. Target: >= 2,000 fragments/s warm.
"""

from __future__ import annotations

import argparse
import random
import time

# Pieces of titles as Russian media and NGOs write them; combined at random.
SUBJECTS = [
    "Военкоматы начали рассылать электронные повестки",
    "Суд оштрафовал активиста за дискредитацию армии",
    "Минюст внёс журналиста в реестр иностранных агентов",
    "Генпрокуратура признала нежелательной организацией",
    "ФСБ задержала жителя Самары по делу о госизмене",
    "СК возбудил уголовное дело об уклонении от военной службы",
    "Верховный суд признал «международное движение ЛГБТ» экстремистским",
    "Мобилизованных отправили в зону СВО без подготовки",
    "Контрактникам обещали отсрочку от призыва для детей",
    "Росгвардия разогнала одиночный пикет у здания суда",
    "Роскомнадзор заблокировал сайт независимых СМИ",
    "Дезертира приговорили к пяти годам колонии общего режима",
    "Призывникам запретят выезд за границу после получения повестки",
    "В Госуслугах появился раздел о воинском учёте",
    "Правозащитники рассказали о пытках в СИЗО",
    "Жительницу Москвы арестовали за ЛГБТ-пропаганду в соцсетях",
    "Депутаты Госдумы приняли закон о Едином реестре воинского учёта",
    "Полиция провела обыски у сотрудников ОВД-Инфо",
    "Самовольное оставление части: число приговоров выросло",
    "Альтернативная гражданская служба: как подать заявление",
]
TAILS = [
    "",
    " — новости",
    ", сообщает «Медиазона»",
    " (обновлено)",
    ": что известно",
    " в Санкт-Петербурге",
    " по статье 207.3 УК РФ",
    " после частичной мобилизации",
    " и штрафа в 30 тысяч рублей",
    " — заявление правозащитного центра «Мемориал»",
]
VARIATIONS = ["", "Срочно: ", "Мнение. ", "Видео: "]


def fragments(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    return [rng.choice(VARIATIONS) + rng.choice(SUBJECTS) + rng.choice(TAILS) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fragments", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from toolkit.glossary import russian as glossary_module
    from toolkit.glossary import Glossary, morph_analyzer

    started = time.perf_counter()
    glossary = Glossary.default()
    loaded = time.perf_counter()
    morph_analyzer()
    glossary.match("повестка")  # builds the term index
    ready = time.perf_counter()

    texts = fragments(args.fragments, args.seed)
    first = time.perf_counter()
    matched = sum(len(glossary.match(text)) for text in texts)
    cold = time.perf_counter() - first
    warm_start = time.perf_counter()
    for text in texts:
        glossary.match(text)
    warm = time.perf_counter() - warm_start

    # cold again, on word forms never seen: lemmatise every word of every title once
    glossary_module._token_cache.clear()
    fresh = Glossary.default()
    fresh.match("повестка")
    glossary_module._token_cache.clear()
    forms = len({w for text in texts for w in text.split()})
    cold_start = time.perf_counter()
    for text in texts[:2000]:
        fresh.match(text)
    cold_small = time.perf_counter() - cold_start

    # the price of a word form never seen before: every inflected form of the glossary's words
    analyser = morph_analyzer()
    lexicon = sorted({
        form.word
        for e in glossary.entries
        for word in e.term.split()
        for form in analyser.parse(word)[0].lexeme
    })
    glossary_module._token_cache.clear()
    lemma_start = time.perf_counter()
    for form in lexicon:
        glossary_module.token_keys(form)
    lemma_time = time.perf_counter() - lemma_start
    inflected = [form for form in lexicon if glossary.match(form)]

    words = sum(len(text.split()) for text in texts)
    print(f"glossary: {glossary.name} {glossary.version}, {len(glossary)} entries, {glossary.checksum[:19]}…")
    print(f"load TSV: {loaded - started:.3f} s; analyser + term index: {ready - loaded:.3f} s")
    print(f"fragments: {len(texts)} ({words / len(texts):.1f} words on average), {matched} term matches")
    print(f"first pass (lemmatising new word forms): {len(texts) / cold:,.0f} fragments/s")
    print(f"cold caches, first 2,000 fragments ({forms} distinct word forms overall): "
          f"{2000 / cold_small:,.0f} fragments/s")
    print(f"new word forms: {len(lexicon) / lemma_time:,.0f} forms/s lemmatised ({len(lexicon)} inflected forms "
          f"of the glossary's words, {len(inflected)} of them match a term on their own)")
    print(f"warm (cached lemmas): {len(texts) / warm:,.0f} fragments/s, {warm / len(texts) * 1e6:.1f} µs/fragment")
    print("target: >= 2,000 fragments/s warm:", "met" if len(texts) / warm >= 2000 else "NOT met")


if __name__ == "__main__":
    main()
