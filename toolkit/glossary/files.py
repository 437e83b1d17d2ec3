"""Glossary files of either kind: read or write TSV or TBX, chosen by extension (or content)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal

from toolkit.errors import GlossaryError

if TYPE_CHECKING:
    from toolkit.glossary.entries import Glossary


def read_glossary(path: Path) -> Glossary:
    """A glossary file, TSV or TBX (told apart by the extension, else by the content)."""
    from toolkit.glossary.tbx import read_tbx
    from toolkit.glossary.tsv import read_tsv

    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        return read_tbx(path)
    if path.suffix.lower() in (".tsv", ".txt", ".tab"):
        return read_tsv(path)
    head = read_bytes(path)[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    return read_tbx(path) if head.startswith(b"<") else read_tsv(path)


def read_bytes(path: Path) -> bytes:
    """A glossary file's bytes; a missing or unreadable file is a :class:`GlossaryError`."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise GlossaryError(f"{path}: glossary file not found") from None
    except OSError as error:
        raise GlossaryError(f"{path}: cannot read glossary ({error.strerror or error})") from None


def write_glossary(g: Glossary, path, tbx_version: Literal["v2", "v3"] = "v3") -> None:
    """Write TSV or TBX, chosen by the file's extension."""
    from toolkit.glossary.tbx import write_tbx
    from toolkit.glossary.tsv import write_tsv

    path = Path(path)
    if path.suffix.lower() in (".tbx", ".xml"):
        write_tbx(g, path, tbx_version)
    else:
        write_tsv(g, path)
