"""Laid-out pages to PDF: one content stream per page with text placed word by word
(Identity-H glyph ids of the embedded, subset fonts), link annotations, metadata."""

from __future__ import annotations

import zlib
from pathlib import Path

from toolkit.sample.content import AUTHOR, SUBTITLE, TITLE
from toolkit.sample.layout import Layout, PageState
from toolkit.sample.lines import Metrics
from toolkit.sample.running import RunningItem
from toolkit.sample.styles import ReportStyle


class _Glyphs:
    """Glyph ids of the embedded fonts: content streams show text as Identity-H glyph ids."""

    def __init__(self, metrics: Metrics) -> None:
        self.fonts = metrics.fonts
        self._maps: dict[str, dict[str, str]] = {role: {} for role in self.fonts}
        self._words: dict[tuple[str, str], str] = {}

    def hex(self, text: str, role: str) -> str:
        key = (text, role)
        done = self._words.get(key)
        if done is not None:
            return done
        cache = self._maps[role]
        font = self.fonts[role]
        out = []
        for ch in text:
            code = cache.get(ch)
            if code is None:
                code = cache[ch] = f"{font.has_glyph(ord(ch)):04x}"
            out.append(code)
        done = self._words[key] = "".join(out)
        return done


def _content_stream(page_state: PageState, style: ReportStyle, glyphs: _Glyphs, names: dict[str, str],
                    running: list[RunningItem]) -> bytes:
    """One page's drawing operators, text placed word by word with absolute positions."""
    height = style.page_height
    out: list[str] = []
    graphics: list[str] = []
    for op in page_state.ops:
        kind = op[0]
        if kind == "l":
            graphics.append(f"0 G 0.5 w {op[1]:.2f} {height - op[2]:.2f} m {op[3]:.2f} {height - op[4]:.2f} l S")
        elif kind == "frame":
            x0, y0, x1, y1 = op[1]
            graphics.append(f"0.35 G 0.6 w {x0:.2f} {height - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re S")
        elif kind == "bar":
            x0, y0, x1, y1 = op[1]
            graphics.append(f"0.16 0.35 0.58 rg {x0:.2f} {height - y1:.2f} {x1 - x0:.2f} {y1 - y0:.2f} re f")
    out.append("q " + " ".join(graphics) + " Q" if graphics else "")
    out.append("BT 0 g")
    current = None
    for op in page_state.ops:
        if op[0] != "t":
            continue
        _, x, y, text, role, size = op
        if (role, size) != current:
            out.append(f"/{names[role]} {size:.2f} Tf")
            current = (role, size)
        out.append(f"1 0 0 1 {x:.2f} {height - y:.2f} Tm <{glyphs.hex(text, role)}> Tj")
    current = None
    for item in running:  # grey, as running text usually is
        if (item.role, item.size) != current:
            out.append(("0.35 g " if current is None else "") + f"/{names[item.role]} {item.size:.2f} Tf")
            current = (item.role, item.size)
        out.append(f"1 0 0 1 {item.x:.2f} {item.pdf_y:.2f} Tm <{glyphs.hex(item.text, item.role)}> Tj")
    out.append("ET")
    return "\n".join(out).encode("ascii")


def render(path: Path, style: ReportStyle, layout: Layout, metrics: Metrics,
           running: list[list[RunningItem]]) -> None:
    """Write the laid-out pages to ``path``; ``running`` holds each page's running text."""
    import pymupdf

    doc = pymupdf.open()
    glyphs = _Glyphs(metrics)
    names = {"body": "F1", "bold": "F2", "italic": "F3"}
    font_refs = ""
    for page_state in layout.pages:
        page = doc.new_page(width=style.page_width, height=style.page_height)
        if not font_refs:
            refs = {role: page.insert_font(fontname=names[role], fontbuffer=metrics.fonts[role].buffer)
                    for role in names}
            font_refs = "".join(f"/{names[role]} {xref} 0 R" for role, xref in refs.items())
        doc.xref_set_key(page.xref, "Resources", f"<</Font<<{font_refs}>>>>")
        contents = doc.get_new_xref()
        doc.update_object(contents, "<<>>")
        stream = _content_stream(page_state, style, glyphs, names, running[page_state.number - 1])
        doc.update_stream(contents, zlib.compress(stream, 3), compress=False)
        doc.xref_set_key(contents, "Filter", "/FlateDecode")
        doc.xref_set_key(page.xref, "Contents", f"{contents} 0 R")
        annots = []
        for op in page_state.ops:
            if op[0] == "k":
                x0, y0, x1, y1 = op[1]
                xref = doc.get_new_xref()
                uri = op[2].replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                doc.update_object(xref, (
                    f"<</Type/Annot/Subtype/Link/Border[0 0 0]/Rect[{x0:.2f} {style.page_height - y1:.2f} "
                    f"{x1:.2f} {style.page_height - y0:.2f}]/A<</S/URI/URI({uri})>>/P {page.xref} 0 R>>"))
                annots.append(f"{xref} 0 R")
        if annots:
            doc.xref_set_key(page.xref, "Annots", "[" + " ".join(annots) + "]")
    doc.set_metadata({
        "title": f"{TITLE} | {SUBTITLE}",
        "author": AUTHOR,
        "subject": "Ambtsbericht (gegenereerd voorbeeld)",
        "creator": "coitool sample",
        "producer": "PyMuPDF",
        "creationDate": "D:20250303093000+01'00'",
        "modDate": "D:20250303093000+01'00'",
    })
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.subset_fonts()  # keep only the glyphs used, as word processors do
    doc.save(str(path), garbage=2, deflate=True, no_new_id=True)
    doc.close()
