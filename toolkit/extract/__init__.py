"""Extraction: a PDF report into the document model, stage by stage.

:mod:`.pdf` reads PyMuPDF spans into the :mod:`.layout` types; :mod:`.stats` measures the
document (body size, pitch, column); :mod:`.running` finds running headers and footers;
:mod:`.footnotes` the note areas and notes; :mod:`.markers` the markers in the body;
:mod:`.blocks` turns body lines into paragraphs, headings and lists (:mod:`.tables` for
aligned columns, :mod:`.structure` for nesting and annexes), with :mod:`.textbuild` for
line joins, hyphenation and links. :mod:`.pipeline` runs them in order.
"""
