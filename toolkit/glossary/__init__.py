"""The asylum-domain glossary: Russian terms and how asylum sources render them in en, nl, de.

The package owns the glossary's data and everything done with it except translation:
:mod:`.entries` (entries, the :class:`Glossary`, ids, checksum, the shipped glossary's
folder), :mod:`.russian` (finding terms in Russian text by lemma, with pymorphy3),
:mod:`.tsv` and :mod:`.tbx` (the hand-edited TSV and the TBX termbases CAT tools
exchange), :mod:`.files` (either, by extension), :mod:`.checks` (what an editor should
fix), :mod:`.coverage` (how much of the domain's core terms it finds, in their inflected
forms). Forcing the glossary on a translation is :mod:`toolkit.translate.engine`'s.
"""

from toolkit.glossary.checks import check
from toolkit.glossary.coverage import (
    COVERAGE_FLOOR,
    DEFAULT_COVERAGE,
    CoverageReport,
    CoverageTerm,
    coverage,
    inflected_forms,
    read_coverage,
)
from toolkit.glossary.entries import (
    DEFAULT_GLOSSARY,
    KNOWN_LANGUAGES,
    REQUIRED_LANGUAGES,
    Glossary,
    GlossaryEntry,
    TermMatch,
    glossary_dir,
    make_id,
    term_key,
)
from toolkit.glossary.files import read_glossary, write_glossary
from toolkit.glossary.russian import TermMatcher, lemma_sequence, morph_analyzer, token_keys
from toolkit.glossary.tbx import read_tbx, write_tbx
from toolkit.glossary.tsv import format_forms, parse_forms, read_tsv, write_tsv

__all__ = [
    "COVERAGE_FLOOR",
    "DEFAULT_COVERAGE",
    "DEFAULT_GLOSSARY",
    "KNOWN_LANGUAGES",
    "REQUIRED_LANGUAGES",
    "CoverageReport",
    "CoverageTerm",
    "Glossary",
    "GlossaryEntry",
    "TermMatch",
    "TermMatcher",
    "check",
    "coverage",
    "format_forms",
    "glossary_dir",
    "inflected_forms",
    "lemma_sequence",
    "make_id",
    "morph_analyzer",
    "parse_forms",
    "read_coverage",
    "read_glossary",
    "read_tbx",
    "read_tsv",
    "term_key",
    "token_keys",
    "write_glossary",
    "write_tbx",
    "write_tsv",
]
