"""Language tagging: the stage that gives every fragment of a document its language.

It runs after layout analysis and citation parsing. Each container (paragraph,
division head, list item, footnote) is split into sentences (footnotes also at
``;`` between citations); every sentence, quoted or parenthesised phrase and
citation title is identified in one batch. A container takes the language of
most of its characters; a sentence in another language is wrapped in a ``seg``
span, a phrase in a ``foreign`` span, a title gets its own ``lang``. Sentences of
fewer than three words (headings, list items) do not vote for their container's
language; they and phrases as short are identified in the language around them
and keep it unless the evidence for another is clear. ``lang`` stays None
wherever it equals the inherited one, so the TEI carries ``xml:lang`` only where
the language changes. Text nodes are split and wrapped, never edited.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from toolkit.lang.identify import UNDETERMINED, LanguageGuess, get_identifier, remembering, word_count
from toolkit.text import CYRILLIC, REPORT_LANGUAGES, sentence_ends
from toolkit.document import (
    Bibliography,
    Division,
    Document,
    Inline,
    ItemList,
    Paragraph,
    Span,
    Text,
    plain_text,
)

logger = logging.getLogger(__name__)

# A sentence or phrase is only marked as another language on this much evidence.
MIN_CONFIDENCE = 0.6
# Sentences of fewer words do not vote for their container's language; they, and phrases as
# short, are identified in the language around them and marked only on clear evidence.
MIN_SENTENCE_WORDS = 3
SHORT_CLEAR_CONFIDENCE = 0.8
# Spans that may be cut in two when a sentence boundary falls inside them (a link, italics).
SPLITTABLE_KINDS = frozenset({"ref", "hi"})

_CITATION_END = re.compile(r";(?=\s)")
_QUOTED = re.compile(
    r"“([^“”]+)[”“]|„([^„“”]+)[“”]|«([^«»]+)»|\"([^\"]+)\"|(?<![\w])‘([^‘’]+)’(?![\w])|\(([^()]+)\)"
)


@dataclass
class _Fragment:
    start: int
    end: int
    text: str  # what the identifier sees (titles masked out of sentences)
    guess: LanguageGuess | None = None
    _words: int | None = None

    @property
    def n_words(self) -> int:
        if self._words is None:
            self._words = word_count(self.text)
        return self._words



@dataclass
class _Container:
    """One run of inline content that carries a language: a paragraph, a head, an item, a note."""

    content: list[Inline]
    owner: object | None  # the model object whose ``lang`` this sets, None for heads of bibliographies
    is_note: bool = False
    text: str = ""
    sentences: list[_Fragment] = field(default_factory=list)
    lang: str | None = None  # decided language, None when the text is too weak to tell


def tag_languages(doc: Document, engine: str = "lingua") -> None:
    """Set ``lang`` on every container and mark sentences, phrases and titles in other languages.

    ``doc.lang`` becomes the main language of the body text and ``doc.language_shares``
    the share of characters per language.
    """
    identifier = get_identifier(engine, REPORT_LANGUAGES, prior=doc.lang or "nl")
    with remembering(identifier, doc.source.sha256):
        _tag(doc, identifier)


def _tag(doc: Document, identifier) -> None:
    tree = _collect(doc)
    containers = [c for c in _iter_containers(tree)]
    for container in containers:
        container.text = plain_text(container.content)
        container.sentences = _sentences(container)
    _identify(identifier, [s for c in containers for s in c.sentences if _votes(s)], context=None)
    for container in containers:
        # Text too weak to decide (citation frames, titles, short bits) votes for the inherited language.
        votes = [(s.guess.lang if _decided(s) else "", s.end - s.start) for s in container.sentences]
        votes.append(("", len(container.text) - sum(s.end - s.start for s in container.sentences)))
        container.lang = _majority(votes) or None
    body_lang = _majority(_weights(tree.children))
    doc.lang = body_lang or doc.lang or "nl"
    _assign(tree, doc.lang)
    for note in tree.notes:
        _assign(note, doc.lang)
    _mark_inside(identifier, containers)
    doc.language_shares = _shares(doc, containers)


# --- the tree of containers ----------------------------------------------------------------------


@dataclass
class _Node:
    """A division (or the document) with its containers, for deciding languages bottom-up."""

    owner: object | None
    head: _Container | None = None
    containers: list[_Container] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    notes: list[_Container] = field(default_factory=list)
    lang: str | None = None


def _collect(doc: Document) -> _Node:
    root = _Node(owner=doc)
    _collect_blocks(doc.blocks, root)
    root.notes = [_Container(note.content, note, is_note=True) for note in doc.footnotes.values()]
    return root


def _collect_blocks(blocks, node: _Node) -> None:
    for block in blocks:
        if isinstance(block, Division):
            child = _Node(owner=block, head=_Container(block.head, None) if block.head else None)
            _collect_blocks(block.blocks, child)
            node.children.append(child)
        elif isinstance(block, Paragraph):
            node.containers.append(_Container(block.content, block))
        elif isinstance(block, ItemList):
            node.containers.extend(_Container(item.content, item) for item in block.items)
        elif isinstance(block, Bibliography):
            if block.head:
                node.containers.append(_Container(block.head, None))
            node.containers.extend(_Container(entry.content, entry) for entry in block.entries)


def _iter_containers(node: _Node) -> Iterable[_Container]:
    if node.head is not None:
        yield node.head
    yield from node.containers
    for child in node.children:
        yield from _iter_containers(child)
    yield from node.notes


def _weights(nodes: list[_Node]) -> Iterable[tuple[str, int]]:
    for node in nodes:
        yield from _node_weights(node)


def _node_weights(node: _Node) -> Iterable[tuple[str, int]]:
    for container in ([node.head] if node.head else []) + node.containers:
        for s in container.sentences:
            if _decided(s):
                yield s.guess.lang, len(s.text)
    for child in node.children:
        yield from _node_weights(child)


def _majority(weighted: Iterable[tuple[str, int]]) -> str | None:
    counts: Counter[str] = Counter()
    for lang, weight in weighted:
        counts[lang] += weight
    return counts.most_common(1)[0][0] if counts and counts.most_common(1)[0][1] > 0 else None


def _votes(fragment: _Fragment) -> bool:
    """Long enough to speak for its container: three words, or Cyrillic script."""
    return bool(fragment.text) and (fragment.n_words >= MIN_SENTENCE_WORDS or CYRILLIC.search(fragment.text) is not None)


def _decided(fragment: _Fragment) -> bool:
    guess = fragment.guess
    if guess is None or guess.lang == UNDETERMINED or guess.confidence < MIN_CONFIDENCE:
        return False
    return _votes(fragment)


def _departs(fragment: _Fragment, around: str | None) -> bool:
    """Evidence of a language other than ``around``: clear evidence for a fragment too short to vote."""
    guess = fragment.guess
    if guess is None or guess.lang in (UNDETERMINED, around):
        return False
    return guess.confidence >= (MIN_CONFIDENCE if _votes(fragment) else SHORT_CLEAR_CONFIDENCE)


def _assign(node: _Node | _Container, inherited: str) -> None:
    """Top-down: each owner gets its language where it differs from the inherited one."""
    if isinstance(node, _Container):
        node.lang = node.lang or inherited
        if node.owner is not None and hasattr(node.owner, "lang"):
            node.owner.lang = node.lang if node.lang != inherited else None
        elif node.lang != inherited:
            _wrap_all(node.content, node.lang)  # a bibliography head has no lang of its own
            node.lang = inherited
        return
    lang = _majority(_node_weights(node)) or inherited
    if isinstance(node.owner, Division):
        node.owner.lang = lang if lang != inherited else None
    if node.head is not None:
        head_lang = node.head.lang or lang
        if head_lang != lang:
            _wrap_all(node.head.content, head_lang)
        node.head.lang = lang
    for container in node.containers:
        _assign(container, lang)
    for child in node.children:
        _assign(child, lang)


def _wrap_all(content: list[Inline], lang: str) -> None:
    if len(content) == 1 and isinstance(content[0], Span) and content[0].kind == "seg":
        content[0].lang = lang  # already one segment: do not wrap it twice
        return
    content[:] = [Span("seg", list(content), lang=lang)]


# --- fragments -----------------------------------------------------------------------------------


def _span_ranges(content: list[Inline], kind: str) -> list[tuple[int, int, Span]]:
    """Character ranges of the outermost spans of ``kind``, in the coordinates of ``content``."""
    found: list[tuple[int, int, Span]] = []

    def walk(nodes: list[Inline], offset: int) -> int:
        for node in nodes:
            if isinstance(node, Text):
                offset += len(node.text)
            elif isinstance(node, Span):
                start = offset
                if node.kind == kind:
                    offset += _text_length(node.children)
                    found.append((start, offset, node))
                else:
                    offset = walk(node.children, offset)
        return offset

    walk(content, 0)
    return found


def _text_length(nodes: list[Inline]) -> int:
    """len(plain_text(nodes)) without building the string."""
    total = 0
    for node in nodes:
        if isinstance(node, Text):
            total += len(node.text)
        elif isinstance(node, Span):
            total += _text_length(node.children)
    return total


def _title_ranges(content: list[Inline]) -> list[tuple[int, int, Span]]:
    return _span_ranges(content, "title")


def _sentences(container: _Container) -> list[_Fragment]:
    text = container.text
    masked = text
    for start, end, _span in _title_ranges(container.content):
        masked = masked[:start] + " " * (end - start) + masked[end:]
    cuts = [m.start("space") for m in sentence_ends(text)]
    if container.is_note:
        cuts += [m.end() for m in _CITATION_END.finditer(masked)]
    # Publisher, date and pages around a parsed citation's title say nothing about language.
    citations = [(s, e) for s, e, _span in _span_ranges(container.content, "bibl")]
    fragments = []
    start = 0
    for cut in sorted(set(cuts)) + [len(text)]:
        piece = text[start:cut]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        s, e = start + lead, cut - trail
        if e > s:
            frame = any(cs < e and s < ce for cs, ce in citations)
            fragments.append(_Fragment(s, e, "" if frame else " ".join(masked[s:e].split())))
        start = cut
    return fragments


def _identify(identifier, fragments: list[_Fragment], context: str | None) -> None:
    """One batch for all fragments; identical texts are identified once."""
    pending: dict[str, list[_Fragment]] = {}
    for fragment in fragments:
        pending.setdefault(fragment.text, []).append(fragment)
    if pending:
        texts = list(pending)
        logger.debug("identifying %d of %d fragments (context %s)", len(texts), len(fragments), context)
        for text, guess in zip(texts, identifier.detect_many(texts, context=context)):
            for fragment in pending[text]:
                fragment.guess = guess


# --- marking inside containers -------------------------------------------------------------------


def _mark_inside(identifier, containers: list[_Container]) -> None:
    """Sentences in another language, quoted phrases and titles: identified in one batch per context."""
    by_context: dict[str, list[_Fragment]] = {}
    plans: list[tuple[_Container, list[tuple[_Fragment, str]], list[tuple[_Fragment, str, Span | None]]]] = []
    short: list[tuple[_Fragment, str | None, list[tuple[_Fragment, str]]]] = []
    for container in containers:
        sentences: list[tuple[_Fragment, str]] = []
        phrases: list[tuple[_Fragment, str, Span | None]] = []
        titles = _title_ranges(container.content)
        for sentence in container.sentences:
            sentence_lang = container.lang
            if _decided(sentence) and sentence.guess.lang != container.lang:
                sentence_lang = sentence.guess.lang
                sentences.append((sentence, sentence_lang))
            elif sentence.text and not _votes(sentence):  # a heading, "Zie ook.": judged in its context
                by_context.setdefault(container.lang, []).append(sentence)
                short.append((sentence, container.lang, sentences))
            for phrase in _phrases(container.text, sentence, titles):
                by_context.setdefault(sentence_lang, []).append(phrase)
                phrases.append((phrase, sentence_lang, None))
        for start, end, span in titles:
            around = next((lang for s, lang in sentences if s.start <= start and end <= s.end), container.lang)
            title = _Fragment(start, end, " ".join(container.text[start:end].split()))
            by_context.setdefault(around, []).append(title)
            phrases.append((title, around, span))
        plans.append((container, sentences, phrases))
    for context, fragments in by_context.items():
        _identify(identifier, fragments, context=context)
    for sentence, around, marked in short:
        if _departs(sentence, around):
            marked.append((sentence, sentence.guess.lang))
    for container, sentences, phrases in plans:
        for sentence, lang in sentences:
            if not wrap_range(container.content, sentence.start, sentence.end, _maker("seg", lang)):
                logger.debug("sentence not wrapped (crosses a span): %s", sentence.text[:60])
        for phrase, around, span in phrases:
            guess = phrase.guess
            if span is not None:
                if guess.lang != UNDETERMINED and guess.lang != around:
                    span.lang = guess.lang
                continue
            if _departs(phrase, around):
                wrap_range(container.content, phrase.start, phrase.end, _maker("foreign", guess.lang))


def _phrases(text: str, sentence: _Fragment, titles: list[tuple[int, int, Span]]) -> list[_Fragment]:
    """Quoted and parenthesised phrases inside a sentence that are not already titles."""
    found = []
    for match in _QUOTED.finditer(text, sentence.start, sentence.end):
        group = next(g for g in range(1, 7) if match.group(g) is not None)
        start, end = match.start(group), match.end(group)
        inner = match.group(group)
        start += len(inner) - len(inner.lstrip())
        end -= len(inner) - len(inner.rstrip())
        if end <= start or any(s < end and start < e for s, e, _ in titles):
            continue
        if (start, end) == (sentence.start, sentence.end):
            continue
        found.append(_Fragment(start, end, " ".join(text[start:end].split())))
    return found


def _maker(kind: str, lang: str) -> Callable[[list[Inline]], Span]:
    return lambda children: Span(kind, children, lang=lang)


def wrap_range(content: list[Inline], start: int, end: int, make: Callable[[list[Inline]], Span]) -> bool:
    """Wrap characters ``start:end`` of ``content`` in a new span, splitting Text nodes as needed.

    The range may lie inside a span (then the new span goes inside it); a range that
    starts inside one span and ends outside it is wrapped only if that span is a link or
    highlight, which is cut in two. Returns False when the range cannot be wrapped.
    """
    offsets = []
    pos = 0
    for node in content:
        length = len(node.text) if isinstance(node, Text) else _text_length(node.children) if isinstance(node, Span) else 0
        offsets.append((pos, pos + length))
        pos += length
    for node, (s, e) in zip(content, offsets):
        if isinstance(node, Span) and s <= start and end <= e and (s, e) != (start, end):
            return wrap_range(node.children, start - s, end - s, make)
    for cut in (start, end):
        for i, (node, (s, e)) in enumerate(zip(content, offsets)):
            if s < cut < e:
                if isinstance(node, Text):
                    content[i : i + 1] = [Text(node.text[: cut - s]), Text(node.text[cut - s :])]
                elif node.kind in SPLITTABLE_KINDS:
                    content[i : i + 1] = _split_span(node, cut - s)
                else:
                    return False
                return wrap_range(content, start, end, make)
    # Zero-width nodes (note anchors, page breaks) at the start stay outside, at the end go inside:
    # a note anchor right after a sentence belongs to that sentence.
    inside = [i for i, (s, e) in enumerate(offsets) if (start <= s and e <= end and e > s) or (e == s and start < s <= end)]
    if not inside:
        return False
    inside_from, inside_to = inside[0], inside[-1] + 1
    content[inside_from:inside_to] = [make(content[inside_from:inside_to])]
    return True


def _split_span(span: Span, at: int) -> list[Span]:
    left: list[Inline] = list(span.children)
    right: list[Inline] = []
    pos = 0
    for i, node in enumerate(left):
        length = len(node.text) if isinstance(node, Text) else _text_length(node.children) if isinstance(node, Span) else 0
        if pos + length > at:
            if isinstance(node, Text):
                right = [Text(node.text[at - pos :])] + left[i + 1 :]
                left = left[:i] + [Text(node.text[: at - pos])]
            elif isinstance(node, Span) and node.kind in SPLITTABLE_KINDS:
                first, second = _split_span(node, at - pos)
                right = [second] + left[i + 1 :]
                left = left[:i] + [first]
            else:
                right = left[i:]
                left = left[:i]
            break
        pos += length
    return [Span(span.kind, left, dict(span.attrs), span.lang), Span(span.kind, right, dict(span.attrs), span.lang)]


# --- shares ----------------------------------------------------------------------------------------


def _shares(doc: Document, containers: list[_Container]) -> dict[str, float]:
    """Characters per language after inheritance, as shares that add up to 1."""
    counts: Counter[str] = Counter()

    def walk(nodes: list[Inline], lang: str) -> None:
        for node in nodes:
            if isinstance(node, Text):
                counts[lang] += len(node.text.strip())
            elif isinstance(node, Span):
                walk(node.children, node.lang or lang)

    for container in containers:
        walk(container.content, container.lang or doc.lang)
    total = sum(counts.values())
    if not total:
        return {}
    shares = {lang: round(count / total, 4) for lang, count in counts.most_common() if count}
    main = next(iter(shares))
    shares[main] = round(1.0 - sum(v for k, v in shares.items() if k != main), 4)
    return shares
