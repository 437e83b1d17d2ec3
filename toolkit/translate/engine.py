"""Offline machine translation of Russian fragments, with the glossary enforced.

The engine cuts each fragment into sentences (:mod:`.segment`), asks a backend
(:mod:`.backends`) for their translations through the translation cache, and puts the
sentences back together. What this module adds is the glossary:

- **Placeholders.** Glossary terms are replaced by placeholders the model copies
  through (``ZXQ1``…), every pending sentence goes to the backend in one batch, and the
  glossary's targets — inflected to fit (:mod:`.inflect`) — go back where the
  placeholders came out. Through a pivot, a sentence that loses a placeholder on the
  first hop goes no further.
- **Ranking.** A sentence that lost or duplicated a placeholder is translated again
  without placeholders, n-best at each hop, and the hypothesis holding the most
  glossary targets wins; the terms still missing are reported as not enforced.

Without an installed model the backend is the identity: glossary-only mode renders the
terms the glossary covers and leaves the rest of the text as it is.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Mapping, Sequence

from toolkit.errors import CoitoolError
from toolkit.text import PIVOT_LANGUAGE, SOURCE_LANGUAGE, TARGET_LANGUAGES
from toolkit.translate import packages as model_store
from toolkit.translate.backends import (
    Backend,
    CachedBackend,
    IdentityBackend,
    ModelLoader,
    PackageBackend,
    TranslationModel,
    WrappingBackend,
    route_backend,
)
from toolkit.translate.cache import TranslationCache
from toolkit.translate.inflect import target_form
from toolkit.translate.placeholders import DEFAULT_PLACEHOLDER, Masked, PlaceholderForm, Slot
from toolkit.translate.results import GLOSSARY_ONLY, MODEL, ForcedTerm, Hypothesis, Translation
from toolkit.translate.segment import needs_model, split_sentences

if TYPE_CHECKING:
    from toolkit.glossary import Glossary, GlossaryEntry, TermMatch

__all__ = [
    "GLOSSARY_ONLY", "MODEL", "PLACEHOLDER", "PLACEHOLDER_PATTERN", "GlossaryBackend", "Masked",
    "PlaceholderForm", "Translation", "TranslationEngine", "engine_versions", "mask", "placeholder_slots",
]

log = logging.getLogger(__name__)

# The default placeholder form and its recognition (toolkit.translate.placeholders), under
# the names this module has always offered.
PLACEHOLDER = DEFAULT_PLACEHOLDER.template
PLACEHOLDER_PATTERN = DEFAULT_PLACEHOLDER.pattern

# Context a glossary target is inflected and capitalised by: the translation before the
# placeholder (the German article and adjectives: a few words) and the Russian source
# after the term (the verb that tells an ambiguous number).
_BEFORE_CHARS = 60
_AFTER_CHARS = 40
_OPENERS = " \"«„“(["  # what may stand before the first word of a sentence (quotes, brackets)
_SENTENCE_END_BEFORE = re.compile(r"[.!?]\s+$")
# A rendering counts as present with a short inflectional ending (summons -> summonses).
_MAX_ENDING = 3


# -- placeholders ----------------------------------------------------------------------


def mask(sentence: str, matches: Sequence["TermMatch"], form: PlaceholderForm = DEFAULT_PLACEHOLDER) -> Masked:
    """``sentence`` with the n-th match replaced by the n-th placeholder (``ZXQ<n>``)."""
    return form.mask(sentence, matches)


def placeholder_slots(masked: Masked, output: str, form: PlaceholderForm = DEFAULT_PLACEHOLDER) -> tuple[Slot, ...] | None:
    """Where each placeholder came out in ``output``, damaged or not; None when one is lost or duplicated."""
    return form.slots(masked, output)


def _capitalise_like(target: str, surface: str, at_start: bool) -> str:
    if at_start and surface[:1].isupper() and target[:1].islower():
        return target[:1].upper() + target[1:]
    return target


# -- ranking ----------------------------------------------------------------------------


def _contains_target(text: str, targets: Iterable[str]) -> tuple[int, int] | None:
    """Where a glossary target (or an inflected form of it) occurs in ``text``."""
    for target in targets:
        if not target:
            continue
        match = re.search(r"(?<!\w)" + re.escape(target) + rf"\w{{0,{_MAX_ENDING}}}(?!\w)", text, re.IGNORECASE)
        if match:
            return match.start(), match.start() + len(target)
    return None


def _drop_overlaps(terms: list[ForcedTerm]) -> list[ForcedTerm]:
    kept: list[ForcedTerm] = []
    for term in sorted(terms, key=lambda t: (t.start, t.end, t.entry_id, t.target)):
        if not kept or term.start >= kept[-1].end:
            kept.append(term)
    return kept


@dataclass
class _Sentence:
    """One sentence on its way through the backend."""

    source: str
    matches: list["TermMatch"]
    masked: Masked


class GlossaryBackend(WrappingBackend):
    """Sentences to one hypothesis each, with the glossary's terms forced into it.

    ``inner`` translates; placeholders carry the terms through it, and a sentence that
    loses one is ranked among ``num_hypotheses`` hypotheses instead (see the module
    docstring). It gives one hypothesis per text whatever ``num_hypotheses`` a caller
    asks for, with ``terms`` and ``unenforced`` filled in. ``running_text`` says the texts
    are whole fragments rather than sentences (glossary-only mode), so a term right
    after a full stop starts a sentence too.
    """

    def __init__(
        self, inner: Backend, glossary: "Glossary | None", num_hypotheses: int = 4, running_text: bool = False,
        placeholder: "PlaceholderForm | str" = DEFAULT_PLACEHOLDER,
    ):
        super().__init__(inner)
        self.glossary = glossary
        self.num_hypotheses = num_hypotheses
        self.running_text = running_text
        self.placeholder = PlaceholderForm.parse(placeholder)

    @property
    def identity(self) -> tuple[str, ...]:
        """The inner backend's, the glossary's checksum and the placeholder: another of either is another backend."""
        return self.inner.identity + (
            f"glossary {self.glossary.checksum if self.glossary else 'none'}",
            f"placeholder {self.placeholder.letters}",
        )

    def matches(self, sentence: str) -> list["TermMatch"]:
        """The glossary terms in ``sentence`` that have a rendering in the target language."""
        if self.glossary is None:
            return []
        return [m for m in self.glossary.match(sentence) if self.glossary.target(m.entry, self.target)]

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        sentences = []
        for text in texts:
            matches = self.matches(text)
            sentences.append(_Sentence(text, matches, self.placeholder.mask(text, matches)))

        def keep_placeholders(hop: Backend, position: int, hypotheses: Sequence[Hypothesis]) -> str | None:
            output = hypotheses[0].text if hypotheses else ""
            return output if self.placeholder.slots(sentences[position].masked, output) is not None else None

        outputs = self.inner.translate_relayed([s.masked.text for s in sentences], 1, keep_placeholders)
        results: list[Hypothesis | None] = []
        for sentence, hypotheses in zip(sentences, outputs):
            output = hypotheses[0] if hypotheses else Hypothesis("", 0.0)
            slots = self.placeholder.slots(sentence.masked, output.text)
            results.append(None if slots is None else self._unmask(sentence, output, slots))
        failed = [i for i, result in enumerate(results) if result is None]
        if failed:
            log.info("%d sentence(s) lost a glossary placeholder; ranking hypotheses instead", len(failed))
            for i, ranked in zip(failed, self._rank([sentences[i] for i in failed])):
                results[i] = ranked
        return [[result] for result in results]

    def _unmask(self, sentence: _Sentence, output: Hypothesis, slots: Sequence[Slot]) -> Hypothesis:
        text = output.text
        parts: list[str] = []
        terms: list[ForcedTerm] = []
        position = 0
        for start, end, index in slots:
            match = sentence.matches[index]
            parts.append(text[position:start])
            so_far = "".join(parts)
            after = sentence.source[match.end:match.end + _AFTER_CHARS]
            target = target_form(self.glossary, match.entry, self.target, so_far[-_BEFORE_CHARS:], match.surface, after)
            at_start = not so_far.strip(_OPENERS) or (self.running_text and bool(_SENTENCE_END_BEFORE.search(so_far)))
            target = _capitalise_like(target, match.surface, at_start)
            terms.append(ForcedTerm(len(so_far), len(so_far) + len(target), str(match.entry.id), target))
            parts.append(target)
            position = end
        parts.append(text[position:])
        return Hypothesis("".join(parts), output.score, tuple(terms))

    def _targets(self, entry: "GlossaryEntry", lang: str) -> tuple[str, ...]:
        return self.glossary.target_forms(entry, lang) if self.glossary is not None else ()

    def _best(self, sentence: _Sentence, lang: str, hypotheses: Sequence[Hypothesis]) -> Hypothesis:
        """The hypothesis holding the most glossary targets in ``lang``; the model's order breaks ties."""
        wanted = [self._targets(m.entry, lang) for m in sentence.matches]
        return max(
            enumerate(hypotheses),
            key=lambda item: (sum(_contains_target(item[1].text, t) is not None for t in wanted), -item[0]),
        )[1]

    def _rank(self, sentences: list[_Sentence]) -> list[Hypothesis]:
        def best_at_hop(hop: Backend, position: int, hypotheses: Sequence[Hypothesis]) -> str:
            return self._best(sentences[position], hop.target, hypotheses).text if hypotheses else ""

        outputs = self.inner.translate_relayed([s.source for s in sentences], self.num_hypotheses, best_at_hop)
        ranked = []
        for sentence, hypotheses in zip(sentences, outputs):
            best = self._best(sentence, self.target, hypotheses) if hypotheses else Hypothesis("", 0.0)
            terms, unenforced = [], []
            for match in sentence.matches:
                where = _contains_target(best.text, self._targets(match.entry, self.target))
                if where is None:
                    unenforced.append(match.entry.term)
                else:
                    terms.append(ForcedTerm(where[0], where[1], str(match.entry.id), best.text[where[0]:where[1]]))
            ranked.append(Hypothesis(best.text, best.score, tuple(_drop_overlaps(terms)), tuple(unenforced), ranked=True))
        return ranked


# -- the engine ----------------------------------------------------------------------------


class TranslationEngine:
    """Translate Russian fragments into English, Dutch or German, offline.

    The backend for each target language is ``backends[lang]`` when given (a language
    missing there is glossary-only), else built from the packages installed in
    ``models_directory``: one package, or a pivot through English. ``model_loader``
    turns an installed package into a loaded model (tests pass one that misbehaves);
    by default CTranslate2 runs on ``device`` (auto: a GPU when it sees one, cpu, cuda)
    with ``threads`` CPU threads.
    """

    def __init__(
        self,
        glossary: "Glossary | None" = None,
        models_directory: Path | None = None,
        source_lang: str = SOURCE_LANGUAGE,
        disk_cache: bool = True,
        num_hypotheses: int = 4,
        model_loader: Callable[[model_store.ModelPackage], TranslationModel] | None = None,
        backends: Mapping[str, Backend] | None = None,
        device: str = "auto",
        threads: int | None = None,
        placeholder: "PlaceholderForm | str" = DEFAULT_PLACEHOLDER,
    ):
        self.glossary = glossary
        self.placeholder = PlaceholderForm.parse(placeholder)
        self.directory = models_directory or model_store.models_dir()
        # Packages are read from the install folder and, unless one was given, Argos's own folder.
        self.package_dirs = [models_directory] if models_directory else model_store.package_dirs(self.directory)
        self.source_lang = source_lang
        self.num_hypotheses = num_hypotheses
        self.model_loader = model_loader if model_loader is not None else ModelLoader(device, threads)
        self._given = dict(backends) if backends is not None else None
        self._cache_path = self.directory / model_store.CACHE_DIR / "translations.sqlite3" if disk_cache else None
        # On disk once a model translates (see _forced_backend); in memory until then, so a
        # glossary-only run writes nothing.
        self.cache = TranslationCache(self._cache_path if self.directory.is_dir() else None)
        self._routes: dict[str, list[model_store.ModelPackage] | None] = {}
        self._backends: dict[str, Backend] = {}
        self._package_backends: dict[str, PackageBackend] = {}
        self._forced: dict[str, GlossaryBackend | CachedBackend] = {}

    # -- backends and facts about the run, for the CLI and the TEI header
    def backend(self, lang: str) -> Backend:
        """What translates ``source_lang`` into ``lang``: a model, a pivot, or the identity."""
        if lang not in self._backends:
            if self._given is not None:
                backend = self._given.get(lang)
            else:
                route = self.route(lang)
                backend = route_backend(route, self.model_loader, self._package_backends) if route else None
            self._backends[lang] = backend or IdentityBackend(self.source_lang, lang)
        return self._backends[lang]

    def route(self, lang: str) -> list[model_store.ModelPackage] | None:
        """The model packages that translate into ``lang``, in order; None without a model."""
        if self._given is not None:
            return list(self.backend(lang).packages) or None
        if lang not in self._routes:
            self._routes[lang] = model_store.translation_route(self.source_lang, lang, self.package_dirs, PIVOT_LANGUAGE)
        return self._routes[lang]

    @property
    def device(self) -> str:
        """Where the models run, for the record of a run (``cpu, 2 threads``); "" for other loaders."""
        return self.model_loader.describe() if isinstance(self.model_loader, ModelLoader) else ""

    def mode(self, lang: str) -> str:
        return GLOSSARY_ONLY if isinstance(self.backend(lang), IdentityBackend) else MODEL

    def notice(self, lang: str) -> str | None:
        """What the user must hear when the run is glossary-only."""
        if self.mode(lang) == MODEL:
            return None
        folders = self.package_dirs
        missing = model_store.missing_pairs(self.source_lang, lang, folders, PIVOT_LANGUAGE)
        return (
            f"no translation model for {self.source_lang}→{lang}: glossary-only mode, only the glossary's terms "
            f"are rendered into {lang} and the rest stays Russian. "
            f"{model_store.target_needs(self.source_lang, lang, PIVOT_LANGUAGE)}.\n"
            + model_store.install_hint(missing, folders)
        )

    @property
    def glossary_checksum(self) -> str:
        return self.glossary.checksum if self.glossary is not None else "no-glossary"

    @property
    def model_calls(self) -> int:
        """Sentences sent to a model so far; the cache keeps this down."""
        if self._given is not None:
            return sum(backend.model_calls for backend in {id(b): b for b in self._given.values()}.values())
        return sum(backend.model_calls for backend in self._package_backends.values())

    def entry(self, entry_id: str) -> "GlossaryEntry | None":
        """The glossary entry behind a forced term (also for results that came from the cache)."""
        return self.glossary.get(entry_id) if self.glossary is not None else None

    # -- translation
    def translate_text(self, text: str, lang: str) -> Translation:
        return self.translate([text], lang)[0]

    def translate(self, texts: Sequence[str], lang: str) -> list[Translation]:
        """Translate each text; sentences are batched across all texts and cached."""
        if lang not in TARGET_LANGUAGES:
            raise CoitoolError(f"cannot translate into {lang!r}; choose one of {', '.join(TARGET_LANGUAGES)}")
        if self.mode(lang) == GLOSSARY_ONLY:
            return self._glossary_only(texts, lang)
        plans = [
            [(piece, translate and needs_model(piece)) for piece, translate in split_sentences(text)]
            for text in texts
        ]
        sentences = list(dict.fromkeys(piece for plan in plans for piece, send in plan if send))
        forced = self._forced_backend(lang)
        marked = dict(zip(sentences, forced.translate_marked(sentences, 1))) if sentences else {}
        return [self._assemble(text, plan, marked, lang) for text, plan in zip(texts, plans)]

    def _forced_backend(self, lang: str) -> CachedBackend:
        if lang not in self._forced:
            glossary_backend = GlossaryBackend(self.backend(lang), self.glossary, self.num_hypotheses, placeholder=self.placeholder)
            if self.cache.path is None and self._cache_path is not None and self._given is None:
                # the models may all be in Argos's folder: the cache goes into coitool's own
                self.cache.path = self._cache_path
            self._forced[lang] = CachedBackend(glossary_backend, self.cache)
        return self._forced[lang]

    def _assemble(self, text: str, plan, marked: dict[str, tuple[list[Hypothesis], bool]], lang: str) -> Translation:
        parts: list[str] = []
        terms: list[ForcedTerm] = []
        unenforced: list[str] = []
        offset = sentences = ranked = 0
        all_cached = True
        for piece, sent in plan:
            if sent:
                (result, *_), cached = marked[piece]
                all_cached = all_cached and cached
                sentences += 1
                ranked += result.ranked
                terms.extend(term.shifted(offset) for term in result.terms)
                unenforced.extend(result.unenforced)
                piece = result.text
            parts.append(piece)
            offset += len(piece)
        return Translation(
            source=text, text="".join(parts), lang=lang, mode=MODEL, terms=terms,
            unenforced=unenforced, cached=all_cached and bool(marked), sentences=sentences, ranked=ranked,
        )

    def _glossary_only(self, texts: Sequence[str], lang: str) -> list[Translation]:
        """Render the glossary's terms in the target language; leave everything else."""
        if lang not in self._forced:
            self._forced[lang] = GlossaryBackend(self.backend(lang), self.glossary, self.num_hypotheses, running_text=True)
        results = self._forced[lang].translate(list(texts), 1)
        return [
            Translation(source=text, text=result.text, lang=lang, mode=GLOSSARY_ONLY, terms=list(result.terms))
            for text, (result,) in zip(texts, results)
        ]

    def close(self) -> None:
        self.cache.close()


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
