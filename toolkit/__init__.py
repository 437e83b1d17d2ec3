"""coitool: Country-of-Origin-Information reports from PDF to TEI P5, tagged and translated."""

import logging

__version__ = "0.1.0"

__all__ = ["__version__", "extract", "translate_tei", "extract_bytes", "translate_bytes", "Result", "CoitoolError"]

logging.getLogger(__name__).addHandler(logging.NullHandler())

from toolkit.errors import CoitoolError  # noqa: E402


def extract(path, **options):
    """Read a PDF report and return its :class:`toolkit.document.Document`."""
    from toolkit.extract.pipeline import extract as _extract

    return _extract(path, **options)


def translate_tei(in_path, out_path, to, **options):
    """Add translations of a TEI file's Russian fragments (see :func:`toolkit.translate.pipeline.translate_tei`)."""
    from toolkit.translate.pipeline import translate_tei as _translate_tei

    return _translate_tei(in_path, out_path, to, **options)


def extract_bytes(data, name, **options):
    """Extract a PDF held in memory to TEI bytes (see :func:`toolkit.api.extract_bytes`)."""
    from toolkit.api import extract_bytes as _extract_bytes

    return _extract_bytes(data, name, **options)


def translate_bytes(data, name, to, **options):
    """Translate a TEI file held in memory (see :func:`toolkit.api.translate_bytes`)."""
    from toolkit.api import translate_bytes as _translate_bytes

    return _translate_bytes(data, name, to, **options)


def __getattr__(name):
    if name == "Result":
        from toolkit.api import Result

        return Result
    raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
