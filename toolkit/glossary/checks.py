"""Checks a glossary editor should act on: duplicates, missing renderings, terms not in lemma form."""

from __future__ import annotations

from toolkit.glossary.entries import NCNAME, REQUIRED_LANGUAGES, Glossary, GlossaryEntry, plain
from toolkit.glossary.russian import HYPHENS, WORD, is_citation_word, lemma_sequence, parses
from toolkit.text import has_cyrillic, is_acronym


def check(g: Glossary) -> list[str]:
    """Problems a glossary editor should fix: duplicates, missing renderings, non-lemma terms."""
    problems: list[str] = []
    seen_sequences: dict[tuple[frozenset[str], ...], GlossaryEntry] = {}
    seen_ids: dict[str, GlossaryEntry] = {}
    for entry in g.entries:
        label = f"{entry.term!r} ({entry.id})"
        if not NCNAME.match(entry.id):
            problems.append(f"{label}: id is not a valid XML name")
        elif entry.id in seen_ids:
            problems.append(f"{label}: id also used by {seen_ids[entry.id].term!r}")
        seen_ids.setdefault(entry.id, entry)
        words = [m.group() for m in WORD.finditer(entry.term)]
        if not words:
            problems.append(f"{label}: the term has no words")
            continue
        if not has_cyrillic(entry.term):
            problems.append(f"{label}: not a Russian term (no Cyrillic letters)")
            continue
        sequence = lemma_sequence(entry.term)
        if sequence in seen_sequences:
            problems.append(f"{label}: duplicate of {seen_sequences[sequence].term!r} (same lemmas)")
        seen_sequences.setdefault(sequence, entry)
        for lang in REQUIRED_LANGUAGES:
            if not entry.targets.get(lang) and not entry.do_not_translate:
                problems.append(f"{label}: no {lang} rendering")
        problems.extend(f"{label}: {p}" for p in _lemma_problems(entry, words))
        for key in entry.forms:
            if key.split(":")[0] not in entry.targets:
                problems.append(f"{label}: forms for {key} but no {key.split(':')[0]} rendering")
    return problems


def _lemma_problems(entry: GlossaryEntry, words: list[str]) -> list[str]:
    """Words the matcher cannot rely on: unknown, or (first word) not a dictionary form."""
    problems = []
    for position, word in enumerate(words):
        form = HYPHENS.sub("-", plain(word))
        if all(is_acronym(part) for part in form.split("-")):
            continue
        analyses = [p for p in parses(form) if "UNKN" not in p.tag]
        if not analyses:
            problems.append(f"{word!r} is unknown to the morphological dictionary")
            continue
        if entry.pos == "name" or position > 0:
            continue  # names keep their form; later words of a phrase may be governed (части, армии)
        if is_citation_word(form):
            continue
        if len(words) > 1 and any("nomn" in p.tag or p.tag.POS == "INFN" for p in analyses):
            continue  # agreeing adjective of a phrase: нежелательная организация
        problems.append(f"{word!r} is not in lemma form (lemma: {plain(analyses[0].normal_form)!r})")
    return problems

