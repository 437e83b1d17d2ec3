"""Offline machine translation of Russian fragments, with the glossary enforced.

The pipeline, per fragment: split into sentences ourselves (Argos's own splitters,
stanza and MiniSBD, fetch models at run time), look up the cache, replace glossary
terms by placeholders the model copies through, tokenise with the package's
SentencePiece model, translate every pending sentence in one CTranslate2
``translate_batch`` call per hop (ru→en, then en→nl or en→de when there is no
direct package), and put the glossary's target terms back where the placeholders
came out. If a placeholder is lost or duplicated, that sentence is translated again
without placeholders and the hypothesis holding the most glossary targets wins; the
terms still missing are reported as not enforced.

Without an installed model the engine runs in glossary-only mode: it renders the
terms the glossary covers and leaves the rest of the text as it is.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

from toolkit.translate import packages as model_store
from toolkit.errors import CoitoolError, ModelError

log = logging.getLogger(__name__)

TARGET_LANGUAGES = ("en", "nl", "de")
SOURCE_LANGUAGE = "ru"
PIVOT_LANGUAGE = "en"
# Bump when the pipeline changes what it produces, so cached results are not reused.
PIPELINE_VERSION = "1"

# A glossary term becomes "ZXQ<n>": Latin capitals plus digits, which NMT models copy
# like an acronym; SentencePiece splits it into a handful of Latin/digit pieces in any
# context, and a model that inserts spaces between those pieces is still recognised.
PLACEHOLDER = "ZXQ{}"
PLACEHOLDER_PATTERN = re.compile(r"Z ?X ?Q ?(\d{1,3})", re.IGNORECASE)

GLOSSARY_ONLY = "glossary-only"
MODEL = "model"


# -- results ----------------------------------------------------------------------


@dataclass(frozen=True)
class ForcedTerm:
    """A glossary target inside a translation: ``text[start:end]`` renders ``entry_id``."""

    start: int
    end: int
    entry_id: str
    target: str


@dataclass
class Translation:
    source: str
    text: str
    lang: str
    mode: str = MODEL  # MODEL or GLOSSARY_ONLY
    terms: list[ForcedTerm] = field(default_factory=list)
    unenforced: list[str] = field(default_factory=list)  # glossary terms (Russian) the output lacks
    cached: bool = False


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float


class TranslationModel(Protocol):
    """One hop: texts in one language to n-best hypotheses in another."""

    package: model_store.ModelPackage

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]: ...


# -- the model of one package -------------------------------------------------------


def _threads() -> int:
    value = os.environ.get("COITOOL_MT_THREADS", "")
    return int(value) if value.isdigit() else 0


class PackageModel:
    """An installed package loaded once: its CTranslate2 translator and SentencePiece model."""

    def __init__(self, package: model_store.ModelPackage, beam_size: int = 4):
        import ctranslate2
        import sentencepiece

        self.package = package
        self.beam_size = beam_size
        try:
            self.tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
            self.translator = ctranslate2.Translator(
                str(package.path / "model"), device="cpu", inter_threads=1, intra_threads=_threads()
            )
        except (OSError, RuntimeError, ValueError) as error:
            raise ModelError(f"cannot load model package {package.name}: {error}") from None
        self.target_prefix = _target_prefix(package.path)

    def encode(self, texts: Sequence[str]) -> list[list[str]]:
        return self.tokenizer.encode(list(texts), out_type=str)

    def decode(self, tokens: list[str]) -> str:
        if self.target_prefix and tokens and tokens[0] == self.target_prefix:
            tokens = tokens[1:]
        return self.tokenizer.decode_pieces(tokens).strip()

    def translate_tokens(self, batch: list[list[str]], num_hypotheses: int = 1):
        prefix = [[self.target_prefix]] * len(batch) if self.target_prefix else None
        return self.translator.translate_batch(
            batch,
            target_prefix=prefix,
            beam_size=max(self.beam_size, num_hypotheses),
            num_hypotheses=num_hypotheses,
            replace_unknowns=True,
            return_scores=True,
            length_penalty=0.2,
            max_batch_size=32,
        )

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        if not texts:
            return []
        results = self.translate_tokens(self.encode(texts), num_hypotheses)
        return [
            [Hypothesis(self.decode(tokens), score) for tokens, score in zip(result.hypotheses, result.scores)]
            for result in results
        ]


def _target_prefix(package_path: Path) -> str:
    try:
        metadata = json.loads((package_path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    prefix = metadata.get("target_prefix", "") if isinstance(metadata, dict) else ""
    return prefix if isinstance(prefix, str) else ""


_loaded: dict[tuple[str, str, int], PackageModel] = {}
_load_lock = threading.Lock()


def load_model(package: model_store.ModelPackage) -> PackageModel:
    """The package's model, loaded once per process (per folder, version and model file)."""
    try:
        stamp = (package.path / "model" / "model.bin").stat().st_mtime_ns
    except OSError:
        raise ModelError(f"model package {package.name} has no model/model.bin") from None
    key = (str(package.path), package.version, stamp)
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = PackageModel(package)
        return _loaded[key]


# -- sentence segmentation ------------------------------------------------------------

_ABBREVIATIONS = {
    # Russian
    "г", "гг", "ст", "ч", "п", "пп", "т", "е", "д", "др", "пр", "см", "им", "ул", "обл", "р",
    "руб", "тыс", "млн", "млрд", "кв", "стр", "рис", "табл", "с", "н", "э", "англ", "нем",
    "ред", "изд", "вып", "напр", "прим", "т.е", "т.д", "т.п", "т.к", "ср", "проф", "акад", "юр",
    # English, Dutch, German
    "mr", "mrs", "dr", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "nr", "art", "jr", "jan",
    "feb", "aug", "sept", "okt", "oct", "nov", "dec", "bijv", "z.b", "bzw", "vgl", "abs",
}
_BOUNDARY = re.compile(r"([.!?…]+)([\"»”’)\]]*)(\s+)(?=[\"«„“(\[]?[A-ZА-ЯЁ0-9])")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
MAX_SEGMENT_CHARS = 400


def split_sentences(text: str) -> list[tuple[str, bool]]:
    """Cut text into pieces: ``(sentence, True)`` to translate, ``(gap, False)`` to keep.

    Lines are never joined; a sentence ends at ``.!?…`` (plus closing quotes) before a
    capital or digit, unless the word before the full stop is an abbreviation or an
    initial. Joining the pieces gives back the text exactly.
    """
    pieces: list[tuple[str, bool]] = []
    for line in re.split(r"(\n+)", text):
        if not line:
            continue
        if line.startswith("\n"):
            pieces.append((line, False))
            continue
        start = 0
        for match in _BOUNDARY.finditer(line):
            if match.group(1) == ".":
                before = _WORD_BEFORE.search(line, 0, match.start())
                word = before.group(1).lower().rstrip(".") if before else ""
                if len(word) == 1 and word.isalpha() or word in _ABBREVIATIONS:
                    continue
            end = match.start(3)
            _add_sentence(pieces, line[start:end])
            pieces.append((match.group(3), False))
            start = match.end(3)
        _add_sentence(pieces, line[start:])
    return pieces


def _add_sentence(pieces: list[tuple[str, bool]], sentence: str) -> None:
    stripped = sentence.strip()
    if not stripped:
        if sentence:
            pieces.append((sentence, False))
        return
    lead = sentence[: len(sentence) - len(sentence.lstrip())]
    trail = sentence[len(sentence.rstrip()):]
    if lead:
        pieces.append((lead, False))
    for chunk in _split_long(stripped):
        pieces.append(chunk)
    if trail:
        pieces.append((trail, False))


def _split_long(sentence: str) -> list[tuple[str, bool]]:
    """Keep each model input short: cut an over-long sentence at ``;``, ``,`` or a space."""
    if len(sentence) <= MAX_SEGMENT_CHARS:
        return [(sentence, True)]
    middle = len(sentence) // 2
    for separator in ("; ", ", ", " "):
        cut = sentence.rfind(separator, 0, middle + MAX_SEGMENT_CHARS // 2)
        if cut > 0:
            cut += len(separator) - 1
            return _split_long(sentence[:cut]) + [(" ", False)] + _split_long(sentence[cut + 1:])
    return [(sentence, True)]


# -- glossary helpers --------------------------------------------------------------------


def glossary_target(glossary, entry, lang: str) -> str:
    try:
        return glossary.target(entry, lang) or ""
    except (KeyError, LookupError, CoitoolError):
        return ""


# German words that tell the case of the noun after them: word -> (case, number or None).
_GERMAN_CASE_WORDS = {
    "dem": ("dat", "sg"), "einem": ("dat", "sg"), "zum": ("dat", "sg"), "im": ("dat", "sg"),
    "vom": ("dat", "sg"), "beim": ("dat", "sg"), "am": ("dat", "sg"), "zur": ("dat", "sg"),
    "des": ("gen", "sg"), "eines": ("gen", "sg"), "einen": ("acc", "sg"),
    "das": ("nom", "sg"), "ein": ("nom", "sg"), "eine": ("nom", "sg"), "die": ("nom", None),
    "mit": ("dat", None), "von": ("dat", None), "bei": ("dat", None), "nach": ("dat", None),
    "aus": ("dat", None), "seit": ("dat", None), "zu": ("dat", None), "gegenüber": ("dat", None),
    "für": ("acc", None), "durch": ("acc", None), "gegen": ("acc", None), "ohne": ("acc", None),
    "um": ("acc", None), "wegen": ("gen", None), "während": ("gen", None), "trotz": ("gen", None),
    "aufgrund": ("gen", None), "infolge": ("gen", None),
}
_DATIVE_PREPOSITIONS = {"mit", "von", "bei", "nach", "aus", "seit", "zu", "gegenüber"}


def russian_number(surface: str, after: str = "") -> str:
    """``"pl"`` when the matched Russian noun is plural (повестками), else ``"sg"``.

    An ambiguous form (повестки: genitive singular or nominative plural) counts as
    plural when a plural verb follows it (повестки пришли).
    """
    words = re.findall(r"[^\W\d_]+", surface)
    if not words or all(sum(c.isupper() for c in w) >= 2 for w in words):
        return "sg"
    try:
        from toolkit.glossary.core import morph_analyzer

        morph = morph_analyzer()
    except (ImportError, CoitoolError):
        return "sg"
    parses = next((p for p in (morph.parse(w) for w in words) if p[0].tag.POS == "NOUN"), morph.parse(words[-1]))
    numbers = {"plur" if "plur" in p.tag else "sing" for p in parses if p.tag.POS == parses[0].tag.POS}
    if numbers == {"plur"} or "plur" in parses[0].tag:
        return "pl"
    if "plur" in numbers:
        following = re.match(r"\s*([^\W\d_]+)", after)
        if following:
            if any(p.tag.POS == "VERB" and "plur" in p.tag for p in morph.parse(following.group(1))):
                return "pl"
    return "sg"


def german_case(before: str, number: str) -> str | None:
    """The case the German words just before a noun ask for, when they tell it."""
    words = re.findall(r"\w+", before.lower())[-3:]
    for position in range(len(words) - 1, -1, -1):
        word = words[position]
        previous = words[position - 1] if position else ""
        if word == "den":
            return "dat" if number == "pl" else "acc"
        if word == "der":
            if previous in _DATIVE_PREPOSITIONS:
                return "dat"
            return "gen" if number == "pl" else None
        if word in _GERMAN_CASE_WORDS:
            return _GERMAN_CASE_WORDS[word][0]
        if not re.fullmatch(r"\w+(e|en|em|er|es)", word):  # not an inflected adjective: stop looking
            break
    return None


def target_form(glossary, entry, lang: str, before: str = "", surface: str = "", after: str = "") -> str:
    """The glossary target, inflected when the glossary gives forms and the context tells which.

    Forms are keyed ``"<lang>:<case>.<number>"`` (``"de:dat.pl"``). The number comes from
    the Russian term as it stood in the text, the German case from the words before the
    placeholder in the translation; without a clue the base rendering is used.
    """
    base = glossary_target(glossary, entry, lang)
    forms = getattr(entry, "forms", None) or {}
    if not base or not any(key.startswith(f"{lang}:") for key in forms):
        return base
    number = russian_number(surface, after) if surface else "sg"
    candidates = []
    if lang == "de":
        case = german_case(before, number)
        if case:
            candidates.append(f"de:{case}.{number}")
    if number == "pl":
        candidates.append(f"{lang}:nom.pl")
    for key in candidates:
        if forms.get(key):
            return forms[key][0]
    return base


def _capitalise_like(target: str, surface: str, at_start: bool) -> str:
    if at_start and surface[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


def _contains_target(text: str, targets: Iterable[str]) -> tuple[int, int] | None:
    """Where a glossary target (or an inflected form of it) occurs in ``text``."""
    for target in targets:
        if not target:
            continue
        match = re.search(r"(?<!\w)" + re.escape(target) + r"\w{0,3}(?!\w)", text, re.IGNORECASE)
        if match:
            return match.start(), match.start() + len(target)
    return None


def _entry_targets(glossary, entry, lang: str) -> list[str]:
    if hasattr(glossary, "target_forms"):
        return list(glossary.target_forms(entry, lang))
    base = glossary_target(glossary, entry, lang)
    forms = getattr(entry, "forms", None) or {}
    extra = [form for key, values in forms.items() if key == lang or key.startswith(f"{lang}:") for form in values]
    return [t for t in [base, *extra] if t]


# -- the cache ---------------------------------------------------------------------------


class TranslationCache:
    """(sentence, model packages, glossary checksum, target) → result; memory plus SQLite."""

    def __init__(self, path: Path | None = None):
        self.memory: dict[str, dict] = {}
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}

    @staticmethod
    def key(sentence: str, route: tuple, glossary_checksum: str, lang: str) -> str:
        raw = json.dumps([PIPELINE_VERSION, sentence, list(route), glossary_checksum, lang], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.path))
                self._db.execute("CREATE TABLE IF NOT EXISTS translation (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            except (OSError, sqlite3.Error) as error:
                log.debug("translation cache disabled: %s", error)
                self.path = None
                self._db = None
        return self._db

    def get(self, key: str) -> dict | None:
        if key in self.memory:
            return self.memory[key]
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM translation WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        value = json.loads(row[0])
        self.memory[key] = value
        return value

    def put(self, key: str, value: dict) -> None:
        self.memory[key] = value
        if self.path is not None:
            self._pending[key] = json.dumps(value, ensure_ascii=False)

    def flush(self) -> None:
        db = self._connect()
        if db is None or not self._pending:
            self._pending.clear()
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO translation VALUES (?, ?)", list(self._pending.items()))
        except sqlite3.Error as error:
            log.debug("translation cache not written: %s", error)
        self._pending.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None


# -- the engine ----------------------------------------------------------------------------


@dataclass
class _Job:
    """One sentence on its way through the model(s)."""

    sentence: str
    key: str
    matches: list = field(default_factory=list)  # glossary matches, in order
    masked: str = ""
    text: str = ""  # current text (after each hop)
    result: dict | None = None


class TranslationEngine:
    """Translate Russian fragments into English, Dutch or German, offline.

    ``model_loader`` turns an installed package into a :class:`TranslationModel`; tests
    pass a wrapper to simulate a misbehaving model.
    """

    def __init__(
        self,
        glossary=None,
        models_directory: Path | None = None,
        source_lang: str = SOURCE_LANGUAGE,
        disk_cache: bool = True,
        num_hypotheses: int = 4,
        model_loader: Callable[[model_store.ModelPackage], TranslationModel] = load_model,
    ):
        self.glossary = glossary
        self.directory = models_directory or model_store.models_dir()
        self.source_lang = source_lang
        self.num_hypotheses = num_hypotheses
        self.model_loader = model_loader
        self.model_calls = 0  # sentences sent to a model; the cache keeps this down
        cache_path = self.directory / model_store.CACHE_DIR / "translations.sqlite3" if disk_cache else None
        self.cache = TranslationCache(cache_path if self.directory.is_dir() else None)
        self._routes: dict[str, list[model_store.ModelPackage] | None] = {}
        self._entries: dict[str, object] = {}

    # -- facts about the run, for the CLI and the TEI header
    def route(self, lang: str) -> list[model_store.ModelPackage] | None:
        if lang not in self._routes:
            self._routes[lang] = model_store.translation_route(self.source_lang, lang, self.directory, PIVOT_LANGUAGE)
        return self._routes[lang]

    def mode(self, lang: str) -> str:
        return MODEL if self.route(lang) else GLOSSARY_ONLY

    def notice(self, lang: str) -> str | None:
        """What the user must hear when the run is glossary-only."""
        if self.route(lang):
            return None
        missing = model_store.missing_pairs(self.source_lang, lang, self.directory, PIVOT_LANGUAGE)
        return (
            f"no translation model for {self.source_lang}→{lang} in {self.directory}: "
            f"glossary-only mode, only glossary terms are translated; "
            + model_store.install_hint(missing)
        )

    @property
    def glossary_checksum(self) -> str:
        return getattr(self.glossary, "checksum", "") or "no-glossary"

    # -- translation
    def translate_text(self, text: str, lang: str) -> Translation:
        return self.translate([text], lang)[0]

    def translate(self, texts: Sequence[str], lang: str) -> list[Translation]:
        """Translate each text; sentences are batched across all texts and cached."""
        if lang not in TARGET_LANGUAGES:
            raise CoitoolError(f"cannot translate into {lang!r}; choose one of {', '.join(TARGET_LANGUAGES)}")
        route = self.route(lang)
        if not route:
            return [self._glossary_only(text, lang) for text in texts]
        route_key = tuple(f"{pkg.name}@{pkg.version}" for pkg in route)
        checksum = self.glossary_checksum
        plans: list[list[tuple[str, str | None]]] = []
        jobs: dict[str, _Job] = {}
        for text in texts:
            plan = []
            for piece, translatable in split_sentences(text):
                key = None
                if translatable and _needs_model(piece):
                    key = self.cache.key(piece, route_key, checksum, lang)
                    if key not in jobs:
                        jobs[key] = _Job(piece, key, result=self.cache.get(key))
                plan.append((piece, key))
            plans.append(plan)
        cached_keys = {key for key, job in jobs.items() if job.result is not None}
        pending = [job for job in jobs.values() if job.result is None]
        if pending:
            self._run(pending, route, lang)
            for job in pending:
                self.cache.put(job.key, job.result)
            self.cache.flush()
        out = []
        for text, plan in zip(texts, plans):
            out.append(self._assemble(text, plan, jobs, lang, cached_keys))
        return out

    def _assemble(self, text, plan, jobs, lang, cached_keys) -> Translation:
        parts: list[str] = []
        terms: list[ForcedTerm] = []
        unenforced: list[str] = []
        offset = 0
        all_cached = True
        for piece, key in plan:
            if key is not None:
                result = jobs[key].result
                all_cached = all_cached and key in cached_keys
                for start, end, entry_id, target in result["terms"]:
                    terms.append(ForcedTerm(start + offset, end + offset, entry_id, target))
                unenforced.extend(result["unenforced"])
                piece = result["text"]
            parts.append(piece)
            offset += len(piece)
        return Translation(
            source=text, text="".join(parts), lang=lang, mode=MODEL, terms=terms,
            unenforced=unenforced, cached=all_cached and bool(jobs),
        )

    def _run(self, jobs: list[_Job], route: list[model_store.ModelPackage], lang: str) -> None:
        """Translate pending sentences with placeholders; redo the ones that lose them."""
        for job in jobs:
            job.matches = self._matches(job.sentence, lang)
            job.masked = _mask(job.sentence, job.matches)
            job.text = job.masked
        active = jobs
        for package in route:
            model = self.model_loader(package)
            self.model_calls += len(active)
            outputs = model.translate([job.text for job in active], 1)
            survivors = []
            for job, hypotheses in zip(active, outputs):
                job.text = hypotheses[0].text if hypotheses else ""
                if _placeholders_intact(job.text, len(job.matches)):
                    survivors.append(job)
            active = survivors
        for job in active:
            job.result = self._unmask(job, lang)
        failed = [job for job in jobs if job.result is None]
        if failed:
            log.info("%d sentence(s) lost a glossary placeholder; ranking hypotheses instead", len(failed))
            self._rank_fallback(failed, route, lang)

    def _matches(self, sentence: str, lang: str) -> list:
        if self.glossary is None:
            return []
        found = [m for m in self.glossary.match(sentence) if glossary_target(self.glossary, m.entry, lang)]
        for match in found:
            self._entries[str(match.entry.id)] = match.entry
        return found

    def entry(self, entry_id: str):
        """The glossary entry behind a forced term (also for results that came from the cache)."""
        if entry_id not in self._entries and self.glossary is not None:
            for entry in getattr(self.glossary, "entries", ()):
                self._entries.setdefault(str(entry.id), entry)
        return self._entries.get(entry_id)

    def _unmask(self, job: _Job, lang: str) -> dict:
        text = job.text
        parts: list[str] = []
        terms: list[list] = []
        position = 0
        for found in PLACEHOLDER_PATTERN.finditer(text):
            match = job.matches[int(found.group(1)) - 1]
            before = text[position:found.start()]
            parts.append(before)
            so_far = "".join(parts)
            after = job.sentence[match.end:match.end + 40]
            target = target_form(self.glossary, match.entry, lang, so_far[-60:], match.surface, after)
            target = _capitalise_like(target, match.surface, not so_far.strip(" \"«„“(["))
            terms.append([len(so_far), len(so_far) + len(target), str(match.entry.id), target])
            parts.append(target)
            position = found.end()
        parts.append(text[position:])
        return {"text": "".join(parts), "terms": terms, "unenforced": []}

    def _rank_fallback(self, jobs: list[_Job], route: list[model_store.ModelPackage], lang: str) -> None:
        for job in jobs:
            job.text = job.sentence
        for package in route:
            model = self.model_loader(package)
            self.model_calls += len(jobs)
            outputs = model.translate([job.text for job in jobs], self.num_hypotheses)
            for job, hypotheses in zip(jobs, outputs):
                wanted = [_entry_targets(self.glossary, m.entry, package.to_code) for m in job.matches]
                best = max(
                    enumerate(hypotheses),
                    key=lambda item: (sum(_contains_target(item[1].text, t) is not None for t in wanted), -item[0]),
                )
                job.text = best[1].text if hypotheses else ""
        for job in jobs:
            terms, unenforced = [], []
            for match in job.matches:
                where = _contains_target(job.text, _entry_targets(self.glossary, match.entry, lang))
                if where is None:
                    unenforced.append(match.entry.term)
                else:
                    terms.append([where[0], where[1], str(match.entry.id), job.text[where[0]:where[1]]])
            terms.sort()
            job.result = {"text": job.text, "terms": _drop_overlaps(terms), "unenforced": unenforced}

    def _glossary_only(self, text: str, lang: str) -> Translation:
        """Render the glossary's terms in the target language; leave everything else."""
        matches = self._matches(text, lang) if self.glossary is not None else []
        parts: list[str] = []
        terms: list[ForcedTerm] = []
        position = 0
        for match in matches:
            parts.append(text[position:match.start])
            so_far = "".join(parts)
            after = text[match.end:match.end + 40]
            target = target_form(self.glossary, match.entry, lang, so_far[-60:], match.surface, after)
            at_start = not so_far.strip(" \"«„“([") or bool(re.search(r"[.!?]\s+$", so_far))
            target = _capitalise_like(target, match.surface, at_start)
            terms.append(ForcedTerm(len(so_far), len(so_far) + len(target), str(match.entry.id), target))
            parts.append(target)
            position = match.end
        parts.append(text[position:])
        return Translation(source=text, text="".join(parts), lang=lang, mode=GLOSSARY_ONLY, terms=terms)

    def close(self) -> None:
        self.cache.close()


def _needs_model(sentence: str) -> bool:
    """Numbers, punctuation and bare URLs go through unchanged."""
    if re.fullmatch(r"\s*(https?://\S+|www\.\S+)\s*", sentence):
        return False
    return any(ch.isalpha() for ch in sentence)


def _mask(sentence: str, matches: list) -> str:
    parts, position = [], 0
    for number, match in enumerate(matches, 1):
        parts.append(sentence[position:match.start])
        parts.append(PLACEHOLDER.format(number))
        position = match.end
    parts.append(sentence[position:])
    return "".join(parts)


def _placeholders_intact(text: str, count: int) -> bool:
    found = sorted(int(m.group(1)) for m in PLACEHOLDER_PATTERN.finditer(text))
    return found == list(range(1, count + 1))


def _drop_overlaps(terms: list[list]) -> list[list]:
    kept: list[list] = []
    for term in terms:
        if not kept or term[0] >= kept[-1][1]:
            kept.append(term)
    return kept


# -- provenance ---------------------------------------------------------------------------


def engine_versions() -> dict[str, str]:
    """Versions of the translation engine, for the TEI header and ``models list``."""
    from importlib import metadata

    versions = {}
    for label, distributions in (("argostranslate", ("argos-translate-lt", "argostranslate")), ("CTranslate2", ("ctranslate2",))):
        for distribution in distributions:
            try:
                versions[label] = metadata.version(distribution)
                break
            except metadata.PackageNotFoundError:
                continue
    return versions



# -- TEI ------------------------------------------------------------------------------------
#
# Translations sit beside their original (docs/tei.md, "Translations"):
#   <title level="a" xml:lang="ru">…</title><title type="translated" xml:lang="en"
#     resp="#coitool-mt" cert="medium">…<term ref="#gloss-povestka">summons</term>…</title>
#   <seg xml:lang="ru">…</seg><note type="translation" xml:lang="en" resp="#coitool-mt">…</note>
# The header gets titleStmt/respStmt[@xml:id="coitool-mt"] (engine, model packages,
# glossary), encodingDesc/classDecl/taxonomy[@xml:id="coitool-glossary"] with one
# category[@xml:id="gloss-…"] per glossary term used, and one revisionDesc/change per run.

RESP_ID = "coitool-mt"
TAXONOMY_ID = "coitool-glossary"
WHAT_CHOICES = ("titles", "all-ru")
# Elements translated as a whole with --what all-ru (their nested notes are units of their own).
UNIT_TAGS = {"p", "head", "item", "note", "title", "seg", "foreign", "q", "quote", "cell", "label", "l", "s", "phr"}
# Elements a translation note goes inside (as last child) rather than after.
INSIDE_TAGS = {"cell"}
# Content that is not part of a unit's own text.
SKIP_TAGS = {"note", "fw", "figure", "pb", "cb", "milestone", "anchor"}


@dataclass
class TeiTranslationReport:
    out_path: Path
    lang: str
    mode: str
    fragments: int = 0
    translated: int = 0
    replaced: int = 0  # earlier translations into the same language that were replaced
    terms_enforced: int = 0
    unenforced: dict[str, int] = field(default_factory=dict)
    packages: list[str] = field(default_factory=list)
    notice: str | None = None
    input_problems: int = 0


def translate_tei(
    in_path,
    out_path,
    to: str,
    what: str = "titles",
    glossaries: Sequence[str | os.PathLike] | None = None,
    *,
    glossary=None,
    engine: TranslationEngine | None = None,
    validate: bool = True,
    schema: bool = False,
    include_default_glossary: bool = True,
    disk_cache: bool = True,
) -> TeiTranslationReport:
    """Add translations into ``to`` beside the Russian fragments of a TEI file.

    ``what="titles"`` translates Russian ``<title>``s (the titles of cited sources);
    ``"all-ru"`` also every other element whose effective ``xml:lang`` is ``ru``.
    Earlier translations into the same language are replaced, never duplicated. The
    output must pass coitool's own checks, and with ``schema`` tei_all too (new problems
    raise ``ValidationError``, nothing is written); it is written atomically.
    """
    from toolkit.tei import write as tei
    from toolkit.errors import InputError, ValidationError

    if what not in WHAT_CHOICES:
        raise CoitoolError(f"--what must be one of {', '.join(WHAT_CHOICES)}, not {what!r}")
    if to not in TARGET_LANGUAGES:
        raise CoitoolError(f"cannot translate into {to!r}; choose one of {', '.join(TARGET_LANGUAGES)}")
    in_path, out_path = Path(in_path), Path(out_path)
    if not in_path.is_file():
        raise InputError(f"{in_path}: no such file")
    tree = tei.parse_tei(in_path)
    root = tree.getroot()
    if root.tag != tei.T + "TEI":
        raise InputError(f"{in_path}: not a TEI document (root element {etree_localname(root)})")
    before = _problem_set(tei.validate_tei(tree, full=schema)) if validate else set()

    if engine is None:
        if glossary is None:
            glossary = load_glossary(glossaries, include_default_glossary)
        engine = TranslationEngine(glossary, disk_cache=disk_cache)
    glossary = engine.glossary
    report = TeiTranslationReport(out_path=out_path, lang=to, mode=engine.mode(to), notice=engine.notice(to))
    route = engine.route(to) or []
    report.packages = [pkg.label for pkg in route]

    report.replaced = _remove_translations(root, to)
    units = _select_units(root, what)
    texts = [_unit_text(unit) for unit in units]
    todo = [(unit, text) for unit, text in zip(units, texts) if text]
    report.fragments = len(todo)
    results = engine.translate([text for _, text in todo], to) if todo else []
    used_entries: dict[str, object] = {}
    for (unit, _), result in zip(todo, results):
        for name in result.unenforced:
            report.unenforced[name] = report.unenforced.get(name, 0) + 1
        if result.mode == GLOSSARY_ONLY and not result.terms:
            continue  # nothing translated: leave the fragment alone
        _insert_translation(unit, result, to)
        report.translated += 1
        report.terms_enforced += len(result.terms)
        for term in result.terms:
            used_entries.setdefault(term.entry_id, engine.entry(term.entry_id))
    engine.close()

    _update_header(root, engine, report, what)
    _update_taxonomy(root, glossary, used_entries)
    if validate:
        after = tei.validate_tei(tree, full=schema)
        new = [problem for problem in after if _problem_key(problem) not in before]
        if new:
            raise ValidationError(f"translated TEI would not be valid, not written: {new[0]}")
        report.input_problems = len(before)
    tei.write_atomic(tei.serialize(tree), out_path)
    return report


def load_glossary(paths: Sequence[str | os.PathLike] | None = None, include_default: bool = True):
    """The default asylum glossary plus the user's files (later files win)."""
    from toolkit.glossary.core import Glossary

    paths = [Path(p) for p in paths or []]
    if not paths and include_default:
        return Glossary.default()
    return Glossary.load(paths=paths, include_default=include_default)


def etree_localname(node) -> str:
    tag = node.tag if isinstance(node.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _problem_key(problem: str) -> str:
    return re.sub(r"line \d+: ", "", problem)


def _problem_set(problems: list[str]) -> set[str]:
    return {_problem_key(p) for p in problems}


def _effective_lang(node) -> str | None:
    from toolkit.tei.write import XML_LANG

    while node is not None:
        lang = node.get(XML_LANG)
        if lang:
            return lang.split("-")[0].lower()
        node = node.getparent()
    return None


def _is_translation(node) -> bool:
    name = etree_localname(node)
    return node.get("resp") == f"#{RESP_ID}" and (
        (name == "title" and node.get("type") == "translated") or (name == "note" and node.get("type") == "translation")
    )


def _remove_translations(root, lang: str) -> int:
    """Drop coitool's earlier translations into ``lang`` (keeping the text around them)."""
    from toolkit.tei.write import XML_LANG

    removed = 0
    for node in list(root.iter()):
        if not isinstance(node.tag, str) or not _is_translation(node) or node.get(XML_LANG) != lang:
            continue
        _remove_keep_tail(node)
        removed += 1
    return removed


def _remove_keep_tail(node) -> None:
    parent = node.getparent()
    tail = node.tail or ""
    previous = node.getprevious()
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def _select_units(root, what: str) -> list:
    from toolkit.tei.write import T

    text = root.find(T + "text")
    if text is None:
        return []
    tags = {"title"} if what == "titles" else UNIT_TAGS
    candidates = [
        node for node in text.iter()
        if isinstance(node.tag, str) and node.tag.startswith(T)
        and etree_localname(node) in tags and not _is_translation(node)
        and _effective_lang(node) == SOURCE_LANGUAGE
    ]
    chosen = set(candidates)
    units = []
    for node in candidates:
        dominated = False
        ancestor = node.getparent()
        while ancestor is not None and ancestor is not text:
            if ancestor in chosen:
                dominated = True
                break
            if etree_localname(ancestor) == "note":
                break
            ancestor = ancestor.getparent()
        if not dominated:
            units.append(node)
    return units


def _unit_text(node) -> str:
    parts: list[str] = []

    def walk(element) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                name = etree_localname(child)
                if name in ("lb", "cb"):
                    parts.append(" ")
                elif name not in SKIP_TAGS and not _is_translation(child):
                    walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(node)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _insert_translation(unit, result: Translation, lang: str) -> None:
    from lxml import etree

    from toolkit.tei.write import T, XML_LANG, xml_text

    is_title = etree_localname(unit) == "title"
    translation = etree.Element(T + ("title" if is_title else "note"))
    if is_title:
        translation.set("type", "translated")
    else:
        translation.set("type", "translation")
    translation.set(XML_LANG, lang)
    translation.set("resp", f"#{RESP_ID}")
    translation.set("cert", "low" if result.mode == GLOSSARY_ONLY else "medium")
    text, position, last = result.text, 0, None
    for term in result.terms:
        chunk = xml_text(text[position:term.start])
        if last is None:
            translation.text = (translation.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        last = etree.SubElement(translation, T + "term", ref=f"#{gloss_xml_id(term.entry_id)}")
        last.text = xml_text(text[term.start:term.end])
        position = term.end
    rest = xml_text(text[position:])
    if last is None:
        translation.text = (translation.text or "") + rest
    else:
        last.tail = (last.tail or "") + rest

    if not is_title and etree_localname(unit) in INSIDE_TAGS:
        unit.append(translation)
        return
    # After the original and after translations into other languages already there.
    anchor = unit
    following = unit.getnext()
    while following is not None and isinstance(following.tag, str) and _is_translation(following) and not (anchor.tail or "").strip():
        anchor, following = following, following.getnext()
    translation.tail = anchor.tail
    anchor.tail = None
    anchor.addnext(translation)
    # lxml's addnext moves the anchor's tail onto the new node only when asked; make sure.
    if translation.tail is None and anchor.tail:
        translation.tail, anchor.tail = anchor.tail, None


def gloss_xml_id(entry_id: str) -> str:
    """``gloss-<id>``, made a valid NCName."""
    cleaned = re.sub(r"[^\w.-]", "-", str(entry_id)).strip("-") or "term"
    return f"gloss-{cleaned}"


def _child(parent, name: str, *, before: Sequence[str] = (), create: bool = True):
    """The first ``name`` child of ``parent``, created before the first of ``before``."""
    from lxml import etree

    from toolkit.tei.write import T

    found = parent.find(T + name)
    if found is not None or not create:
        return found
    node = etree.Element(T + name)
    for sibling_name in before:
        sibling = parent.find(T + sibling_name)
        if sibling is not None:
            sibling.addprevious(node)
            return node
    parent.append(node)
    return node


def _update_header(root, engine: TranslationEngine, report: TeiTranslationReport, what: str) -> None:
    import datetime as dt

    from lxml import etree

    from toolkit import __version__
    from toolkit.tei.write import T, XML_ID

    header = _child(root, "teiHeader")
    file_desc = _child(header, "fileDesc")
    title_stmt = _child(file_desc, "titleStmt")
    if title_stmt.find(T + "title") is None:
        etree.SubElement(title_stmt, T + "title").text = "Untitled"
    resp_stmt = next((n for n in title_stmt.findall(T + "respStmt") if n.get(XML_ID) == RESP_ID), None)
    old_names: list[tuple[str, str]] = []
    if resp_stmt is None:
        resp_stmt = etree.SubElement(title_stmt, T + "respStmt")
        resp_stmt.set(XML_ID, RESP_ID)
    else:
        old_names = [(n.get("type") or "", n.text or "") for n in resp_stmt.findall(T + "name")]
        for child in list(resp_stmt):
            resp_stmt.remove(child)
    etree.SubElement(resp_stmt, T + "resp").text = (
        f"Machine translation of Russian fragments by coitool {__version__} "
        "(glossary terms marked with term/@ref)"
    )
    versions = engine_versions()
    models_used = report.packages or [f"{GLOSSARY_ONLY} (no model installed for ru-{report.lang})"]
    names = [("engine", "; ".join(f"{k} {v}" for k, v in versions.items()) or "argostranslate")]
    names += [(kind, text) for kind, text in old_names if kind == "model"]
    names += [("model", label) for label in models_used]
    names += [(kind, text) for kind, text in old_names if kind == "glossary"]
    names.append(("glossary", glossary_label(engine.glossary)))
    seen = set()
    for kind, text in names:
        if (kind, text) in seen:
            continue
        seen.add((kind, text))
        node = etree.SubElement(resp_stmt, T + "name", type=kind)
        node.text = text

    revision = _child(header, "revisionDesc")
    container = revision.find(T + "listChange")
    if container is None:
        container = revision
    change = etree.SubElement(container, T + "change", when=dt.datetime.now(dt.timezone.utc).date().isoformat(), who=f"#{RESP_ID}")
    via = ", ".join(report.packages) if report.packages else f"{GLOSSARY_ONLY} mode (no model installed)"
    unenforced = sum(report.unenforced.values())
    change.text = (
        f"Translated {report.translated} of {report.fragments} Russian fragments ({what}) into {report.lang} "
        f"with {via}; glossary {glossary_label(engine.glossary)}; {report.terms_enforced} glossary terms marked"
        + (f", {unenforced} not enforced" if unenforced else "")
        + (f"; replaced {report.replaced} earlier translations" if report.replaced else "")
        + "."
    )


def glossary_label(glossary) -> str:
    if glossary is None:
        return "none"
    return f"{getattr(glossary, 'name', 'glossary')} {getattr(glossary, 'version', '')} ({getattr(glossary, 'checksum', '')})".replace("  ", " ")


def _update_taxonomy(root, glossary, used_entries: dict[str, object]) -> None:
    """Keep one category per glossary term referenced from the text; drop unreferenced ones."""
    from lxml import etree

    from toolkit.tei.write import T, XML_ID, XML_LANG

    referenced = {
        node.get("ref")[1:] for node in root.iter(T + "term")
        if (node.get("ref") or "").startswith("#gloss-")
    }
    header = _child(root, "teiHeader")
    encoding = header.find(T + "encodingDesc")
    taxonomy = None
    if encoding is not None:
        taxonomy = next((n for n in encoding.iter(T + "taxonomy") if n.get(XML_ID) == TAXONOMY_ID), None)
    if taxonomy is None and not referenced:
        return
    if encoding is None:
        encoding = _child(header, "encodingDesc", before=("profileDesc", "xenoData", "revisionDesc"))
    if taxonomy is None:
        class_decl = _child(encoding, "classDecl")
        taxonomy = etree.SubElement(class_decl, T + "taxonomy")
        taxonomy.set(XML_ID, TAXONOMY_ID)
    bibl = taxonomy.find(T + "bibl")
    if bibl is None:
        bibl = etree.Element(T + "bibl")
        taxonomy.insert(0, bibl)
    if glossary is not None and used_entries:
        for child in list(bibl):
            bibl.remove(child)
        bibl.text = None
        etree.SubElement(bibl, T + "title").text = str(getattr(glossary, "name", "glossary"))
        etree.SubElement(bibl, T + "edition").text = str(getattr(glossary, "version", ""))
        etree.SubElement(bibl, T + "idno", type="checksum").text = str(getattr(glossary, "checksum", ""))
    elif not len(bibl) and not bibl.text:
        bibl.text = "coitool glossary"
    existing = {n.get(XML_ID): n for n in taxonomy.findall(T + "category")}
    for xml_id, node in existing.items():
        if xml_id not in referenced:
            taxonomy.remove(node)
    for entry_id, entry in sorted(used_entries.items()):
        xml_id = gloss_xml_id(entry_id)
        if entry is None or xml_id in existing and xml_id in referenced:
            continue
        category = etree.SubElement(taxonomy, T + "category")
        category.set(XML_ID, xml_id)
        description = etree.SubElement(category, T + "catDesc")
        last = etree.SubElement(description, T + "term")
        last.set(XML_LANG, SOURCE_LANGUAGE)
        last.text = str(getattr(entry, "term", entry_id))
        separator = " — "
        for lang in TARGET_LANGUAGES:
            target = glossary_target(glossary, entry, lang)
            if target:
                last.tail = separator
                last = etree.SubElement(description, T + "gloss")
                last.set(XML_LANG, lang)
                last.text = target
                separator = " · "
    if taxonomy.find(T + "category") is None:
        class_decl = taxonomy.getparent()
        class_decl.remove(taxonomy)
        if not len(class_decl):
            encoding.remove(class_decl)
        if not len(encoding):
            header.remove(encoding)
