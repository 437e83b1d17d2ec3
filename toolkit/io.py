"""Files in and out: atomic writes that keep ordinary permissions, safe XML parsing, checksums.

Every output coitool writes (TEI, JSON, glossaries, sample PDFs) goes through
:func:`write_atomic` or :func:`atomic_path`: a temporary file in the target folder,
renamed over the target when complete, so a crash or a full disk never leaves a
half-written file. ``mkstemp`` creates private (0600) files; the result instead gets the
mode of the file it replaces, or for a new file what the user's umask allows
(0666 & ~umask), as any other program's output would.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from toolkit.errors import OutputError


def output_mode(path: Path) -> int:
    """The mode a new output at ``path`` should have: the replaced file's, else 0666 & ~umask."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_path(path: str | os.PathLike, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path``, else it is removed.

    For writers that want a file name (PyMuPDF's ``save``), not bytes.
    """
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=directory)
        os.close(fd)
    except OSError as error:
        raise OutputError(f"{path}: cannot write output ({error.strerror or error})") from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, output_mode(path))
        os.replace(tmp_path, path)
    except OSError as error:
        tmp_path.unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write output ({error.strerror or error})") from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def write_atomic(data: bytes, path: str | os.PathLike) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: never a half-written file."""
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# Never resolve entities, load a DTD or touch the network; no huge trees: for
# etree.XMLParser and etree.iterparse alike.
SAFE_PARSER_SETTINGS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def safe_xml_parser(**options):
    """An lxml parser that never resolves entities, loads a DTD or touches the network."""
    from lxml import etree

    settings = dict(SAFE_PARSER_SETTINGS)
    settings.update(options)
    return etree.XMLParser(**settings)
