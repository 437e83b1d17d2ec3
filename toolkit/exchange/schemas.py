"""The shipped schemas (XLIFF 2.1 core, XLIFF 1.2, TMX 1.4b) and the safe reading of exchange files.

Every schema lives in ``data/`` (see ``data/README.md`` for where each comes from and
its notices). The XLIFF 1.2 schemas import the W3C ``xml.xsd`` by its web address; a
resolver hands libxml2 the local copy instead, and the parser may not use the network,
so validation never leaves the machine.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from lxml import etree

from toolkit.errors import InputError
from toolkit.io import safe_xml_parser

DATA = Path(__file__).parent / "data"
XLIFF_21_XSD = DATA / "xliff-2.1" / "xliff_core_2.0.xsd"
XML_XSD = DATA / "xliff-2.1" / "informativeCopiesOf3rdPartySchemas" / "w3c" / "xml.xsd"
XLIFF_12_STRICT_XSD = DATA / "xliff-1.2" / "xliff-core-1.2-strict.xsd"
XLIFF_12_TRANSITIONAL_XSD = DATA / "xliff-1.2" / "xliff-core-1.2-transitional.xsd"
TMX_14_DTD = DATA / "tmx-1.4b" / "tmx14.dtd"
W3C_XML_XSD_URLS = ("http://www.w3.org/2001/xml.xsd", "https://www.w3.org/2001/xml.xsd")


class _LocalSchemas(etree.Resolver):
    """The W3C ``xml.xsd`` from disk; anything else the schemas name relative to their folder."""

    def resolve(self, url, pubid, context):
        if url in W3C_XML_XSD_URLS:
            return self.resolve_filename(str(XML_XSD), context)
        return None


@functools.lru_cache(maxsize=None)
def xml_schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(path), parser))


@functools.lru_cache(maxsize=1)
def tmx_dtd() -> etree.DTD:
    return etree.DTD(str(TMX_14_DTD))


def schema_problems(tree, path: Path) -> list[str]:
    """Errors of ``tree`` against the XML Schema at ``path`` ("line N: message"), empty when valid."""
    schema = xml_schema(path)
    if schema.validate(tree):
        return []
    return [f"line {entry.line}: {entry.message}" for entry in schema.error_log]


def tmx_problems(tree) -> list[str]:
    """Errors of ``tree`` against the TMX 1.4b DTD, empty when valid."""
    dtd = tmx_dtd()
    if dtd.validate(tree):
        return []
    return [f"line {entry.line}: {entry.message}" for entry in dtd.error_log.filter_from_errors()]


def read_exchange_file(path: str | os.PathLike, kind: str) -> etree._ElementTree:
    """Parse an XLIFF or TMX file that came from elsewhere, refusing what could reach outside it.

    A DOCTYPE (the door to external entities, XXE, and to entity expansion bombs) or an
    entity reference is refused outright: XLIFF and TMX need neither. Nothing is ever
    fetched, expanded or loaded.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    try:
        tree = etree.parse(str(path), safe_xml_parser())
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error})") from None
    except etree.XMLSyntaxError as error:
        raise InputError(f"{path}: not well-formed XML, not {kind} ({error})") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise InputError(f"{path}: has a DOCTYPE declaration; {kind} needs none and coitool refuses it (entities could reach outside the file)")
    for node in tree.getroot().iter(etree.Entity):
        raise InputError(f"{path}:{node.sourceline}: entity reference {node.text} is not allowed in {kind}")
    return tree


def indent_structure(element, inline: set[str], level: int = 0) -> None:
    """Indent an exchange file's structure, never inside the mixed content of ``inline`` elements.

    lxml's pretty printing would also indent an element holding only inline markup (a
    target that is one ``<mrk>``), adding whitespace to the translation.
    """
    children = [c for c in element if isinstance(c.tag, str)]
    if not children or etree.QName(element).localname in inline:
        return
    pad = "\n" + "  " * (level + 1)
    element.text = pad
    for child in children:
        indent_structure(child, inline, level + 1)
        child.tail = pad
    children[-1].tail = "\n" + "  " * level
