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
from toolkit.text import PIVOT_LANGUAGE, SOURCE_LANGUAGE, TARGET_LANGUAGES, looks_like_url, sentence_ends

log = logging.getLogger(__name__)

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
        for match in sentence_ends(line):
            _add_sentence(pieces, line[start : match.start("space")])
            pieces.append((match.group("space"), False))
            start = match.end("space")
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
        from toolkit.glossary import morph_analyzer

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
    if looks_like_url(sentence):
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
