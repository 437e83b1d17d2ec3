"""The document model as JSON, for programs that do not want to read TEI.

Schema (stable field names; see docs/json.md): every node is an object with a
``type`` field naming its model class in lower case (``paragraph``, ``division``,
``text``, ``span``, ``noteAnchor``, ``pageBreak`` …) and the class's fields.
``None`` fields are left out.
"""

from __future__ import annotations

import dataclasses
import json

from toolkit import __version__
from toolkit.document import Document

SCHEMA_VERSION = 2  # 2: footnotes keyed by key, with their printed label


def node_to_json(node):
    if dataclasses.is_dataclass(node):
        out = {"type": node.__class__.__name__[0].lower() + node.__class__.__name__[1:]}
        for f in dataclasses.fields(node):
            value = getattr(node, f.name)
            if value is None:
                continue
            out[f.name] = node_to_json(value)
        return out
    if isinstance(node, dict):
        return {str(k): node_to_json(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [node_to_json(v) for v in node]
    return node


def document_to_json(doc: Document) -> dict:
    data = node_to_json(doc)
    data["schemaVersion"] = SCHEMA_VERSION
    data["generator"] = f"coitool {__version__}"
    return data


def serialize_json(doc: Document) -> bytes:
    return json.dumps(document_to_json(doc), ensure_ascii=False, indent=1).encode("utf-8")
