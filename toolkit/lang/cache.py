"""lingua's answers on disk, so that a repeated run need not load its models again.

Loading lingua's high-accuracy models costs about 0.3 s of CPU per language, more than
the rest of language tagging for a whole report. Their answers (a confidence per
language) depend on nothing but the fragment, the languages compared, the accuracy mode
and lingua's version, so they are kept in SQLite under the user's cache folder
(``$XDG_CACHE_HOME/coitool/langid.sqlite3``, else ``~/.cache/coitool/``;
``COITOOL_LANGID_CACHE`` names another file, or ``off``). A run whose every fragment is
found there never loads a model.

- Keys are hashes of all four (the file holds no text of any report), values the scores
  exactly as lingua gave them (JSON keeps every float and the order of the languages).
- Bounded: past MAX_ENTRIES the least recently used answers go, in the same transaction.
- Safe under concurrent processes: every write is one transaction (write-ahead log, so
  readers never wait) that waits BUSY_TIMEOUT for another process's; a batch that still
  cannot be written is simply not kept. A damaged file is replaced by an empty one; an unusable folder turns the cache off.
  The cache never makes a run fail, nor changes an answer.
- A second table remembers the documents whose tagging found everything it needed here,
  so that extracting one of them again does not even start loading models in the
  background (see :mod:`toolkit.lang.modelproc`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterable, Sequence

log = logging.getLogger(__name__)

SCHEMA = "1"  # part of every key: bump when what is stored changes meaning
CACHE_FILE = "langid.sqlite3"
# About 120 bytes a row with its index: 200,000 answers (the short and title fragments of some
# 500 reports) stay under 25 MB. Past that, the least recently used fifth goes at once, so
# that pruning happens once in many writes, not on every one.
MAX_ENTRIES = 200_000
MAX_DOCUMENTS = 20_000
PRUNE_TO = 0.8
# Last use is stamped at most once per this many seconds, so that a run finding everything
# it needs (the same report again) only reads.
USED_RESOLUTION = 3600
BUSY_TIMEOUT = 2.0  # seconds a write waits for another process's before giving up on the batch
_BATCH = 500  # keys per SELECT, below SQLite's limit on bound parameters

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS scores (key BLOB PRIMARY KEY, value TEXT NOT NULL, used INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS scores_used ON scores (used);
CREATE TABLE IF NOT EXISTS documents (key BLOB PRIMARY KEY, used INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS documents_used ON documents (used);
"""
_TABLES = {"scores": MAX_ENTRIES, "documents": MAX_DOCUMENTS}


def default_path() -> Path | None:
    """Where the cache lives: COITOOL_LANGID_CACHE, else the user's cache folder; None when turned off."""
    setting = os.environ.get("COITOOL_LANGID_CACHE", "").strip()
    if setting.lower() in ("off", "0", "no", "false", "none"):
        return None
    if setting:
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "coitool" / CACHE_FILE


def make_key(*parts: object) -> bytes:
    """A compact key for everything an answer depends on."""
    raw = json.dumps([SCHEMA, *parts], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).digest()[:16]


class ScoreCache:
    """Scores by key in one SQLite file, opened on first use, shared by the threads of a process."""

    def __init__(self, path: Path, max_entries: int = MAX_ENTRIES, max_documents: int = MAX_DOCUMENTS) -> None:
        self.path = Path(path)
        self.limits = {"scores": max_entries, "documents": max_documents}
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        self._pid: int | None = None
        self._broken = False

    # --- connection --------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._broken:
            return None
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None  # a connection inherited through fork must not be used by the child
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            db = self._open()
        except sqlite3.OperationalError as error:  # locked for longer than BUSY_TIMEOUT, read-only, …
            log.debug("language cache not available now: %s", error)
            return None
        except sqlite3.DatabaseError as error:  # not a database, or damaged
            log.warning("language cache %s is damaged (%s); starting a new one", self.path, error)
            db = self._replace()
        except OSError as error:
            log.debug("language cache disabled: %s", error)
            self._broken = True
            return None
        self._db, self._pid = db, os.getpid()
        return db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            # Write-ahead log: readers never wait for a writer, and a commit needs no fsync (a
            # crash may lose the last answers, never the file's consistency). A cache can afford that.
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA_SQL)
        except BaseException:
            db.close()
            raise
        return db

    def _replace(self) -> sqlite3.Connection | None:
        """An empty cache in place of a damaged one, swapped in by a rename: other processes keep theirs."""
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            os.close(fd)
            try:
                fresh = sqlite3.connect(tmp)
                try:
                    fresh.executescript(_SCHEMA_SQL)
                finally:
                    fresh.close()
                for suffix in ("-wal", "-shm"):  # the old file's log would be replayed into the new one
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                os.replace(tmp, self.path)
            finally:
                Path(tmp).unlink(missing_ok=True)
            return self._open()
        except (OSError, sqlite3.Error) as error:
            log.debug("language cache disabled: %s", error)
            self._broken = True
            return None

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    # --- reading and writing ------------------------------------------------------------------

    def get_many(self, keys: Sequence[bytes]) -> dict[bytes, dict[str, float]]:
        """The stored scores of those ``keys`` that are there; a row that cannot be read is a miss."""
        found: dict[bytes, dict[str, float]] = {}
        with self._lock:
            db = self._connect()
            if db is None or not keys:
                return found
            try:
                for start in range(0, len(keys), _BATCH):
                    chunk = list(keys[start : start + _BATCH])
                    rows = db.execute(
                        f"SELECT key, value FROM scores WHERE key IN ({','.join('?' * len(chunk))})", chunk
                    ).fetchall()
                    for key, value in rows:
                        scores = _decode(value)
                        if scores is not None:
                            found[key] = scores
                self._touch(db, "scores", list(found))
            except sqlite3.Error as error:
                self._failed(error, "not read")
        return found

    def put_many(self, items: dict[bytes, dict[str, float]]) -> bool:
        """Store ``items`` in one transaction; False when they could not be kept."""
        if not items:
            return True
        now = int(time.time())
        rows = [(key, json.dumps(scores, separators=(",", ":")), now) for key, scores in items.items()]
        return self._write("scores", "INSERT OR REPLACE INTO scores (key, value, used) VALUES (?, ?, ?)", rows)

    def has_document(self, key: bytes) -> bool:
        with self._lock:
            db = self._connect()
            if db is None:
                return False
            try:
                return db.execute("SELECT 1 FROM documents WHERE key = ?", (key,)).fetchone() is not None
            except sqlite3.Error as error:
                self._failed(error, "not read")
                return False

    def add_document(self, key: bytes) -> bool:
        return self._write("documents", "INSERT OR REPLACE INTO documents (key, used) VALUES (?, ?)", [(key, int(time.time()))])

    def count(self, table: str = "scores") -> int:
        with self._lock:
            db = self._connect()
            return 0 if db is None else db.execute(f"SELECT count(*) FROM {_table(table)}").fetchone()[0]

    def _write(self, table: str, sql: str, rows: list[tuple]) -> bool:
        with self._lock:
            db = self._connect()
            if db is None:
                return False
            try:
                db.execute("BEGIN IMMEDIATE")
                try:
                    db.executemany(sql, rows)
                    self._prune(db, table)
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
                return True
            except sqlite3.Error as error:
                self._failed(error, "not written")
                return False

    def _failed(self, error: sqlite3.Error, what: str) -> None:
        """A busy or read-only cache is skipped this time; a damaged one is replaced on the next use."""
        if isinstance(error, sqlite3.OperationalError) or not isinstance(error, sqlite3.DatabaseError):
            log.debug("language cache %s: %s", what, error)
            return
        log.warning("language cache %s is damaged (%s); starting a new one", self.path, error)
        if self._db is not None:
            self._db.close()
        self._db = self._replace()
        self._pid = os.getpid()

    def _prune(self, db: sqlite3.Connection, table: str) -> None:
        limit = self.limits[table]
        total = db.execute(f"SELECT count(*) FROM {_table(table)}").fetchone()[0]
        if total > limit:
            excess = total - int(limit * PRUNE_TO)
            db.execute(f"DELETE FROM {table} WHERE key IN (SELECT key FROM {table} ORDER BY used LIMIT ?)", (excess,))

    def _touch(self, db: sqlite3.Connection, table: str, keys: Iterable[bytes]) -> None:
        """Stamp the last use of ``keys``, skipping those stamped within USED_RESOLUTION (no write at all then)."""
        keys = list(keys)
        now = int(time.time())
        stale = []
        for start in range(0, len(keys), _BATCH):
            chunk = keys[start : start + _BATCH]
            stale += [
                row[0]
                for row in db.execute(
                    f"SELECT key FROM {table} WHERE used < ? AND key IN ({','.join('?' * len(chunk))})",
                    [now - USED_RESOLUTION, *chunk],
                )
            ]
        if not stale:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", [(now, key) for key in stale])
            db.execute("COMMIT")
        except sqlite3.OperationalError as error:  # another process is writing: the stamp can wait
            if db.in_transaction:
                db.execute("ROLLBACK")
            log.debug("language cache: last use not stamped: %s", error)


def _table(name: str) -> str:
    if name not in _TABLES:
        raise ValueError(f"no table {name!r}")
    return name


def _decode(raw: str) -> dict[str, float] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, float) for k, v in value.items()):
        return None
    return value


_default: ScoreCache | None = None
_default_path: Path | None = None
_default_lock = threading.Lock()


def default_cache() -> ScoreCache | None:
    """The process's cache at :func:`default_path`, None when turned off (the setting is read each time)."""
    global _default, _default_path
    path = default_path()
    with _default_lock:
        if path is None:
            return None
        if _default is None or path != _default_path:
            _default, _default_path = ScoreCache(path), path
        return _default
