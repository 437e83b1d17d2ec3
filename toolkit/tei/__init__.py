"""TEI P5: writing the document model, validating TEI files, and editing them to add translations.

All TEI work with lxml lives in this package: :mod:`.write` (model → TEI),
:mod:`.validate` (tei_all plus coitool's own rules), :mod:`.translation` (translations
inserted beside their originals, header records).
"""

from toolkit.tei.validate import own_checks, parse_tei, schema, validate_file, validate_tei
from toolkit.tei.write import T, TEI_NS, XML_ID, XML_LANG, document_to_tei, serialize, xml_text

__all__ = [
    "T", "TEI_NS", "XML_ID", "XML_LANG", "document_to_tei", "serialize", "xml_text",
    "own_checks", "parse_tei", "schema", "validate_file", "validate_tei",
]
