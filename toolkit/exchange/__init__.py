"""Exchange with translators' tools: XLIFF out and back, the translation memory as TMX.

:mod:`.fragments` finds a TEI file's translatable fragments with stable ids;
:mod:`.xliff` writes them as XLIFF 2.1 or 1.2 and brings post-edited files back;
:mod:`.tmx` writes the translation memory (cache and translated TEI files) as TMX 1.4b;
:mod:`.schemas` holds the shipped OASIS and LISA schemas and reads foreign files safely.
lxml is used here and in :mod:`toolkit.tei`; nothing is imported until a command needs it.
"""
