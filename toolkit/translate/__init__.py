"""Offline translation of Russian fragments with the glossary forced.

:mod:`.backends` translates texts (one Argos package with CTranslate2, a pivot
through English, the identity for glossary-only mode, a cache around any of them);
:mod:`.engine` forces the glossary on a backend (placeholders, ranking of hypotheses)
and puts sentences back together; :mod:`.segment` cuts text into sentences;
:mod:`.inflect` fits glossary targets to their context; :mod:`.cache` keeps results;
:mod:`.results` holds what translation produces; :mod:`.packages` installs and finds
Argos model packages on disk; :mod:`.pipeline` runs a TEI file through the engine and
records what it did. docs/translation.md describes the design.
"""
