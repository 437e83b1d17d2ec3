"""The reading view: a TEI file written as one self-contained HTML page for people to read.

Translators and archivists open it with a double click: the CSS and the little JavaScript
are inline, nothing is loaded from anywhere (a Content-Security-Policy says so to the
browser), no server is needed. :mod:`.writer` walks the TEI (docs/tei.md) with lxml and
builds the HTML; ``data/view.css`` and ``data/view.js`` are the page's style and behaviour.
"""

from toolkit.view.writer import ViewSummary, tei_to_html, view_file

__all__ = ["ViewSummary", "tei_to_html", "view_file"]
