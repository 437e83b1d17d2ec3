"""Language identification of text fragments, from a whole paragraph down to a two-word window.

COI reports are Dutch but cite English, German and Russian sources, so the
question is rarely "which of 75 languages" but "which of these four, or none".
Both engines are therefore restricted to the document's languages, and the
answer is the most likely of them unless the text carries no linguistic
evidence at all:

1. rules that need no statistics: no letters, URLs, Cyrillic script, acronyms and
   references are decided at once;
2. function words ("the", "om te", "vor dem") and letters a language does not use
   are evidence of their own, weighed together with the statistics;
3. the statistics come in two grades. lingua's trigram models load in a few
   hundredths of a second and read every fragment; its high-accuracy models (1- to
   5-grams, about half a second per pair of languages) are consulted only for a
   fragment of up to three words whose cheap evidence departs from the expected
   language (the context, else the document's main language) without settling it,
   and only for the languages still in question. A document whose short fragments
   are in its own language, or carry function words that agree with the trigrams,
   never loads them.
4. ``und`` is left for a lone name or acronym (capitalised words without a
   function word, Russian names in Latin letters) and for a string the
   identifiers disagree on with low confidence.

A second, wider check keeps a title in a fifth language (a Norwegian report, say)
from being forced into one of the four. Engines are imported and built on first
use and cached per process; lingua keeps the models it loaded for the whole
process, whichever detector asked for them.

What lingua's first use costs (about 0.3 s of CPU per language for the high-accuracy
models) is paid at most once per report: its answers are kept on disk
(:mod:`toolkit.lang.cache`), so the same or a similar report again loads nothing; and
an extraction can have the models loaded in a second process while it reads the PDF
(:mod:`toolkit.lang.modelproc`, :func:`warm_up`). Wherever the scores come from, the
tagging is the same.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from toolkit.lang import modelproc
from toolkit.lang.cache import default_cache, make_key
from toolkit.text import CYRILLIC, REPORT_LANGUAGES, is_acronym, looks_like_url

logger = logging.getLogger(__name__)

ENGINES = ("lingua", "langdetect")
UNDETERMINED = "und"

# Latin-script languages a COI source may be written in besides the document's.
# Afrikaans, Frisian and Luxembourgish are left out on purpose: they sit so close
# to Dutch and German that short Dutch or German titles would be lost to them.
# Kept short: each language adds its models to the first-use cost.
WIDER_LANGUAGES = ("nb", "nn", "da", "sv", "fi", "fr", "es", "it", "pt", "pl", "cs", "hu", "tr")
# Decided by script before any statistics (see script_guess), so never loaded into an engine.
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk"})

# Closed-class words (articles, pronouns, prepositions, conjunctions, auxiliaries and modals,
# frequent adverbs, numbers to ten) per language. A fragment that contains one is language,
# not a name; one whose function words belong to none of the document's languages may be in a fifth.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "nl": frozenset(
        """
        de het een 't
        ik jij je u hij zij ze wij we jullie mij me hem haar ons onze hun hen zich zichzelf mijn jouw uw zijn
        elkaar men iemand niemand iets niets alles allemaal wie wat welk welke waar wanneer waarom hoe dit dat
        deze die daar hier er
        van in op te voor met aan bij door naar over tot uit om onder tussen tegen zonder na tijdens sinds volgens
        per via binnen buiten achter naast boven langs rond vanaf vanuit tegenover wegens
        en of maar want dus omdat als dan toen terwijl hoewel zodat voordat nadat totdat indien noch
        niet geen ook nog al wel nu toch heel zeer erg veel weinig meer meest minder altijd nooit soms vaak weer
        zo echter bijna steeds pas reeds eens even vooral alleen slechts misschien ongeveer daarom daarna elke
        ieder iedere alle andere sommige vele enkele beide
        is was waren ben bent wordt worden werd werden heb hebt heeft hebben had hadden kan kun kunt kunnen kon
        konden zal zult zullen zou zouden moet moeten moest moesten mag mogen mocht wil wilt willen wilde wilden
        ga gaat gaan ging gingen
        twee drie vier vijf zes zeven acht negen tien
        """.split()
    ),
    "en": frozenset(
        """
        the a an
        i you he she it we they me him her us them my your his its our their mine yours ours theirs myself
        himself herself itself ourselves themselves this that these those who whom whose which what where when
        why how someone somebody nobody nothing everything anyone everyone something anything there here
        of in on at to for with by from about into onto over under between against without after before during
        since through across along around behind beyond near among within upon towards toward than via per
        and or but because if then though although unless until whether so nor yet while
        not no also still already very too much more most less many few always never often sometimes again just
        only even now almost perhaps however every each other another some any all both
        is are was were be been being am has have had having do does did done will would shall should can could
        may might must cannot can't won't don't doesn't didn't isn't aren't wasn't weren't couldn't wouldn't
        shouldn't i'm it's that's there's
        one two three four five six seven eight nine ten
        """.split()
    ),
    "de": frozenset(
        """
        der die das den dem des ein eine einer einen einem eines kein keine keiner keinen keinem
        ich du er sie es wir ihr mich dich ihn uns euch mir dir ihm ihnen sich mein meine meinen meinem meiner
        meines dein deine sein seine seinen seinem seiner seines ihre ihren ihrem ihrer ihres unser unsere
        unseren unserem unserer euer eure wer was welche welcher welches welchen wo wann warum wie dies diese
        dieser diesen diesem dieses jemand niemand etwas nichts alles man jeder jede jeden jedem jedes alle
        andere anderen viele einige beide
        von zu mit in im ins auf für bei aus nach über unter vor hinter neben zwischen durch gegen ohne um seit
        bis während wegen trotz laut am an zum zur vom beim
        und oder aber denn weil wenn als dass ob obwohl damit bevor nachdem sondern sowie
        nicht auch noch schon sehr mehr immer nie oft wieder nur jetzt hier dort da so ganz fast etwa gern gerne
        vielleicht bereits dann doch ja nein sogar also
        ist sind war waren bin bist seid sein wird werden wurde wurden hat haben hatte hatten habe hast kann
        können konnte konnten muss müssen musste mussten soll sollen sollte sollten will wollen wollte wollten
        darf dürfen durfte mag möchte
        eins zwei drei vier fünf sechs sieben acht neun zehn
        """.split()
    ),
}
# Function words of one language that are everyday words of another ("door" and "men" are
# English nouns, "war", "will" and "man" English as much as German): they count as evidence
# for both. Not "van" or "met": the Dutch prepositions are far more common than the English words.
EVERYDAY_HOMOGRAPHS: dict[str, frozenset[str]] = {
    "en": frozenset("door men war man hat will also".split()),
    "nl": frozenset("been".split()),
}
TARGET_FUNCTION_WORDS = frozenset().union(*FUNCTION_WORDS.values())
OTHER_FUNCTION_WORDS = frozenset(
    """
    og i som av på til etter efter ikke inte och att är det er har fra från ved vid mot deres sine sin seg sig
    blir ble mens la le les et des du pour dans sur par au aux une est sont ses qui que ne pas el los las y del
    con por una para il gli della delle e di per che non sono nel degli os do da dos com em não w z na się nie
    od oraz jest są że dla przez
    """.split()
) - TARGET_FUNCTION_WORDS
_WORD_LANGUAGES: dict[str, frozenset[str]] = {}
for _lang, _words in list(FUNCTION_WORDS.items()) + list(EVERYDAY_HOMOGRAPHS.items()):
    for _w in _words:
        _WORD_LANGUAGES[_w] = _WORD_LANGUAGES.get(_w, frozenset()) | {_lang}
# Function words that belong to one target language only ("het", "the", "und"; not "in" or "die").
EXCLUSIVE_FUNCTION_WORDS = {w: next(iter(langs)) for w, langs in _WORD_LANGUAGES.items() if len(langs) == 1}
# Letters only one of the target languages writes: ß and ä German, the diaeresis on e and i Dutch.
LETTER_LANGUAGES = {"ß": "de", "ä": "de", "ë": "nl", "ï": "nl"}
# Letters that Dutch, English and German do not use.
_FOREIGN_LETTERS = re.compile(r"[åøæłśźżąęńñçãõčřťďňľĺőűğşıăâîșțėųūįÅØÆŁŚŹŻĄĘŃÑÇÃÕČŘŤĎŇĽĹŐŰĞŞİĂÂÎȘȚĖŲŪĮ]")

_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W_]+)*")
_UKRAINIAN_ONLY = re.compile(r"[їєґЇЄҐ]")
_BELARUSIAN_ONLY = re.compile(r"[ўЎ]")
_RUSSIAN_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")

# Patterns of Russian names written in Latin script (Navalny, Kadyrov, Prigozhin, Novaya).
_TRANSLITERATED_NAME = re.compile(
    r"(?:zh|kh|shch|tsj|sj|gv|dz|^ya|^yu|^yo|^ye|stan$)|(?:ov|ova|ev|eva|yev|in|ina|sky|skiy|skaya|ny|nyi|iy|aya|oye)$"
    # Nouns of Dutch, English and German seldom end in a, o, i or u; Russian names often do.
    # Not -ei, a German and Dutch ending (Polizei, Partei, Bäckerei).
    r"|(?:[aou]|(?<!e)i)$",
    re.I,
)

# Evidence weights and floors, tuned on tests/data/langid_fragments.tsv.
FUNCTION_WORD_WEIGHT = 5.0  # a function word makes its languages this much more likely than the others
PRIOR_WEIGHT = 1.5  # for up to three words, the expected language is this much more likely a priori
PRIOR_MAX_WORDS = 3
# Trigrams mislead on a word or two ("Identiteitsdocumenten" looks German to them); from four
# words on, trigrams and function words decide as well as the full models (bench_langid.py).
CLOSER_LOOK_MAX_WORDS = 3
LONG_TEXT_CHARS = 120  # from this length lingua reads trigrams only, in either accuracy mode
# Cheap evidence this sure settles a fragment: in the expected language, or departing from it
# when function words and trigrams agree.
SETTLED_CONFIDENCE = 0.70
CANDIDATE_FLOOR = 0.05  # languages the cheap evidence gives less than this are left out of the closer look
NAME_CONFIDENCE = 0.65  # a capitalised fragment of up to three words needs this much, by itself, to count as language
TRANSLITERATED_NAME_CONFIDENCE = 0.90  # ... and this much when one of its words looks like a Russian name
DISAGREEMENT_CONFIDENCE = 0.50  # identifiers that disagree must still reach this much, else und
OTHER_LANGUAGE_CONFIDENCE = 0.60  # wider check: a fifth language must win by this much
OTHER_LANGUAGE_MIN_WORDS = 4
# A sentence with this many words, at least OBVIOUS_MIN_HITS exclusive function words of one
# language and none of another is decided without statistics (OBVIOUS_LONG_HITS from 8 words on).
OBVIOUS_MIN_WORDS = 5
OBVIOUS_MIN_HITS = 2
OBVIOUS_LONG_HITS = 3
OBVIOUS_CONFIDENCE = 0.99


@dataclass(frozen=True)
class LanguageGuess:
    """An ISO 639-1 code (or ``und``) and how sure the identifier is, 0..1."""

    lang: str
    confidence: float


class LanguageIdentifier(Protocol):
    def detect(self, text: str, *, context: str | None = None, min_confidence: float | None = None) -> LanguageGuess: ...

    def detect_many(
        self, texts: Sequence[str], *, context: str | None = None, min_confidence: float | None = None
    ) -> list[LanguageGuess]: ...


def words(text: str) -> list[str]:
    """The words of a fragment (letters first; numbers and punctuation are not words)."""
    return _WORD.findall(text)


def word_count(text: str) -> int:
    return len(words(text))


def script_guess(text: str) -> LanguageGuess | None:
    """Decide what needs no statistics: no letters, Cyrillic script, URLs. None if undecided."""
    stripped = text.strip()
    if looks_like_url(stripped):
        return LanguageGuess(UNDETERMINED, 1.0)
    letters = sum(map(str.isalpha, stripped))
    if letters < 2:
        return LanguageGuess(UNDETERMINED, 1.0)
    cyrillic = len(CYRILLIC.findall(stripped))
    if cyrillic * 2 > letters:
        share = round(cyrillic / letters, 3)
        if not _RUSSIAN_ONLY.search(stripped):
            if _UKRAINIAN_ONLY.search(stripped):
                return LanguageGuess("uk", share)
            if _BELARUSIAN_ONLY.search(stripped):
                return LanguageGuess("be", share)
        return LanguageGuess("ru", share)
    return None


def name_like(text: str) -> bool:
    """Capitalised words only, no function word: a name, an acronym, or a one-word heading."""
    ws = words(text)
    if not ws or len(ws) > 3:
        return False
    return all(w[0].isupper() and w.lower() not in _WORD_LANGUAGES for w in ws)


def may_be_other_language(text: str) -> bool:
    """Letters or function words of a language outside nl/en/de: worth the wider check."""
    if _FOREIGN_LETTERS.search(text):
        return True
    lowered = [w.lower() for w in words(text)]
    other = sum(1 for w in lowered if w in OTHER_FUNCTION_WORDS)
    return other > 0 and other >= sum(1 for w in lowered if w in TARGET_FUNCTION_WORDS)


def looks_transliterated(word: str) -> bool:
    """A Russian name spelt in Latin letters (Navalny, Kadyrov, Novaya)."""
    return _TRANSLITERATED_NAME.search(word) is not None


def word_evidence(text: str, languages: Sequence[str]) -> dict[str, float]:
    """How much more likely each of ``languages`` is by the fragment's function words and letters.

    A word or letter that belongs to some of the languages but not all multiplies their
    weight by FUNCTION_WORD_WEIGHT; the others stay at 1. All ones: no evidence.
    """
    weights = {lang: 1.0 for lang in languages}
    clues = [_WORD_LANGUAGES.get(w.lower(), frozenset()) for w in words(text)]
    clues += [frozenset({lang}) for letter, lang in LETTER_LANGUAGES.items() if letter in text.lower()]
    for langs in clues:
        hit = [lang for lang in languages if lang in langs]
        if hit and len(hit) < len(weights):
            for lang in hit:
                weights[lang] *= FUNCTION_WORD_WEIGHT
    return weights


def favoured(weights: dict[str, float]) -> str | None:
    """The one language the evidence favours most, None on no evidence or a tie."""
    ranked = sorted(weights.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] <= 1.0 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def obvious(text: str) -> LanguageGuess | None:
    """A sentence full of one target language's function words, and none of another's, needs no statistics."""
    ws = [w.lower() for w in words(text)]
    if len(ws) < OBVIOUS_MIN_WORDS or any(w in OTHER_FUNCTION_WORDS for w in ws):
        return None
    exclusive = Counter(EXCLUSIVE_FUNCTION_WORDS[w] for w in ws if w in EXCLUSIVE_FUNCTION_WORDS)
    if len(exclusive) != 1:
        return None
    ((best, count),) = exclusive.items()
    hits = sum(1 for w in ws if best in _WORD_LANGUAGES.get(w, ()))
    if count < (OBVIOUS_MIN_HITS if len(ws) < 8 else OBVIOUS_LONG_HITS) or hits * 5 < len(ws):
        return None
    return LanguageGuess(best, OBVIOUS_CONFIDENCE)


class _Engine(Protocol):
    """A statistical backend: confidence per language, for many texts at once."""

    languages: tuple[str, ...]
    graded: bool  # whether scores() looks closer than quick_scores()

    def quick_scores(self, texts: list[str]) -> list[dict[str, float]]: ...

    def scores(self, texts: list[str], languages: Sequence[str]) -> list[dict[str, float]]: ...

    def wider_scores(self, texts: list[str]) -> list[dict[str, float]]: ...


def _normalised(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {lang: value / total for lang, value in weights.items()} if total else weights


def _top(scores: dict[str, float]) -> tuple[str, float]:
    return max(scores.items(), key=lambda kv: kv[1]) if scores else (UNDETERMINED, 0.0)


@dataclass
class _Case:
    """One fragment on its way through the statistics."""

    text: str
    evidence: dict[str, float]
    prior: dict[str, float]
    cheap: dict[str, float] | None = None
    final: dict[str, float] | None = None
    own: dict[str, float] | None = None  # the final scores without the prior: what the text itself says
    other: LanguageGuess | None = None  # a fifth language found by the wider check

    def combine(self, scores: dict[str, float], languages: Sequence[str], prior: bool = True) -> dict[str, float]:
        if not any(scores.get(lang) for lang in languages):
            scores = {lang: 1.0 for lang in languages}  # too short for the models ("as a"): no opinion
        weight = self.prior if prior else dict.fromkeys(languages, 1.0)
        return _normalised({lang: scores.get(lang, 0.0) * self.evidence[lang] * weight[lang] for lang in languages})


class RuleFirstIdentifier:
    """Script and name rules first, then function words and an engine restricted to the document's languages.

    ``prior`` is the document's main language: for short fragments it is a little more
    likely a priori, and the high-accuracy models are needed only to depart from it.
    ``context`` (the language around a fragment) takes its place where given, and is
    what a fragment without evidence of its own (a name, a disagreement) falls back to.
    ``min_confidence``: an answer less sure than this becomes the context, or ``und``.
    """

    def __init__(self, engine: _Engine, languages: Sequence[str], prior: str | None) -> None:
        self.engine = engine
        self.languages = tuple(languages)
        self.prior = prior

    def detect(self, text: str, *, context: str | None = None, min_confidence: float | None = None) -> LanguageGuess:
        return self.detect_many([text], context=context, min_confidence=min_confidence)[0]

    def detect_many(
        self, texts: Sequence[str], *, context: str | None = None, min_confidence: float | None = None
    ) -> list[LanguageGuess]:
        guesses: list[LanguageGuess | None] = [self._by_rule(text) for text in texts]
        pending = [i for i, guess in enumerate(guesses) if guess is None]
        if pending:
            for i, guess in zip(pending, self._by_statistics([_latin_only(texts[i]) for i in pending], context)):
                guesses[i] = guess
        out = [guess for guess in guesses if guess is not None]
        if min_confidence is None:
            return out
        fallback = context or UNDETERMINED
        return [LanguageGuess(fallback, g.confidence) if g.lang != UNDETERMINED and g.confidence < min_confidence else g for g in out]

    def _by_rule(self, text: str) -> LanguageGuess | None:
        guess = script_guess(text)
        if guess is not None:
            if guess.lang == "ru" and "ru" not in self.languages:
                return LanguageGuess(UNDETERMINED, guess.confidence)
            return guess
        ws = words(text)
        # FSB, OVD-Info, "art. 328", "p. 25": acronyms and references carry no language.
        if all(is_acronym(w) for w in ws) or (len(ws) <= 1 and any(c.isdigit() for c in text) and all(len(w) <= 4 for w in ws)):
            return LanguageGuess(UNDETERMINED, 1.0)
        guess = obvious(_latin_only(text))
        return guess if guess is not None and guess.lang in self.languages else None

    def _by_statistics(self, texts: list[str], context: str | None) -> list[LanguageGuess]:
        languages = self.engine.languages
        expected = next((code for code in (context, self.prior) if code in languages), None)
        cases = []
        for text in texts:
            short = word_count(text) <= PRIOR_MAX_WORDS
            prior = {lang: PRIOR_WEIGHT if short and lang == expected else 1.0 for lang in languages}
            cases.append(_Case(text, word_evidence(text, languages), prior))
        for case, scores in zip(cases, self.engine.quick_scores(texts)):
            case.cheap = case.final = case.combine(scores, languages)
            case.own = case.combine(scores, languages, prior=False)
        self._wider_check(cases)
        if self.engine.graded:
            self._look_closer([c for c in cases if c.other is None and self._needs_closer_look(c, expected)])
        return [case.other or self._decide(case, context) for case in cases]

    def _wider_check(self, cases: list[_Case]) -> None:
        worth = [c for c in cases if word_count(c.text) >= OTHER_LANGUAGE_MIN_WORDS and may_be_other_language(c.text)]
        if not worth:
            return
        for case, wider in zip(worth, self.engine.wider_scores([c.text for c in worth])):
            other, confidence = _top(wider)
            if other not in self.languages and other != UNDETERMINED and confidence >= OTHER_LANGUAGE_CONFIDENCE:
                case.other = LanguageGuess(other, round(confidence, 3))

    @staticmethod
    def _needs_closer_look(case: _Case, expected: str | None) -> bool:
        top, confidence = _top(case.cheap)
        words_favour = favoured(case.evidence)
        if words_favour is not None and words_favour != top:
            return len(case.text) < LONG_TEXT_CHARS  # function words and trigrams disagree
        if word_count(case.text) > CLOSER_LOOK_MAX_WORDS:
            return False
        if name_like(case.text):
            return True  # trigrams are as sure of "Kommersant" as of "Haftbedingungen": the name test needs the full models
        if confidence >= SETTLED_CONFIDENCE and (top == expected or words_favour == top):
            return False
        return True

    def _look_closer(self, cases: list[_Case]) -> None:
        """High-accuracy scores, one batch per set of languages still in question."""
        groups: dict[tuple[str, ...], list[_Case]] = {}
        for case in cases:
            keep = {_top(case.cheap)[0], favoured(case.evidence)} | {lang for lang, weight in case.prior.items() if weight > 1}
            candidates = tuple(
                lang for lang, value in case.cheap.items() if value >= CANDIDATE_FLOOR or lang in keep or name_like(case.text)
            )  # a name is judged against all the languages: trigrams make it look surer than it is
            groups.setdefault(candidates, []).append(case)
        for candidates, group in groups.items():
            for case, scores in zip(group, self.engine.scores([c.text for c in group], candidates)):
                case.final = case.combine(scores, candidates)
                case.own = case.combine(scores, candidates, prior=False)

    @staticmethod
    def _decide(case: _Case, context: str | None) -> LanguageGuess:
        lang, confidence = _top(case.final)
        confidence = round(confidence, 3)
        ws = words(case.text)
        if name_like(case.text):  # no function word; letters alone do not make a name language
            transliterated = [looks_transliterated(w) or is_acronym(w) for w in ws]
            floor = TRANSLITERATED_NAME_CONFIDENCE if any(transliterated) else NAME_CONFIDENCE
            own_lang, own_confidence = _top(case.own)  # the context's weight does not make a name language
            if all(transliterated) or own_lang != lang or own_confidence < floor:
                return LanguageGuess(UNDETERMINED, confidence)
        opinions = {_top(case.cheap)[0], favoured(case.evidence) or lang, lang}
        if len(opinions) > 1 and confidence < DISAGREEMENT_CONFIDENCE:
            return LanguageGuess(context or UNDETERMINED, confidence)  # no evidence of its own: the language around it
        return LanguageGuess(lang, confidence)


def _latin_only(text: str) -> str:
    """Drop stray Cyrillic letters from a mostly Latin fragment before the statistics see it."""
    return CYRILLIC.sub(" ", text) if CYRILLIC.search(text) else text


def _latin_languages(languages: Sequence[str]) -> tuple[str, ...]:
    # Cyrillic text never reaches the engine, so its models need not be loaded;
    # a statistic needs two languages to compare.
    latin = tuple(code for code in languages if code not in CYRILLIC_LANGUAGES)
    return latin if len(latin) >= 2 else tuple(dict.fromkeys(latin + ("en", "nl")))


_lingua_lock = threading.Lock()
_lingua_detectors: dict[tuple[tuple[str, ...], bool], object] = {}
# Languages whose models this process has loaded, by accuracy (lingua keeps them for the process;
# the high-accuracy models include the trigrams of low accuracy).
_loaded: dict[bool, set[str]] = {False: set(), True: set()}


def _lingua_builder(codes: Sequence[str], accurate: bool):
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*[getattr(IsoCode639_1, c.upper()) for c in codes])
    return builder if accurate else builder.with_low_accuracy_mode()


def lingua_scores(texts: Sequence[str], languages: Sequence[str], accurate: bool) -> list[dict[str, float]]:
    """lingua's confidence per language for each text, in this process (models load on first use)."""
    key = (tuple(sorted(set(languages))), accurate)
    missing = [code for code in key[0] if code not in _loaded[accurate] and code not in _loaded[True]]
    if missing and texts:
        # Left to themselves, lingua's parallel threads each load the models they miss: the
        # same model twice at once, half as much CPU again (bench_langid.py). Loaded up front,
        # the languages load side by side, each once.
        preload_lingua(missing, accurate)
    with _lingua_lock:
        if key not in _lingua_detectors:
            _lingua_detectors[key] = _lingua_builder(key[0], accurate).build()
        detector = _lingua_detectors[key]
    texts = list(texts)
    if len(texts) == 1:
        results = [detector.compute_language_confidence_values(texts[0])]
    else:
        results = detector.compute_language_confidence_values_in_parallel(texts)
    return [{c.language.iso_code_639_1.name.lower(): c.value for c in values if c.value > 0} for values in results]


def preload_lingua(languages: Sequence[str], accurate: bool) -> None:
    """Load the models of ``languages`` now, in parallel (they stay loaded for the process)."""
    _lingua_builder(languages, accurate).with_preloaded_language_models().build()
    _loaded[accurate].update(languages)


@functools.lru_cache(maxsize=1)
def lingua_version() -> str:
    """The installed lingua's version: part of every cached answer's key."""
    import lingua

    # The distribution's folder name beside the package: importlib.metadata costs a twentieth of a second to import.
    found = sorted(Path(lingua.__file__).resolve().parent.parent.glob("lingua_language_detector-*.dist-info"))
    if len(found) == 1:
        return found[0].name[len("lingua_language_detector-") : -len(".dist-info")]
    from importlib.metadata import version

    return version("lingua-language-detector")


class LinguaEngine:
    """lingua-language-detector, restricted to the document's languages.

    Two grades: trigram models (low-accuracy mode, a few hundredths of a second to load)
    for every fragment, the full 1- to 5-gram models (high accuracy, about 0.3 s of CPU
    per language) only for the fragments and languages the identifier asks about.
    Answers come from the on-disk cache (:mod:`toolkit.lang.cache`) where it has them,
    else from the model process (:mod:`toolkit.lang.modelproc`) when one is running,
    else from lingua in this process. All three give lingua's scores (which themselves vary
    from call to call in the last bits, as the order of lingua's sums does).
    """

    name = "lingua"
    graded = True

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = _latin_languages(languages)
        self.unsaved = 0  # answers computed but not kept in the cache (turned off, busy, unwritable)

    def quick_scores(self, texts: list[str]) -> list[dict[str, float]]:
        return self._answers(texts, self.languages, accurate=False)

    def scores(self, texts: list[str], languages: Sequence[str]) -> list[dict[str, float]]:
        if len(set(languages)) < 2:
            return [{lang: 1.0 for lang in languages} for _ in texts]
        return self._answers(texts, languages, accurate=True)

    def wider_scores(self, texts: list[str]) -> list[dict[str, float]]:
        # Trigram models only: loading 5-gram models for twenty languages would cost seconds,
        # and the wider check runs on fragments of four words or more, where trigrams suffice.
        return self._answers(texts, self.languages + WIDER_LANGUAGES, accurate=False)

    def preload_plan(self) -> list[tuple[bool, tuple[str, ...]]]:
        """What a document's tagging may ask for, in the order it asks (see modelproc).

        The high-accuracy models in one step: lingua loads the languages of one step side by side.
        """
        return [(False, self.languages), (False, self.languages + WIDER_LANGUAGES), (True, self.languages)]

    def models_loaded(self) -> bool:
        """Whether this process already has every high-accuracy model the tagging may need."""
        return set(self.languages) <= _loaded[True]

    def identity(self) -> tuple[str, ...]:
        """What, besides the document, decides which answers its tagging needs."""
        from toolkit import __version__

        return (self.name, lingua_version(), __version__, *self.languages)

    def _answers(self, texts: list[str], languages: Sequence[str], accurate: bool) -> list[dict[str, float]]:
        codes = sorted(set(languages))
        cache = default_cache()
        keys: list[bytes] = []
        found: dict[bytes, dict[str, float]] = {}
        if cache is not None:
            mode = "accurate" if accurate else "quick"
            keys = [make_key(self.name, lingua_version(), mode, codes, text) for text in texts]
            # With the models at hand here, lingua answers faster than the cache: only store.
            if not set(codes) <= (_loaded[accurate] | _loaded[True]):
                found = cache.get_many(keys)
        missing = [i for i in range(len(texts)) if not keys or keys[i] not in found]
        computed = self._compute([texts[i] for i in missing], codes, accurate) if missing else []
        if cache is None or not cache.put_many({keys[i]: scores for i, scores in zip(missing, computed)}):
            self.unsaved += len(missing)
        by_index = dict(zip(missing, computed))
        return [by_index[i] if i in by_index else found[keys[i]] for i in range(len(texts))]

    @staticmethod
    def _compute(texts: list[str], languages: Sequence[str], accurate: bool) -> list[dict[str, float]]:
        proc = modelproc.current()
        if proc is not None:
            answer = proc.scores(texts, languages, accurate)
            if answer is not None:
                return answer
        return lingua_scores(texts, languages, accurate)

    def remember_document(self, sha256: str) -> None:
        """Note that this document's tagging needs nothing beyond the cache now (see modelproc)."""
        cache = default_cache()
        if cache is not None:
            cache.add_document(make_key("document", sha256, *self.identity()))


class LangdetectEngine:
    """langdetect with only the document's language profiles loaded, seeded for repeatable answers.

    One grade: its profiles load in about a tenth of a second, so there is nothing to save.
    """

    SEED = 0
    graded = False

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = _latin_languages(languages)
        self._lock = threading.Lock()
        self._narrow = None
        self._wide = None

    def _factory(self, codes: Sequence[str]):
        import importlib.resources

        from langdetect.detector_factory import DetectorFactory

        profiles_dir = importlib.resources.files("langdetect") / "profiles"
        profiles = []
        for code in dict.fromkeys(codes):
            name = "no" if code in ("nb", "nn") else code
            path = profiles_dir / name
            if path.is_file():
                profiles.append(path.read_text(encoding="utf-8"))
        factory = DetectorFactory()
        factory.load_json_profile(profiles)
        factory.seed = self.SEED  # instance attribute: leaves langdetect's global factory alone
        return factory

    def narrow(self):
        with self._lock:
            if self._narrow is None:
                self._narrow = self._factory(self.languages)
            return self._narrow

    def wide(self):
        with self._lock:
            if self._wide is None:
                self._wide = self._factory(self.languages + tuple(c for c in WIDER_LANGUAGES if c != "nn"))
            return self._wide

    @staticmethod
    def _run(factory, texts: list[str]) -> list[dict[str, float]]:
        from langdetect.lang_detect_exception import LangDetectException

        out = []
        for text in texts:
            detector = factory.create()
            detector.append(text)
            try:
                probs = detector.get_probabilities()
            except LangDetectException:
                probs = []
            out.append({("nb" if p.lang == "no" else p.lang): p.prob for p in probs})
        return out

    def quick_scores(self, texts: list[str]) -> list[dict[str, float]]:
        return self._run(self.narrow(), texts)

    def scores(self, texts: list[str], languages: Sequence[str]) -> list[dict[str, float]]:
        return [{lang: s.get(lang, 0.0) for lang in languages} for s in self.quick_scores(texts)]

    def wider_scores(self, texts: list[str]) -> list[dict[str, float]]:
        return self._run(self.wide(), texts)


@functools.lru_cache(maxsize=16)
def _cached_identifier(engine: str, languages: tuple[str, ...], prior: str | None) -> RuleFirstIdentifier:
    backend: _Engine = LinguaEngine(languages) if engine == "lingua" else LangdetectEngine(languages)
    return RuleFirstIdentifier(backend, languages, prior)


def get_identifier(
    engine: str = "lingua", languages: Sequence[str] = REPORT_LANGUAGES, prior: str | None = "nl"
) -> LanguageIdentifier:
    """The identifier for ``engine`` over ``languages``, built once per process and arguments."""
    if engine not in ENGINES:
        raise ValueError(f"unknown language identification engine {engine!r} (choose from {', '.join(ENGINES)})")
    codes = tuple(dict.fromkeys(code.lower() for code in languages))
    if not codes:
        raise ValueError("at least one language is needed")
    bad = [code for code in codes if not re.fullmatch(r"[a-z]{2}", code)]
    if engine == "lingua" and not bad:
        from lingua import IsoCode639_1

        bad = [code for code in codes if not hasattr(IsoCode639_1, code.upper())]
    if bad:
        raise ValueError(f"unknown language code {bad[0]!r} (expected ISO 639-1, e.g. nl)")
    return _cached_identifier(engine, codes, prior)


def warm_up(engine: str = "lingua", source: str | os.PathLike | None = None) -> None:
    """Start loading the engine's models in a second process while the PDF at ``source`` is read.

    See :mod:`toolkit.lang.modelproc`: nothing happens for langdetect (its profiles load
    in a tenth of a second), on a single or busy core, or once this process has the models.
    """
    if engine != "lingua" or (source is not None and not os.path.isfile(source)) or not modelproc.wanted():
        return  # nothing to read while the models load (a missing file fails at once)
    backend = get_identifier(engine).engine  # type: ignore[attr-defined]
    if backend.models_loaded():
        return
    cache = default_cache()
    document = None
    if cache is not None and source is not None:
        document = {"source": os.fspath(source), "cache": str(cache.path), "identity": list(backend.identity())}
    modelproc.start(backend.preload_plan(), document)


@contextmanager
def remembering(identifier: LanguageIdentifier, sha256: str) -> Iterator[None]:
    """Around a document's tagging: once done, remember it if every answer it needed is in the cache."""
    engine = getattr(identifier, "engine", None)
    before = getattr(engine, "unsaved", None)
    yield
    if before is not None and engine.unsaved == before:
        engine.remember_document(sha256)
