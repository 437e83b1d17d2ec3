"""TEI checks: tei_all RELAX NG plus coitool's own rules (ids, targets, note numbering, anchors).

``validate_tei(tree, full=False)`` runs only our own checks: compiling tei_all takes
libxml2 about ten seconds, once per process.
"""

from __future__ import annotations

import functools
import threading
import os
import re
from collections import Counter
from pathlib import Path

from lxml import etree

from toolkit.errors import ValidationError
from toolkit.io import safe_xml_parser
from toolkit.tei.write import T, XML_ID

SCHEMA = Path(__file__).parent / "data" / "tei_all.rng"
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
NUMBERED_NOTE_ID = re.compile(r"^fn(\d+)(?:-(\d+))?$")

_schema_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def parse_tei(path: str | os.PathLike) -> etree._ElementTree:
    try:
        return etree.parse(str(path), safe_xml_parser())
    except OSError as error:
        raise ValidationError(f"{path}: cannot read ({error})") from None
    except etree.XMLSyntaxError as error:
        raise ValidationError(f"{path}: not well-formed XML ({error})") from None


def validate_tei(tree: etree._ElementTree, *, full: bool = True) -> list[str]:
    """Problems with a TEI tree: tei_all RELAX NG errors (``full``), then coitool's own rules.

    Compiling tei_all takes libxml2 about ten seconds, once per process; ``full=False``
    runs only our own checks, for callers that cannot afford that.
    """
    problems: list[str] = []
    if full:
        rng = schema()
        # One compiled schema per process, shared by its threads: a validator keeps its
        # error log between validate() and the reading of it, so one thread at a time.
        with _schema_lock:
            if not rng.validate(tree):
                for entry in rng.error_log:
                    problems.append(f"schema: line {entry.line}: {entry.message}")
    problems.extend(own_checks(tree))
    return problems


def own_checks(tree: etree._ElementTree) -> list[str]:
    problems: list[str] = []
    root = tree.getroot()
    ids = Counter(node.get(XML_ID) for node in root.iter() if node.get(XML_ID) is not None)
    for value, count in ids.items():
        if count > 1:
            problems.append(f"duplicate xml:id {value!r} ({count}×)")
        if not NCNAME.match(value):
            problems.append(f"xml:id {value!r} is not an NCName")
    for node in root.iter():
        for attr in ("target", "resp", "ref", "corresp"):
            value = node.get(attr)
            if not value:
                continue
            for token in value.split():
                if token.startswith("#") and token[1:] not in ids:
                    problems.append(f"@{attr}={token!r} on <{etree.QName(node).localname}> points nowhere")
    # Numeric notes: xml:id fn<n> in the first numbering run, fn<n>-<run> after a restart; each
    # run must number its notes without gaps. Symbol and letter labels are not counted.
    runs: dict[int, list[int]] = {}
    for note in root.findall(f".//{T}text//{T}note[@place='foot']"):
        n, key = note.get("n"), note.get(XML_ID)
        if not n or not n.strip():
            problems.append(f"footnote {key!r} without a label (@n)")
            continue
        if key is None:
            problems.append(f"footnote {n!r} without an xml:id")
            continue
        if n.isdigit():
            m = NUMBERED_NOTE_ID.match(key)
            if m is None or int(m.group(1)) != int(n):
                problems.append(f"footnote {n} has xml:id {key!r}, expected 'fn{n}' (or 'fn{n}-<run>' after a restart)")
                continue
            runs.setdefault(int(m.group(2) or 1), []).append(int(n))
    for run, numbers in sorted(runs.items()):
        missing = sorted(set(range(min(numbers), max(numbers) + 1)) - set(numbers))
        if missing:
            where = "" if len(runs) == 1 else f" in numbering run {run}"
            problems.append(f"footnote numbers have gaps{where}: {', '.join(map(str, missing[:10]))}")
    unanchored = root.findall(f".//{T}back//{T}div[@type='unanchoredNotes']//{T}note")
    if unanchored:
        problems.append(f"{len(unanchored)} footnote(s) not anchored in the text")
    return problems


def validate_file(path: str | os.PathLike) -> list[str]:
    return validate_tei(parse_tei(path))
