"""The TSV glossary people edit by hand (``glossaries/ru-asylum.tsv``).

``# name:``, ``# version:`` and ``# licence:`` comment lines, then a header line naming
the columns (term, pos, one per target language, do_not_translate, forms, note, id),
then one entry per line. Any malformed line is an error naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

from toolkit.errors import GlossaryError
from toolkit.glossary.entries import (
    FORM_KEY,
    KNOWN_LANGUAGES,
    NCNAME,
    REQUIRED_LANGUAGES,
    Glossary,
    GlossaryEntry,
    make_id,
    unique_ids,
)
from toolkit.glossary.files import read_bytes
from toolkit.glossary.russian import WORD
from toolkit.io import write_atomic
from toolkit.text import SOURCE_LANGUAGE

_FIELD_ALIASES = {
    "term": "term",
    "ru": "term",
    "id": "id",
    "pos": "pos",
    "note": "note",
    "notes": "note",
    "do_not_translate": "do_not_translate",
    "do-not-translate": "do_not_translate",
    "dnt": "do_not_translate",
    "forms": "forms",
}
_TRUE = {"yes", "y", "true", "1", "x", "dnt"}
_FALSE = {"", "no", "n", "false", "0", "-"}


def read_tsv(path) -> Glossary:
    """Read a hand-edited TSV glossary; any malformed line raises :class:`GlossaryError`."""
    path = Path(path)
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise GlossaryError(f"{path}: not UTF-8 text (byte {error.start})") from None
    meta = {"name": path.stem, "version": "", "licence": ""}
    columns: list[str] | None = None
    header_names: list[str] = []
    entries: list[GlossaryEntry] = []
    ids: dict[str, int] = {}
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        if line.lstrip().startswith("#"):
            if columns is None:
                found = re.match(r"#\s*(name|version|licen[cs]e)\s*:\s*(.*?)\s*$", line, re.I)
                if found:
                    meta["licence" if found.group(1).lower().startswith("licen") else found.group(1).lower()] = found.group(2)
            continue
        cells = [c.strip() for c in line.split("\t")]
        where = f"{path}:{lineno}"
        if columns is None:
            columns, header_names = _tsv_columns(cells, where), cells
            continue
        if len(cells) != len(columns):
            raise GlossaryError(
                f"{where}: expected {len(columns)} tab-separated columns "
                f"({', '.join(header_names)}), found {len(cells)}"
            )
        row = dict(zip(columns, cells))
        entry = _tsv_entry(row, where)
        if row.get("id"):
            if entry.id in ids:
                raise GlossaryError(f"{where}: id {entry.id!r} already used on line {ids[entry.id]}")
            ids[entry.id] = lineno
        entries.append(entry)
    if columns is None:
        raise GlossaryError(f"{path}: no header line (term, pos, en, nl, de, …) found")
    entries = unique_ids(entries)  # ids made from terms may collide (СК and ск)
    return Glossary(meta["name"] or path.stem, meta["version"], entries, licence=meta["licence"], sources=(str(path),))


def _tsv_columns(cells: list[str], where: str) -> list[str]:
    columns = []
    for cell in cells:
        name = cell.strip().lower()
        field_name = _FIELD_ALIASES.get(name)
        if field_name is None:
            if name in KNOWN_LANGUAGES and name != SOURCE_LANGUAGE:
                field_name = "lang:" + name
            else:
                raise GlossaryError(
                    f"{where}: unknown column {cell!r}; expected term, pos, note, do_not_translate, "
                    f"forms, id or a target language code (en, nl, de, …)"
                )
        if field_name in columns:
            raise GlossaryError(f"{where}: column {cell!r} appears twice")
        columns.append(field_name)
    if "term" not in columns:
        raise GlossaryError(f"{where}: the header line has no 'term' column")
    return columns


def _tsv_entry(row: dict[str, str], where: str) -> GlossaryEntry:
    term = " ".join(row["term"].split())
    if not term:
        raise GlossaryError(f"{where}: empty term")
    if not WORD.search(term):
        raise GlossaryError(f"{where}: term {term!r} has no words")
    flag = row.get("do_not_translate", "").lower()
    if flag not in _TRUE | _FALSE:
        raise GlossaryError(f"{where}: do_not_translate must be yes or no, not {row['do_not_translate']!r}")
    targets = {key[5:]: value for key, value in row.items() if key.startswith("lang:") and value}
    ident = row.get("id") or make_id(term)
    if not NCNAME.match(ident):
        raise GlossaryError(f"{where}: id {ident!r} is not a valid XML name")
    return GlossaryEntry(
        id=ident,
        term=term,
        targets=targets,
        pos=row.get("pos", ""),
        note=row.get("note", ""),
        do_not_translate=flag in _TRUE,
        forms=parse_forms(row.get("forms", ""), where),
    )


def parse_forms(cell: str, where: str = "") -> dict[str, tuple[str, ...]]:
    """``de:gen.sg=Bescheids|Bescheides; de:nom.pl=Bescheide`` → ``{"de:gen.sg": (…), …}``."""
    forms: dict[str, tuple[str, ...]] = {}
    for chunk in filter(None, (c.strip() for c in cell.split(";"))):
        key, sep, values = chunk.partition("=")
        key = key.strip().lower()
        found = FORM_KEY.match(key)
        if not sep or not found or found.group(1) not in KNOWN_LANGUAGES:
            raise GlossaryError(
                f"{where}: forms must read LANG[:CASE.NUMBER]=FORM|FORM (e.g. de:gen.sg=Bescheids), not {chunk!r}"
            )
        words = tuple(v.strip() for v in values.split("|") if v.strip())
        if not words:
            raise GlossaryError(f"{where}: no forms given for {key!r}")
        forms[key] = forms.get(key, ()) + words
    return forms


def format_forms(forms: dict[str, tuple[str, ...]]) -> str:
    return "; ".join(f"{key}={'|'.join(values)}" for key, values in forms.items())


def _cell(text: str) -> str:
    return " ".join(text.split())


def write_tsv(g: Glossary, path) -> None:
    """Write ``g`` as a TSV glossary (atomically: temporary file, then rename)."""
    languages = list(g.languages) or list(REQUIRED_LANGUAGES)
    columns = ["id", "term", "pos", *languages, "do_not_translate", "forms", "note"]
    lines = [
        f"# name: {g.name}",
        f"# version: {g.version}",
    ]
    if g.licence:
        lines.append(f"# licence: {g.licence}")
    lines += [
        "# columns: id (xml:id suffix, stable), term (Russian, lemma form), pos, one column per target",
        "#   language, do_not_translate (yes/no), forms (LANG[:CASE.NUMBER]=FORM|FORM; …), note (source)",
        "\t".join(columns),
    ]
    for e in g.entries:
        row = [e.id, e.term, e.pos, *(e.targets.get(lang, "") for lang in languages)]
        row += ["yes" if e.do_not_translate else "no", format_forms(e.forms), e.note]
        lines.append("\t".join(_cell(c) for c in row))
    write_atomic(("\n".join(lines) + "\n").encode("utf-8"), path)

