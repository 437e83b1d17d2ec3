"""The translation cache: one text's hypotheses under everything they depend on.

A record is keyed by the text, the identity of the backend that made it (model
packages and their versions, the glossary checksum when the glossary was forced), the
target language and the number of hypotheses asked for. Records live in memory and,
when the cache has a path, in SQLite (``<models folder>/.cache/translations.sqlite3``),
written in one transaction per batch. A record that cannot be read back (a damaged or
older file) is a miss, never an error.

Beside each record the table ``source`` keeps what the hashed key stands for (the text,
the backend identity, the language, when it was made), so the cache can be read back as
a translation memory (:func:`read_segments`, ``coitool tm export``). Records written
before that table existed have no source and are counted, not exported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Sequence

from toolkit.translate.results import ForcedTerm, Hypothesis

log = logging.getLogger(__name__)

# Bump when translation changes what it produces, so cached results are not reused.
PIPELINE_VERSION = "3"


class SegmentSource(NamedTuple):
    """What a cache key stands for: the text, the backend identity, the target language, n-best size."""

    text: str
    identity: tuple[str, ...]
    lang: str
    num_hypotheses: int = 1


# Parts of a backend's identity that name a setting rather than a model package.
SETTING_PARTS = ("glossary ", "placeholder ")


@dataclass(frozen=True)
class CachedSegment:
    """One cached record read back with its source: a segment of the translation memory."""

    key: str
    source: SegmentSource
    hypotheses: tuple[Hypothesis, ...]
    created: str  # ISO 8601, UTC
    pipeline: str  # PIPELINE_VERSION when it was made

    @property
    def glossary_checksum(self) -> str | None:
        """The checksum of the glossary forced on the translation (the identity's ``glossary …`` part)."""
        for part in self.source.identity:
            if part.startswith("glossary "):
                value = part[len("glossary "):]
                return None if value == "none" else value
        return None

    @property
    def models(self) -> tuple[str, ...]:
        """The model packages (``name@version``) that made it: the identity's parts that are no setting."""
        return tuple(part for part in self.source.identity if not part.startswith(SETTING_PARTS))


SOURCE_TABLE_SQL = (
    "CREATE TABLE IF NOT EXISTS source (key TEXT PRIMARY KEY, text TEXT NOT NULL, identity TEXT NOT NULL, "
    "lang TEXT NOT NULL, hypotheses INTEGER NOT NULL, pipeline TEXT NOT NULL, created TEXT NOT NULL)"
)


def read_segments(path: Path) -> tuple[list[CachedSegment], int]:
    """Every record of the cache file at ``path`` that has a source, oldest first, and how many have none.

    The file is opened read-only and never created; a missing file holds nothing. Records
    that cannot be decoded are skipped like records without a source.
    """
    if not Path(path).is_file():
        return [], 0
    try:
        db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        log.debug("translation cache not readable: %s", error)
        return [], 0
    segments: list[CachedSegment] = []
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "translation" not in tables:
            return [], 0
        total = db.execute("SELECT COUNT(*) FROM translation").fetchone()[0]
        if "source" not in tables:
            return [], total
        rows = db.execute(
            "SELECT s.key, s.text, s.identity, s.lang, s.hypotheses, s.pipeline, s.created, t.value "
            "FROM source s JOIN translation t ON s.key = t.key ORDER BY s.created, s.rowid"
        ).fetchall()
    except sqlite3.Error as error:
        log.debug("translation cache not readable: %s", error)
        return [], 0
    finally:
        db.close()
    for key, text, identity, lang, n, pipeline, created, value in rows:
        hypotheses = decode_record(value)
        try:
            parts = tuple(str(part) for part in json.loads(identity))
        except (ValueError, TypeError):
            hypotheses = None
        if hypotheses is None:
            continue
        segments.append(CachedSegment(key, SegmentSource(text, parts, lang, int(n)), hypotheses, created, pipeline))
    return segments, total - len(segments)


def encode_record(hypotheses: Sequence[Hypothesis]) -> str:
    return json.dumps(
        [
            {
                "text": h.text,
                "score": h.score,
                "terms": [[t.start, t.end, t.entry_id, t.target] for t in h.terms],
                "unenforced": list(h.unenforced),
                "ranked": h.ranked,
            }
            for h in hypotheses
        ],
        ensure_ascii=False,
    )


def decode_record(raw: str) -> tuple[Hypothesis, ...] | None:
    """The hypotheses of a stored record, or None when it is not one of ours."""
    try:
        return tuple(
            Hypothesis(
                text=str(item["text"]),
                score=float(item["score"]),
                terms=tuple(ForcedTerm(int(s), int(e), str(i), str(t)) for s, e, i, t in item["terms"]),
                unenforced=tuple(str(u) for u in item["unenforced"]),
                ranked=bool(item.get("ranked", False)),
            )
            for item in json.loads(raw)
        )
    except (ValueError, TypeError, KeyError):
        return None


class TranslationCache:
    """Hypotheses by key, in memory plus (with a path) SQLite."""

    def __init__(self, path: Path | None = None):
        self.memory: dict[str, tuple[Hypothesis, ...]] = {}
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._pending: dict[str, str] = {}
        self._pending_sources: dict[str, SegmentSource] = {}

    @staticmethod
    def key(text: str, identity: Sequence[str], lang: str, num_hypotheses: int = 1) -> str:
        raw = json.dumps([PIPELINE_VERSION, text, list(identity), lang, num_hypotheses], ensure_ascii=False)
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.path))
                self._db.execute("CREATE TABLE IF NOT EXISTS translation (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                self._db.execute(SOURCE_TABLE_SQL)
            except (OSError, sqlite3.Error) as error:
                log.debug("translation cache disabled: %s", error)
                self.path = None
                self._db = None
        return self._db

    def get(self, key: str) -> tuple[Hypothesis, ...] | None:
        if key in self.memory:
            return self.memory[key]
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT value FROM translation WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        value = decode_record(row[0])
        if value is not None:
            self.memory[key] = value
        return value

    def put(self, key: str, hypotheses: Sequence[Hypothesis], source: SegmentSource | None = None) -> None:
        """Remember ``hypotheses`` under ``key``; ``source`` (what the key stands for) makes it a TM segment."""
        self.memory[key] = tuple(hypotheses)
        if self.path is not None:
            self._pending[key] = encode_record(hypotheses)
            if source is not None:
                self._pending_sources[key] = source

    def flush(self) -> None:
        if not self._pending:
            return  # nothing to write: do not create the file for nothing
        db = self._connect()
        if db is None:
            self._pending.clear()
            self._pending_sources.clear()
            return
        created = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        sources = [
            (key, s.text, json.dumps(list(s.identity), ensure_ascii=False), s.lang, s.num_hypotheses, PIPELINE_VERSION, created)
            for key, s in self._pending_sources.items()
        ]
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO translation VALUES (?, ?)", list(self._pending.items()))
                db.executemany("INSERT OR REPLACE INTO source VALUES (?, ?, ?, ?, ?, ?, ?)", sources)
        except sqlite3.Error as error:
            log.debug("translation cache not written: %s", error)
        self._pending.clear()
        self._pending_sources.clear()

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
