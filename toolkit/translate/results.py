"""What translation produces: model hypotheses, glossary terms forced into them, translations."""

from __future__ import annotations

from dataclasses import dataclass, field

GLOSSARY_ONLY = "glossary-only"
MODEL = "model"


@dataclass(frozen=True, slots=True)
class ForcedTerm:
    """A glossary target inside a translation: ``text[start:end]`` renders ``entry_id``."""

    start: int
    end: int
    entry_id: str
    target: str

    def shifted(self, offset: int) -> "ForcedTerm":
        return ForcedTerm(self.start + offset, self.end + offset, self.entry_id, self.target)


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """One candidate translation of one text, with its model score (higher is better).

    Hypotheses that have been through the glossary also say which glossary terms they
    render (``terms``, offsets into ``text``), which they do not (``unenforced``, the
    Russian terms) and whether ranking chose them (``ranked``); straight from a model
    these are empty.
    """

    text: str
    score: float
    terms: tuple[ForcedTerm, ...] = ()
    unenforced: tuple[str, ...] = ()
    ranked: bool = False  # chosen by ranking hypotheses, because a glossary placeholder was lost


@dataclass
class Translation:
    """One text translated: the result of :meth:`TranslationEngine.translate`."""

    source: str
    text: str
    lang: str
    mode: str = MODEL  # MODEL or GLOSSARY_ONLY
    terms: list[ForcedTerm] = field(default_factory=list)
    unenforced: list[str] = field(default_factory=list)  # glossary terms (Russian) the output lacks
    cached: bool = False
    sentences: int = 0  # sentences sent to the model
    ranked: int = 0  # of those, how many fell back to ranking (a glossary placeholder was lost)
