"""Translation backends: texts in one language to n-best hypotheses in another.

The pattern is argos-translate's ``ITranslation``: one small interface and
implementations that compose.

- :class:`PackageBackend`: one installed Argos package, its CTranslate2 model and
  SentencePiece tokenizer (:class:`PackageModel`, loaded once per process).
- :class:`IdentityBackend`: gives every text back unchanged; with the glossary on top
  (:class:`toolkit.translate.engine.GlossaryBackend`) that is glossary-only mode.
- :class:`PivotBackend`: two backends in a row, ru→en→nl or ru→en→de.
- :class:`CachedBackend`: remembers another backend's hypotheses
  (:mod:`toolkit.translate.cache`), keyed by the text and the backend's identity.

:func:`route_backend` builds the backend for a route of installed packages. Nothing
here imports ctranslate2 or sentencepiece until a model is loaded.
"""

from __future__ import annotations

import json
import os
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

from toolkit.errors import ModelError
from toolkit.translate.cache import SegmentSource, TranslationCache
from toolkit.translate.packages import ModelPackage
from toolkit.translate.results import Hypothesis

# Between the hops of a pivot: given the backend that just translated, the position of a
# text in the batch and that text's hypotheses, the text passed on to the next hop, or
# None to stop that text there (it then comes out with no hypotheses).
Relay = Callable[["Backend", int, Sequence[Hypothesis]], "str | None"]


def best_hypothesis(hop: "Backend", position: int, hypotheses: Sequence[Hypothesis]) -> str:
    """The default relay: the best hypothesis goes on."""
    return hypotheses[0].text if hypotheses else ""


class Backend(ABC):
    """Texts in ``source`` to n-best hypotheses in ``target``, best first."""

    source: str
    target: str

    @property
    @abstractmethod
    def identity(self) -> tuple[str, ...]:
        """What this backend's output depends on (``name@version`` of each model): the cache keys on it."""

    @property
    def packages(self) -> tuple[ModelPackage, ...]:
        """The model packages the backend translates with, in order (for the record of a run)."""
        return ()

    @property
    def model_calls(self) -> int:
        """Texts sent to a model so far."""
        return 0

    @abstractmethod
    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        """For each text, up to ``num_hypotheses`` hypotheses, best first."""

    def translate_relayed(self, texts: Sequence[str], num_hypotheses: int, relay: Relay) -> list[list[Hypothesis]]:
        """Like :meth:`translate`, letting ``relay`` choose what passes between hops (one hop here)."""
        return self.translate(texts, num_hypotheses)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.source}→{self.target}, {'+'.join(self.identity) or '-'})"


# -- one installed package -----------------------------------------------------------------


class TranslationModel(Protocol):
    """A loaded model of one package: what :class:`PackageBackend` calls."""

    package: ModelPackage

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]: ...


DEVICES = ("auto", "cpu", "cuda")

# Batch sizes, by device. On a CPU, CTranslate2 translates a batch sentence by sentence in
# its threads, and batches beyond argos-translate's default (32 sentences) gain nothing
# but memory. On a GPU a batch is one padded tensor: batching by tokens keeps its memory
# bounded whatever the sentence lengths. The budget is set for a Transformer-base model
# of Argos's usual size and shrinks for larger models (their weights and activations take
# more of the GPU's memory), within bounds that keep the GPU busy yet within 8 GB.
CPU_BATCH_SENTENCES = 32
GPU_BATCH_TOKENS = 4096
GPU_REFERENCE_MODEL_BYTES = 100 * 1024**2
GPU_BATCH_TOKENS_MIN, GPU_BATCH_TOKENS_MAX = 512, 8192


def default_threads() -> int:
    """CPU threads per model: ``COITOOL_MT_THREADS``, else 0 (CTranslate2 chooses)."""
    value = os.environ.get("COITOOL_MT_THREADS", "")
    return int(value) if value.isdigit() else 0


def cuda_device_count() -> int:
    """The CUDA devices CTranslate2 can use here (0 when it was built without CUDA or sees none)."""
    import ctranslate2

    try:
        return int(ctranslate2.get_cuda_device_count())
    except (RuntimeError, OSError):
        return 0


def resolve_device(requested: str = "auto") -> str:
    """``cpu`` or ``cuda``: what ``requested`` (auto, cpu, cuda) means on this machine.

    ``auto`` takes the GPU when CTranslate2 sees one; ``cuda`` without one is an error
    rather than a silent fall-back to the CPU.
    """
    if requested not in DEVICES:
        raise ModelError(f"unknown device {requested!r}; choose one of {', '.join(DEVICES)}")
    if requested == "cpu":
        return "cpu"
    count = cuda_device_count()
    if requested == "cuda" and count == 0:
        raise ModelError(
            "--device cuda: CTranslate2 sees no CUDA device on this machine "
            "(ctranslate2.get_cuda_device_count() is 0); use --device cpu or --device auto"
        )
    return "cuda" if count else "cpu"


def batch_plan(device: str, model_bytes: int) -> tuple[int, str]:
    """``(max_batch_size, batch_type)`` for CTranslate2's translate_batch on ``device`` (see above)."""
    if device != "cuda":
        return CPU_BATCH_SENTENCES, "examples"
    scaled = GPU_BATCH_TOKENS * GPU_REFERENCE_MODEL_BYTES / max(model_bytes, 1)
    tokens = int(min(GPU_BATCH_TOKENS_MAX, max(GPU_BATCH_TOKENS_MIN, scaled))) // 256 * 256
    return tokens, "tokens"


class PackageModel:
    """An installed package loaded once: its CTranslate2 translator and SentencePiece model."""

    def __init__(self, package: ModelPackage, beam_size: int = 4, device: str = "cpu", threads: int = 0):
        import ctranslate2
        import sentencepiece

        self.package = package
        self.beam_size = beam_size
        self.device = device
        self.threads = threads
        model_dir = package.path / "model"
        try:
            self.tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "sentencepiece.model"))
            self.translator = ctranslate2.Translator(
                str(model_dir), device=device, inter_threads=1, intra_threads=threads
            )
        except (OSError, RuntimeError, ValueError) as error:
            raise ModelError(f"cannot load model package {package.name} on {device}: {error}") from None
        try:
            model_bytes = (model_dir / "model.bin").stat().st_size
        except OSError:
            model_bytes = GPU_REFERENCE_MODEL_BYTES
        self.max_batch_size, self.batch_type = batch_plan(device, model_bytes)
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
            max_batch_size=self.max_batch_size,
            batch_type=self.batch_type,
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


_loaded: dict[tuple, PackageModel] = {}
_load_lock = threading.Lock()


def load_model(package: ModelPackage, device: str = "auto", threads: int | None = None) -> PackageModel:
    """The package's model, loaded once per process (per folder, version, model file, device and threads).

    ``device`` is auto, cpu or cuda (:func:`resolve_device`); ``threads`` the CPU threads
    (None: :func:`default_threads`).
    """
    try:
        stamp = (package.path / "model" / "model.bin").stat().st_mtime_ns
    except OSError:
        raise ModelError(f"model package {package.name} has no model/model.bin") from None
    resolved = resolve_device(device)
    threads = default_threads() if threads is None else threads
    key = (str(package.path), package.version, stamp, resolved, threads)
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = PackageModel(package, device=resolved, threads=threads)
        return _loaded[key]


@dataclass(frozen=True)
class ModelLoader:
    """Loads packages with the device and threads a run asked for (what the engine uses by default)."""

    device: str = "auto"
    threads: int | None = None

    def __call__(self, package: ModelPackage) -> PackageModel:
        return load_model(package, self.device, self.threads)

    def describe(self) -> str:
        """``cpu, 2 threads`` / ``cuda``: for the record of a run (resolves ``auto``)."""
        device = resolve_device(self.device)
        threads = default_threads() if self.threads is None else self.threads
        if device == "cpu":
            return f"cpu, {threads} thread{'' if threads == 1 else 's'}" if threads else "cpu"
        return device


class PackageBackend(Backend):
    """One installed package; its model is loaded (by ``loader``) when first needed."""

    def __init__(self, package: ModelPackage, loader: Callable[[ModelPackage], TranslationModel] = load_model):
        self.package = package
        self.source, self.target = package.from_code, package.to_code
        self._loader = loader
        self._model: TranslationModel | None = None
        self._calls = 0

    @property
    def identity(self) -> tuple[str, ...]:
        return (f"{self.package.name}@{self.package.version}",)

    @property
    def packages(self) -> tuple[ModelPackage, ...]:
        return (self.package,)

    @property
    def model_calls(self) -> int:
        return self._calls

    @property
    def model(self) -> TranslationModel:
        if self._model is None:
            self._model = self._loader(self.package)
        return self._model

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        if not texts:
            return []
        model = self.model
        self._calls += len(texts)
        return model.translate(list(texts), num_hypotheses)


# -- composition ---------------------------------------------------------------------------


class IdentityBackend(Backend):
    """Every text comes back as it is, ``num_hypotheses`` times, with score 0.

    ``target`` defaults to ``source``; glossary-only mode uses it with the target
    language it renders the glossary terms in.
    """

    def __init__(self, source: str, target: str | None = None):
        self.source = source
        self.target = target or source

    @property
    def identity(self) -> tuple[str, ...]:
        return ()

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        return [[Hypothesis(text, 0.0)] * num_hypotheses for text in texts]


class PivotBackend(Backend):
    """``first`` then ``second`` (ru→en then en→de): the relay picks what goes on, by default the best.

    ``second`` is asked for the n-best of the text passed on; their scores include the
    first hop's score of that text. A text the relay stops, or that ``first`` has no
    hypothesis for, is not sent to ``second`` and comes out with no hypotheses.
    """

    def __init__(self, first: Backend, second: Backend):
        if first.target != second.source:
            raise ModelError(f"cannot chain {first.source}→{first.target} with {second.source}→{second.target}")
        self.first, self.second = first, second
        self.source, self.target = first.source, second.target

    @property
    def identity(self) -> tuple[str, ...]:
        return self.first.identity + self.second.identity

    @property
    def packages(self) -> tuple[ModelPackage, ...]:
        return self.first.packages + self.second.packages

    @property
    def model_calls(self) -> int:
        return self.first.model_calls + self.second.model_calls

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        return self.translate_relayed(texts, num_hypotheses, best_hypothesis)

    def translate_relayed(self, texts: Sequence[str], num_hypotheses: int, relay: Relay) -> list[list[Hypothesis]]:
        firsts = self.first.translate_relayed(texts, num_hypotheses, relay)
        passed: list[tuple[int, str, float]] = []
        for position, hypotheses in enumerate(firsts):
            if not hypotheses:
                continue  # stopped inside the first hop: nothing to pass on
            text = relay(self.first, position, hypotheses)
            if text is not None:
                score = next((h.score for h in hypotheses if h.text == text), 0.0)
                passed.append((position, text, score))
        out: list[list[Hypothesis]] = [[] for _ in texts]
        if not passed:
            return out

        def inner_relay(hop: Backend, position: int, hypotheses: Sequence[Hypothesis]) -> str | None:
            return relay(hop, passed[position][0], hypotheses)

        seconds = self.second.translate_relayed([text for _, text, _ in passed], num_hypotheses, inner_relay)
        for (position, _, score), hypotheses in zip(passed, seconds):
            out[position] = [Hypothesis(h.text, h.score + score, h.terms, h.unenforced, h.ranked) for h in hypotheses]
        return out


class WrappingBackend(Backend):
    """A backend on top of ``inner``: the same languages, identity, packages and model calls."""

    def __init__(self, inner: Backend):
        self.inner = inner
        self.source, self.target = inner.source, inner.target

    @property
    def identity(self) -> tuple[str, ...]:
        return self.inner.identity

    @property
    def packages(self) -> tuple[ModelPackage, ...]:
        return self.inner.packages

    @property
    def model_calls(self) -> int:
        return self.inner.model_calls


class CachedBackend(WrappingBackend):
    """``inner``'s hypotheses remembered in a :class:`TranslationCache`.

    The key is the text, ``inner.identity``, the target language and the number of
    hypotheses, so another model version or glossary never reuses a result.
    """

    def __init__(self, inner: Backend, cache: TranslationCache | None = None):
        super().__init__(inner)
        self.cache = cache if cache is not None else TranslationCache()

    def translate(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[list[Hypothesis]]:
        return [hypotheses for hypotheses, _ in self.translate_marked(texts, num_hypotheses)]

    def translate_marked(self, texts: Sequence[str], num_hypotheses: int = 1) -> list[tuple[list[Hypothesis], bool]]:
        """Each text's hypotheses and whether they came from the cache; misses go to ``inner`` in one batch."""
        identity = self.inner.identity
        keys = [self.cache.key(text, identity, self.target, num_hypotheses) for text in texts]
        found: dict[str, list[Hypothesis]] = {}
        missing: dict[str, str] = {}  # key -> text, in order, each once
        for key, text in zip(keys, texts):
            if key in found or key in missing:
                continue
            hit = self.cache.get(key)
            if hit is None:
                missing[key] = text
            else:
                found[key] = list(hit)
        if missing:
            fresh = self.inner.translate(list(missing.values()), num_hypotheses)
            for key, hypotheses in zip(missing, fresh):
                found[key] = list(hypotheses)
                self.cache.put(key, hypotheses, SegmentSource(missing[key], identity, self.target, num_hypotheses))
            self.cache.flush()
        return [(found[key], key not in missing) for key in keys]

    def close(self) -> None:
        self.cache.close()


def route_backend(
    route: Iterable[ModelPackage],
    loader: Callable[[ModelPackage], TranslationModel] = load_model,
    made: dict[str, PackageBackend] | None = None,
) -> Backend:
    """One backend for a route of packages (one hop, or a pivot through each further hop).

    ``made`` shares one :class:`PackageBackend` per package between routes (ru→en serves
    en, nl and de), so a model is loaded once and its calls are counted once.
    """
    made = {} if made is None else made
    hops: list[Backend] = []
    for package in route:
        key = f"{package.path}@{package.version}"
        if key not in made:
            made[key] = PackageBackend(package, loader)
        hops.append(made[key])
    if not hops:
        raise ModelError("an empty route has no backend")
    backend = hops[0]
    for hop in hops[1:]:
        backend = PivotBackend(backend, hop)
    return backend
