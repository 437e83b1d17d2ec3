"""A genuine, tiny Argos Translate package built in the test run, without downloads.

The package holds a real SentencePiece model and a real one-layer CTranslate2
Transformer whose weights are set by hand so that the decoder *copies* its
source: learned one-hot positions; the cross-attention of target step t looks
at source step t; the decoder always emits ``<unk>``, which CTranslate2's
``replace_unknowns`` replaces by the attended source token; ``</s>`` wins only
when step t reaches the source's own ``</s>`` (``add_source_eos``), and scores
below every other token before that, so beam search cannot end early.

A copy model makes translation results exact and predictable: whatever the
pipeline sends to the model comes back unchanged, so a test can assert that a
glossary placeholder survived and was replaced by the glossary's target.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import tempfile
import zipfile
from pathlib import Path

# Longest source (in SentencePiece tokens, </s> included) the copy model handles.
MAX_POSITIONS = 160

# Lines the SentencePiece model is trained on: invented COI-style phrases in
# Russian and English, plus Latin placeholders such as the pipeline inserts.
_RU_SUBJECTS = [
    "Военкомат", "Прокуратура", "Суд", "Следственный комитет", "Министерство обороны",
    "Полиция", "Активист", "Журналист", "Призывник", "Адвокат", "Правозащитник",
    "Иностранный агент", "Нежелательная организация", "Мобилизованный", "Дезертир",
]
_RU_VERBS = [
    "направил повестку", "возбудил уголовное дело", "назначил штраф", "объявил в розыск",
    "вынес приговор", "признал виновным", "опубликовал список", "отказал в отсрочке",
    "внёс в реестр", "задержал участников", "продлил срок", "сообщил о проверке",
]
_RU_OBJECTS = [
    "по статье 328 УК РФ", "за дискредитацию армии", "о частичной мобилизации",
    "через Госуслуги", "в электронном виде", "жителю Москвы", "в Санкт-Петербурге",
    "по делу об экстремизме", "за уклонение от призыва", "на военную службу",
    "в колонии общего режима", "в течение 20 дней", "«Мемориалу»", "(ФСБ)",
]
_EN_SUBJECTS = [
    "The enlistment office", "The prosecutor", "The court", "The Investigative Committee",
    "The Ministry of Defence", "The police", "An activist", "A journalist", "The conscript",
    "A lawyer", "A foreign agent", "An undesirable organisation", "The deserter",
]
_EN_VERBS = [
    "sent a summons", "opened a criminal case", "imposed a fine", "put on the wanted list",
    "handed down a sentence", "found guilty", "published a list", "refused a deferral",
    "added to the register", "detained the participants", "extended the term",
]
_EN_OBJECTS = [
    "under Article 328 of the Criminal Code", "for discrediting the army",
    "on partial mobilisation", "via Gosuslugi", "in electronic form", "in Moscow",
    "in an extremism case", "for evading conscription", "to military service",
    "in a general-regime penal colony", "within 20 days", "(FSB)",
]


def training_lines(count: int = 400, seed: int = 7) -> list[str]:
    """Sentences for the tokenizer: Russian, English and placeholder-bearing lines."""
    rng = random.Random(seed)
    lines: list[str] = []
    for i in range(count):
        if i % 2 == 0:
            parts = [rng.choice(_RU_SUBJECTS), rng.choice(_RU_VERBS), rng.choice(_RU_OBJECTS)]
        else:
            parts = [rng.choice(_EN_SUBJECTS), rng.choice(_EN_VERBS), rng.choice(_EN_OBJECTS)]
        if i % 3 == 0:
            parts.insert(rng.randrange(len(parts) + 1), f"ZXQ{rng.randint(1, 12)}")
        lines.append(" ".join(parts) + rng.choice([".", "", ";", "?"]))
    return lines


def train_sentencepiece(lines: list[str], vocab_size: int = 400) -> bytes:
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=buffer,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        hard_vocab_limit=False,
        normalization_rule_name="identity",
        minloglevel=2,
    )
    return buffer.getvalue()


def build_copy_model(model_dir: Path, vocabulary: list[str], max_positions: int = MAX_POSITIONS) -> None:
    """Write a CTranslate2 Transformer that copies its source, token for token."""
    import numpy as np
    from ctranslate2.specs import transformer_spec

    vocab_size = len(vocabulary)
    eos = vocabulary.index("</s>")
    unk = vocabulary.index("<unk>")
    end_dim = max_positions  # source embedding of </s> lights this dimension
    flag_dim = max_positions + 1  # decoder dimension that says "the source has ended"
    d = max_positions + 2

    spec = transformer_spec.TransformerSpec.from_config(1, 1)
    spec.config.add_source_eos = True

    def zeros(*shape):
        return np.zeros(shape, dtype=np.float32)

    def unit_norm(norm):
        norm.gamma = np.ones(d, dtype=np.float32)
        norm.beta = zeros(d)

    def silent_linear(linear, out_dim, in_dim):
        linear.weight = zeros(out_dim, in_dim)
        linear.bias = zeros(out_dim)

    def silence_self_attention_and_ffn(layer, d):
        """Self-attention and feed-forward that add nothing: the residual stream passes unchanged."""
        unit_norm(layer.self_attention.layer_norm)
        silent_linear(layer.self_attention.linear[0], 3 * d, d)
        silent_linear(layer.self_attention.linear[1], d, d)
        unit_norm(layer.ffn.layer_norm)
        silent_linear(layer.ffn.linear_0, d, d)
        silent_linear(layer.ffn.linear_1, d, d)

    positions = np.eye(max_positions, d, dtype=np.float32)

    encoder = spec.encoder
    encoder.scale_embeddings = False
    source_embeddings = zeros(vocab_size, d)
    source_embeddings[eos, end_dim] = 1.0
    encoder.embeddings[0].weight = source_embeddings
    encoder.position_encodings.encodings = positions
    unit_norm(encoder.layer_norm)
    silence_self_attention_and_ffn(encoder.layer[0], d)

    decoder = spec.decoder
    decoder.scale_embeddings = False
    decoder.embeddings.weight = zeros(vocab_size, d)
    decoder.position_encodings.encodings = positions
    unit_norm(decoder.layer_norm)
    layer = decoder.layer[0]
    silence_self_attention_and_ffn(layer, d)

    # Cross-attention: query position t matches key position t (one-hot, scaled up so the
    # softmax is sharp); the value carries the source's end-of-sentence dimension.
    attention = layer.attention
    unit_norm(attention.layer_norm)
    sharpness = 3.0
    query = zeros(d, d)
    query[:max_positions, :max_positions] = np.eye(max_positions) * sharpness
    attention.linear[0].weight = query
    attention.linear[0].bias = zeros(d)
    key_value = zeros(2 * d, d)
    key_value[:max_positions, :max_positions] = np.eye(max_positions) * sharpness
    key_value[d + flag_dim, end_dim] = 1.0
    attention.linear[1].weight = key_value
    attention.linear[1].bias = zeros(2 * d)
    output = zeros(d, d)
    output[flag_dim, flag_dim] = 1.0
    attention.linear[2].weight = output
    attention.linear[2].bias = zeros(d)

    # Logits: <unk> always wins while the source lasts, every other token ties below it,
    # </s> sits below them all until the flag dimension (normalised) turns positive.
    projection = zeros(vocab_size, d)
    projection[eos, flag_dim] = 10.0
    bias = zeros(vocab_size)
    bias[unk] = 20.0
    bias[eos] = -50.0
    decoder.projection.weight = projection
    decoder.projection.bias = bias

    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    spec.optimize(quantization="float32")
    model_dir.mkdir(parents=True, exist_ok=True)
    spec.save(str(model_dir))


def package_metadata(from_code: str, to_code: str, version: str = "1.0") -> dict:
    names = {"ru": "Russian", "en": "English", "nl": "Dutch", "de": "German"}
    return {
        "package_version": version,
        "argos_version": "1.9",
        "from_code": from_code,
        "from_name": names.get(from_code, from_code),
        "to_code": to_code,
        "to_name": names.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }


def write_argos_package(
    out_path: Path, model_dir: Path, sentencepiece_model: bytes, from_code: str, to_code: str,
    version: str = "1.0",
) -> Path:
    """Zip a package the way Argos ships them: one folder with metadata.json, model/, tokenizer."""
    folder = f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    with zipfile.ZipFile(out_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{folder}/", "")
        archive.writestr(f"{folder}/metadata.json", json.dumps(package_metadata(from_code, to_code, version), indent=2))
        archive.writestr(f"{folder}/sentencepiece.model", sentencepiece_model)
        archive.writestr(f"{folder}/README.md", f"Copy model {from_code}->{to_code} for coitool's tests.\n")
        archive.writestr(f"{folder}/model/", "")
        for item in sorted(model_dir.iterdir()):
            archive.write(item, f"{folder}/model/{item.name}")
    return out_path


def build_packages(out_dir: Path, pairs=(("ru", "en"), ("en", "nl"), ("en", "de"))) -> dict[str, Path]:
    """Build one copy-model ``.argosmodel`` per language pair; returns {"ru-en": path, ...}."""
    import sentencepiece as spm

    out_dir.mkdir(parents=True, exist_ok=True)
    sp_model = train_sentencepiece(training_lines())
    processor = spm.SentencePieceProcessor(model_proto=sp_model)
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    work = Path(tempfile.mkdtemp(dir=out_dir))
    try:
        build_copy_model(work / "model", vocabulary)
        paths = {}
        for from_code, to_code in pairs:
            target = out_dir / f"translate-{from_code}_{to_code}-1_0.argosmodel"
            paths[f"{from_code}-{to_code}"] = write_argos_package(
                target, work / "model", sp_model, from_code, to_code
            )
        return paths
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":  # builds into a folder given on the command line
    import sys
    import time

    start = time.perf_counter()
    built = build_packages(Path(sys.argv[1] if len(sys.argv) > 1 else "argos-packages"))
    elapsed = time.perf_counter() - start
    for name, path in built.items():
        print(f"{name}: {path} ({path.stat().st_size // 1024} KB)")
    print(f"built in {elapsed:.2f} s")
