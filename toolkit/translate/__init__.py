"""Offline translation of Russian fragments with the glossary forced: engine, models, TEI runs.

:mod:`.engine` translates texts (sentence splitting, glossary placeholders, cache,
CTranslate2 hops); :mod:`.packages` installs and finds Argos model packages on disk;
:mod:`.pipeline` runs a TEI file through the engine and records what it did.
"""
