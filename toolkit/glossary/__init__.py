"""The asylum-domain glossary: entries, matching in Russian text, TSV/TBX files, checks."""

from toolkit.glossary.core import *  # noqa: F401,F403
from toolkit.glossary.core import Glossary, GlossaryEntry  # noqa: F401
