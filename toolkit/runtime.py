"""Process-level helpers shared by the stages."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Pause the cycle collector while a stage builds many small, acyclic objects.

    Extraction and TEI writing create some 100,000 objects without reference cycles;
    the collector's repeated scans of them cost a tenth of the run and find nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
