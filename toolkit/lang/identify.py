"""Language identification of text fragments, from a whole paragraph down to a two-word title.

COI reports are Dutch but cite English, German and Russian sources, so the
question is rarely "which of 75 languages" but "which of these four, or none".
Both engines are therefore restricted to the document's languages; rules that
need no statistics come first (Cyrillic script, names, acronyms, numbers), and a
second, wider check keeps a title in a fifth language (a Norwegian report, say)
from being forced into one of the four.

Heavy engines are imported and built on first use and cached per process.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
from dataclasses import dataclass
from typing import Protocol, Sequence

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

# Function words per language: a fragment that contains one is language, not a name, and
# one whose function words belong to none of the document's languages may be in a fifth.
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "nl": frozenset("de het een en van in op te voor met is zijn niet dat die er om aan als bij door naar "
                    "of over tot uit wordt werd ook nog maar dan wel geen hun zij wie wat deze dit".split()),
    "en": frozenset("the a an and of in on to for with is are was were be not that this by from at as or "
                    "it its which who has have had their".split()),
    "de": frozenset("der die das den dem des ein eine einer und von zu mit ist sind nicht im auf für bei "
                    "aus nach wie über oder auch sich dass wird wurde".split()),
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
# Letters that Dutch, English and German do not use.
_FOREIGN_LETTERS = re.compile(r"[åøæłśźżąęńñçãõčřťďňľĺőűğşıăâîșțėųūįÅØÆŁŚŹŻĄĘŃÑÇÃÕČŘŤĎŇĽĹŐŰĞŞİĂÂÎȘȚĖŲŪĮ]")

_LETTER = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_][^\W_]*(?:[-'’][^\W_]+)*")
_UKRAINIAN_ONLY = re.compile(r"[їєґЇЄҐ]")
_BELARUSIAN_ONLY = re.compile(r"[ўЎ]")
_RUSSIAN_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")

# Patterns of Russian names written in Latin script (Navalny, Kadyrov, Prigozhin, Novaya).
_TRANSLITERATED_NAME = re.compile(
    r"(?:zh|kh|shch|tsj|sj|gv|dz|^ya|^yu|^yo|^ye|stan$)|(?:ov|ova|ev|eva|yev|in|ina|sky|skiy|skaya|ny|nyi|iy|aya|oye)$"
    # Nouns of Dutch, English and German seldom end in a, o, i or u; Russian names often do.
    r"|[aoiu]$",
    re.I,
)

# Evidence floors, tuned on tests/data/langid_fragments.tsv.
WEAK_CONFIDENCE = 0.55  # below this a short fragment is undecided on its own
NAME_CONFIDENCE = 0.70  # a capitalised fragment of up to three words needs this much to count as language
OTHER_LANGUAGE_CONFIDENCE = 0.60  # wider check: a fifth language must win by this much
OTHER_LANGUAGE_MIN_WORDS = 4
PRIOR_WEIGHT = 1.5  # the document's (or context's) language is this much more likely a priori


@dataclass(frozen=True)
class LanguageGuess:
    """An ISO 639-1 code (or ``und``) and how sure the identifier is, 0..1."""

    lang: str
    confidence: float


class LanguageIdentifier(Protocol):
    def detect(self, text: str, *, context: str | None = None) -> LanguageGuess: ...

    def detect_many(self, texts: Sequence[str], *, context: str | None = None) -> list[LanguageGuess]: ...


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
    return all(w[0].isupper() and w.lower() not in TARGET_FUNCTION_WORDS for w in ws)


def may_be_other_language(text: str) -> bool:
    """Letters or function words of a language outside nl/en/de: worth the wider check."""
    if _FOREIGN_LETTERS.search(text):
        return True
    lowered = [w.lower() for w in words(text)]
    other = sum(1 for w in lowered if w in OTHER_FUNCTION_WORDS)
    return other > 0 and other >= sum(1 for w in lowered if w in TARGET_FUNCTION_WORDS)


def looks_transliterated(text: str) -> bool:
    """A Russian name spelt in Latin letters (Navalny, Kadyrov, Novaya Gazeta)."""
    return any(_TRANSLITERATED_NAME.search(w) for w in words(text))


class _Engine(Protocol):
    """A statistical backend: confidence per language, for many texts at once."""

    def scores(self, texts: list[str]) -> list[dict[str, float]]: ...

    def wider_scores(self, texts: list[str]) -> list[dict[str, float]]: ...


class RuleFirstIdentifier:
    """Script and name rules first, then an engine restricted to the document's languages.

    ``prior`` is the document's main language: when evidence is balanced it wins.
    ``context`` (the language around a fragment) is a stronger prior and is what a
    fragment too weak to decide alone falls back to.
    """

    def __init__(self, engine: _Engine, languages: Sequence[str], prior: str | None) -> None:
        self.engine = engine
        self.languages = tuple(languages)
        self.prior = prior

    def detect(self, text: str, *, context: str | None = None) -> LanguageGuess:
        return self.detect_many([text], context=context)[0]

    def detect_many(self, texts: Sequence[str], *, context: str | None = None) -> list[LanguageGuess]:
        guesses: list[LanguageGuess | None] = []
        pending: list[int] = []
        for i, text in enumerate(texts):
            guess = script_guess(text)
            if guess is not None and guess.lang not in self.languages and guess.lang == "ru":
                guess = LanguageGuess(UNDETERMINED, guess.confidence)
            if guess is None:
                ws = words(text)
                # FSB, OVD-Info, "art. 328", "p. 25": acronyms and references carry no language.
                if all(is_acronym(w) for w in ws) or (len(ws) <= 1 and any(c.isdigit() for c in text) and all(len(w) <= 4 for w in ws)):
                    guess = LanguageGuess(UNDETERMINED, 1.0)
            guesses.append(guess)
            if guess is None:
                pending.append(i)
        if pending:
            latin = [_latin_only(texts[i]) for i in pending]
            scores = self.engine.scores(latin)
            long_enough = [
                k for k, t in enumerate(latin) if word_count(t) >= OTHER_LANGUAGE_MIN_WORDS and may_be_other_language(t)
            ]
            wider = dict(zip(long_enough, self.engine.wider_scores([latin[k] for k in long_enough]))) if long_enough else {}
            for k, i in enumerate(pending):
                guesses[i] = self._decide(latin[k], scores[k], wider.get(k), context)
        return [g for g in guesses if g is not None]

    def _decide(
        self, text: str, scores: dict[str, float], wider: dict[str, float] | None, context: str | None
    ) -> LanguageGuess:
        n_words = word_count(text)
        if wider:
            other, other_conf = max(wider.items(), key=lambda kv: kv[1])
            if other not in self.languages and other_conf >= OTHER_LANGUAGE_CONFIDENCE:
                return LanguageGuess(other, round(other_conf, 3))
        if scores and name_like(text):
            lang, conf = max(scores.items(), key=lambda kv: kv[1])
            if conf < NAME_CONFIDENCE or looks_transliterated(text):
                return LanguageGuess(UNDETERMINED, round(conf, 3))
        favoured = context or self.prior
        if favoured in scores and n_words <= 3:
            scores = dict(scores)
            scores[favoured] *= PRIOR_WEIGHT
            total = sum(scores.values()) or 1.0
            scores = {lang: value / total for lang, value in scores.items()}
        if not scores:
            return LanguageGuess(context or UNDETERMINED, 0.0)
        lang, conf = max(scores.items(), key=lambda kv: kv[1])
        conf = round(conf, 3)
        if n_words <= 3 and conf < WEAK_CONFIDENCE:
            return LanguageGuess(context or UNDETERMINED, conf)
        return LanguageGuess(lang, conf)


def _latin_only(text: str) -> str:
    """Drop stray Cyrillic letters from a mostly Latin fragment before the statistics see it."""
    return CYRILLIC.sub(" ", text) if CYRILLIC.search(text) else text


class LinguaEngine:
    """lingua-language-detector in high-accuracy mode, restricted to the document's languages.

    Models load lazily on first use (about a second of CPU for three languages)
    and are shared by every detector in the process.
    """

    def __init__(self, languages: Sequence[str]) -> None:
        # Cyrillic text never reaches the engine, so its models need not be loaded.
        latin = tuple(code for code in languages if code not in CYRILLIC_LANGUAGES)
        self.languages = latin if len(latin) >= 2 else tuple(dict.fromkeys(latin + ("en", "nl")))
        self._lock = threading.Lock()
        self._narrow = None
        self._wide = None

    def _build(self, codes: Sequence[str], low_accuracy: bool):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        isos = [getattr(IsoCode639_1, code.upper()) for code in dict.fromkeys(codes)]
        builder = LanguageDetectorBuilder.from_iso_codes_639_1(*isos)
        if low_accuracy:
            builder = builder.with_low_accuracy_mode()
        return builder.build()

    def narrow(self):
        with self._lock:
            if self._narrow is None:
                self._narrow = self._build(self.languages, low_accuracy=False)
            return self._narrow

    def wide(self):
        # Trigram models only: loading 5-gram models for twenty languages would cost seconds,
        # and the wider check runs on fragments of four words or more, where trigrams suffice.
        with self._lock:
            if self._wide is None:
                self._wide = self._build(self.languages + WIDER_LANGUAGES, low_accuracy=True)
            return self._wide

    @staticmethod
    def _convert(results) -> list[dict[str, float]]:
        return [
            {c.language.iso_code_639_1.name.lower(): c.value for c in values if c.value > 0} for values in results
        ]

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        detector = self.narrow()
        if len(texts) == 1:
            return self._convert([detector.compute_language_confidence_values(texts[0])])
        return self._convert(detector.compute_language_confidence_values_in_parallel(texts))

    def wider_scores(self, texts: list[str]) -> list[dict[str, float]]:
        detector = self.wide()
        if len(texts) == 1:
            return self._convert([detector.compute_language_confidence_values(texts[0])])
        return self._convert(detector.compute_language_confidence_values_in_parallel(texts))


class LangdetectEngine:
    """langdetect with only the document's language profiles loaded, seeded for repeatable answers."""

    SEED = 0

    def __init__(self, languages: Sequence[str]) -> None:
        self.languages = tuple(languages)
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

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        return self._run(self.narrow(), texts)

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
    codes = tuple(code.lower() for code in languages)
    if not codes:
        raise ValueError("at least one language is needed")
    bad = [code for code in codes if not re.fullmatch(r"[a-z]{2}", code)]
    if engine == "lingua" and not bad:
        from lingua import IsoCode639_1

        bad = [code for code in codes if not hasattr(IsoCode639_1, code.upper())]
    if bad:
        raise ValueError(f"unknown language code {bad[0]!r} (expected ISO 639-1, e.g. nl)")
    return _cached_identifier(engine, codes, prior)


def warm_up(engine: str = "lingua") -> threading.Thread:
    """Load the engine's models in a background thread while the PDF is being read.

    lingua's first detection loads its models for about a second and a half; part of
    that runs beside PyMuPDF's page reading. Join the thread before using the identifier.
    """
    identifier = get_identifier(engine)
    thread = threading.Thread(target=identifier.detect, args=("Dit is een Nederlandse zin over de dienstplicht.",), daemon=True)
    thread.start()
    return thread
