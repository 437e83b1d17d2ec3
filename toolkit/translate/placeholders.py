"""Glossary placeholders: the form a term takes through a model, and finding it again afterwards.

A glossary term is replaced by a few Latin capitals and its number (``ZXQ1``): NMT models
copy such a token through like an acronym. Real models damage it now and then, and a
placeholder that is damaged but recognisable still carries its term:

- case and spacing: ``zxq1``, ``Zxq 1``, ``Z X Q 1``, ``ZXQ-1``;
- Cyrillic look-alike letters, as a Russian-facing model writes them: ``ЗХQ1``, ``ZХԚ1``
  (З for Z, Х for X, К or Ԛ for Q, and the like for other letters);
- letters swapped: ``ZQX1``, ``XZQ1`` (the form's letters are all different, so any
  order of them is still the placeholder);
- digits split: ``ZXQ1 2`` for the twelfth term, when there are twelve.

What cannot be recognised (the placeholder dropped, or translated into a word) makes
the sentence fall back to ranking hypotheses (:mod:`toolkit.translate.engine`).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple, Sequence

from toolkit.errors import CoitoolError

if TYPE_CHECKING:
    from toolkit.glossary import TermMatch

# Cyrillic letters a model may write for a Latin capital of the placeholder.
LOOK_ALIKES = {
    "A": "Аа", "B": "Вв", "C": "Сс", "E": "ЕеЁё", "H": "Нн", "I": "Іі", "J": "Јј", "K": "Кк",
    "M": "Мм", "O": "Оо", "P": "Рр", "Q": "ԚԛКк", "S": "Ѕѕ", "T": "Тт", "X": "Хх", "Y": "Уу", "Z": "Зз",
}
# What a model may put between the letters and the number, or between the letters.
_LETTER_GAP = r"[ \u00a0\u202f.\-]?"
_NUMBER_GAP = r"[ \u00a0\u202f\-_#№]?"
_DIGIT_GAP = r"[ \u00a0\u202f]"
# The most terms one sentence can have placeholders for (three digits).
MAX_DIGITS = 3
_FORM = re.compile(r"^([A-Z]{2,6})(?:\{n?\})?$")


class Slot(NamedTuple):
    """Where a placeholder stands in a text: ``text[start:end]`` stands for ``matches[index]``."""

    start: int
    end: int
    index: int


@dataclass(frozen=True, slots=True)
class Masked:
    """A sentence with its glossary terms replaced by placeholders, and where they stand."""

    text: str
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class PlaceholderForm:
    """The placeholder's letters (``ZXQ``: ``ZXQ1``, ``ZXQ2`` …), and how to find them damaged.

    The letters are 2 to 6 different Latin capitals; a form that a model is less likely
    to touch for a given language pair can be chosen (``--placeholder``).
    """

    letters: str = "ZXQ"

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[A-Z]{2,6}", self.letters) or len(set(self.letters)) != len(self.letters):
            raise CoitoolError(
                f"placeholder {self.letters!r}: use 2 to 6 different Latin capitals, optionally followed by {{n}} (e.g. ZXQ{{n}})"
            )

    @classmethod
    def parse(cls, form: "str | PlaceholderForm") -> "PlaceholderForm":
        """``ZXQ``, ``ZXQ{n}`` or ``ZXQ{}`` → the form."""
        if isinstance(form, PlaceholderForm):
            return form
        found = _FORM.match(form.strip())
        if not found:
            raise CoitoolError(
                f"placeholder {form!r}: use 2 to 6 different Latin capitals, optionally followed by {{n}} (e.g. ZXQ{{n}})"
            )
        return cls(found.group(1))

    @property
    def template(self) -> str:
        """``ZXQ{}``: the form with a slot for the number (``str.format``)."""
        return self.letters + "{}"

    def format(self, number: int) -> str:
        return f"{self.letters}{number}"

    @cached_property
    def pattern(self) -> re.Pattern:
        """Candidates for a placeholder, damaged or not; group 1 holds the digits (maybe split)."""
        chars = "".join(dict.fromkeys(c for letter in self.letters for c in self._alikes(letter)))
        letter = f"[{re.escape(chars)}]"
        letters = letter + (_LETTER_GAP + letter) * (len(self.letters) - 1)
        digits = rf"(\d(?:{_DIGIT_GAP}?\d){{0,{MAX_DIGITS - 1}}})"
        return re.compile(rf"(?<![^\W\d_])(?:{letters}){_NUMBER_GAP}{digits}(?!\d)")

    def _alikes(self, letter: str) -> str:
        return letter + letter.lower() + LOOK_ALIKES.get(letter, "")

    def is_letters(self, run: str) -> bool:
        """Whether ``run`` (separators left out) is the form's letters, in any order and look-alikes."""
        chars = [c for c in run if c.isalpha()]
        if len(chars) != len(self.letters):
            return False
        options = [{l for l in self.letters if c in self._alikes(l)} for c in chars]
        return any(all(l in o for l, o in zip(order, options)) for order in itertools.permutations(self.letters))

    def mask(self, sentence: str, matches: Sequence["TermMatch"]) -> Masked:
        """``sentence`` with the n-th match replaced by the n-th placeholder."""
        parts: list[str] = []
        slots: list[Slot] = []
        position = length = 0
        for index, match in enumerate(matches):
            before = sentence[position:match.start]
            placeholder = self.format(index + 1)
            parts += (before, placeholder)
            length += len(before)
            slots.append(Slot(length, length + len(placeholder), index))
            length += len(placeholder)
            position = match.end
        parts.append(sentence[position:])
        return Masked("".join(parts), tuple(slots))

    def slots(self, masked: Masked, output: str) -> tuple[Slot, ...] | None:
        """Where each placeholder came out in ``output``, in order; None when one is lost or duplicated."""
        if output == masked.text:
            return masked.slots  # given back as it went in (identity, copy): they are where we put them
        count = len(masked.slots)
        candidates = []
        for m in self.pattern.finditer(output):
            if not self.is_letters(output[m.start():m.start(1)]):
                continue
            readings = [(int(re.sub(r"\D", "", m.group(1))), m.end())]
            first = re.match(r"\d+", m.group(1)).group()
            if first != m.group(1):  # split digits: the whole number, or its first part and text after
                readings.append((int(first), m.start(1) + len(first)))
            candidates.append((m.start(), readings))
        if count == 1 and not candidates:
            lone = self._without_number(output)
            if lone is not None:
                return (Slot(lone[0], lone[1], 0),)
        found: list[Slot] = []
        used: set[int] = set()
        for start, readings in candidates:
            number, end = next(((n, e) for n, e in readings if 1 <= n <= count and n not in used), readings[-1])
            found.append(Slot(start, end, number - 1))
            used.add(number)
        if sorted(slot.index for slot in found) != list(range(count)):
            return None
        return tuple(found)

    def _without_number(self, output: str) -> tuple[int, int] | None:
        """A lone placeholder whose number the model dropped (``ZXQ``): only when the sentence had one."""
        chars = "".join(dict.fromkeys(c for letter in self.letters for c in self._alikes(letter)))
        letter = f"[{re.escape(chars)}]"
        pattern = rf"(?<![^\W\d_])(?:{letter}{_LETTER_GAP}){{{len(self.letters) - 1}}}{letter}(?![^\W\d_])"
        runs = [m for m in re.finditer(pattern, output) if self.is_letters(m.group())]
        return (runs[0].start(), runs[0].end()) if len(runs) == 1 else None


DEFAULT_PLACEHOLDER = PlaceholderForm()
