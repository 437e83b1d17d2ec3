"""A batch's inputs (files, folders searched recursively, lists of paths) and their outputs.

Outputs mirror the inputs: a file found in a folder argument goes to the same relative
path under the output folder, a file named on its own to the output folder's top. Paths
with a scheme (``s3://…``, ``gcs://…``) are read and listed through fsspec.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Iterable, Sequence

from toolkit.errors import InputError, UsageError


@dataclass(frozen=True)
class Input:
    source: str  # a local path or a URL
    relative: PurePosixPath  # where its output goes under the output folder, before the suffix


def is_url(path: str) -> bool:
    """A path with a scheme, for fsspec (a Windows drive letter is no scheme)."""
    scheme, sep, _ = path.partition("://")
    return bool(sep) and len(scheme) > 1 and scheme.replace("+", "").isalnum()


def read_list(stream: IO[str]) -> list[str]:
    """Paths of a --files-from list: one a line; blank lines and lines starting with # are left out."""
    paths = []
    for line in stream:
        line = line.rstrip("\r\n")
        if line.strip() and not line.lstrip().startswith("#"):
            paths.append(line.strip())
    return paths


def files_from(name: str) -> list[str]:
    """The list in file ``name`` ('-': standard input)."""
    if name == "-":
        return read_list(sys.stdin)
    try:
        with open(name, encoding="utf-8") as handle:
            return read_list(handle)
    except OSError as error:
        raise InputError(f"{name}: cannot read the list of files ({error.strerror or error})") from None


def collect(arguments: Sequence[str], lists: Iterable[str] = (), suffixes: Sequence[str] = (".pdf",),
            exclude: Sequence[str] = ()) -> list[Input]:
    """Every input file: files as they are, folders searched for ``suffixes``, list files read.

    Files in a folder whose names end with one of ``exclude`` are left out (a translation's
    outputs beside its inputs, say).
    A file in a list is treated as a file named on the command line (it goes to the top
    of the output folder); a folder in a list is searched like a folder argument.
    """
    items = list(arguments)
    for name in lists:
        items.extend(files_from(name))
    found: list[Input] = []
    for item in items:
        if is_url(item):
            found.extend(i for i in _collect_url(item, suffixes) if not (exclude and _matches(i.source, exclude)))
            continue
        path = Path(item)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and _matches(p.name, suffixes)
                           and not (exclude and _matches(p.name, exclude)))
            if not files:
                raise InputError(f"{path}: directory contains no {_kinds(suffixes)} files")
            found.extend(Input(str(p), PurePosixPath(p.relative_to(path).as_posix())) for p in files)
        else:
            found.append(Input(item, PurePosixPath(path.name)))
    return found


def _kinds(suffixes: Sequence[str]) -> str:
    """(".pdf",) -> PDF; (".xml",) -> XML."""
    return " or ".join(s.lstrip(".").upper() for s in suffixes)


def _matches(name: str, suffixes: Sequence[str]) -> bool:
    return name.lower().endswith(tuple(s.lower() for s in suffixes))


def _collect_url(url: str, suffixes: Sequence[str]) -> list[Input]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    if not fs.isdir(root):
        return [Input(url, PurePosixPath(PurePosixPath(root).name))]
    protocol = url.split("://", 1)[0]
    files = sorted(p for p in fs.find(root) if _matches(p, suffixes))
    if not files:
        raise InputError(f"{url}: folder contains no {_kinds(suffixes)} files")
    base = root.rstrip("/") + "/"
    return [Input(f"{protocol}://{p}", PurePosixPath(p[len(base):] if p.startswith(base) else PurePosixPath(p).name))
            for p in files]


def join(folder: str, relative: PurePosixPath) -> str:
    """``relative`` under the output ``folder`` (a path or a URL)."""
    if is_url(folder):
        return folder.rstrip("/") + "/" + relative.as_posix()
    return os.path.join(folder, *relative.parts)


def with_suffix(relative: PurePosixPath, strip: Sequence[str], suffix: str) -> PurePosixPath:
    """report.pdf -> report.tei.xml: the first of ``strip`` the name ends with is replaced."""
    name = relative.name
    for old in strip:
        if name.lower().endswith(old.lower()):
            name = name[: -len(old)]
            break
    return relative.with_name(name + suffix)


def plan_outputs(inputs: Sequence[Input], folder: str, strip: Sequence[str], suffix: str) -> list[tuple[str, str]]:
    """(input, output) pairs; two inputs bound for one output are a usage error."""
    pairs = [(item.source, join(folder, with_suffix(item.relative, strip, suffix))) for item in inputs]
    seen: dict[str, str] = {}
    for source, target in pairs:
        key = target if is_url(target) else os.path.normpath(os.path.abspath(target))
        if key in seen:
            if os.path.abspath(seen[key]) == os.path.abspath(source):
                raise UsageError(f"{source} is given twice")
            raise UsageError(f"{seen[key]} and {source} would both write {target}; give their folder instead, or use separate runs")
        seen[key] = source
    return pairs
