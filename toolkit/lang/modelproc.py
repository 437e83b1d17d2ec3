"""lingua's models, loaded in a second process while the main one reads the PDF.

lingua holds the GIL while it loads its models (about 0.3 s of CPU per language for the
high-accuracy ones), so a thread cannot overlap that with reading the PDF; a second
process, on the second core, can. :func:`start` launches it at the beginning of an
extraction and tells it what the tagging may ask about: the trigram models of the
document's languages and of the wider check, then the high-accuracy models language by
language. Between two of those steps it answers any request that has arrived; a request
for models it has not loaded yet loads them first, as lingua does in process. The main
process sends each batch of fragments as one request and gets lingua's scores back
unchanged (JSON keeps every float and the order of the languages), so the tagging is
the same wherever the models ran.

- One such process per process that extracts (each batch worker has its own), started by
  the first extraction and reused by the next ones; none where there is no second core to
  overlap with, once the main process has the models itself, or with
  ``COITOOL_LANGID_PROCESS=off``.
- It reads requests from a pipe and exits when that pipe closes, so it never outlives the
  process that started it (after a crash, within the model load in progress); the
  starting process also ends it at exit. It writes nothing to the terminal.
- If it dies, cannot start or does not answer within REPLY_TIMEOUT, the engine loads
  the models in the main process instead and the run goes on: slower, same answers.
- A document whose tagging found every answer in the cache last time
  (:mod:`toolkit.lang.cache`) loads nothing in advance: the process is started, checks the
  cache and waits.

It is started with this module's :func:`main`; it is not a command for users.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import select
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Sequence

log = logging.getLogger(__name__)

# A generous bound: loading three languages takes about 1 s of CPU, several seconds of wall
# time on a busy machine. Past it the process is taken for hung and the work done in process.
REPLY_TIMEOUT = 60.0
STOP_TIMEOUT = 1.0  # at exit, how long to wait for the process to end after being told to
MIN_CORES = 2  # on one core a second process cannot overlap anything
# Cores left idle by the last minute's load average (which counts this process) for the second
# process to run on. On a busier machine (a batch with as many workers as cores, other
# programs) it only competes with the main process: bench_langid.py measured it slower there.
IDLE_CORES = 1.0

# Started with -c rather than -m so that the current folder is not on its path: the toolkit
# package it imports is the one that started it.
_BOOT = (
    "import sys\n"
    "root = {root!r}\n"
    "sys.path[0:1] = [] if root in sys.path[1:] else [root]\n"
    "from toolkit.lang.modelproc import main\n"
    "main()\n"
)


def wanted() -> bool:
    """Whether a background process can help here: a second core that is idle, POSIX pipes.

    ``COITOOL_LANGID_PROCESS=off`` never starts one, ``on`` skips the check of the load.
    """
    setting = os.environ.get("COITOOL_LANGID_PROCESS", "").strip().lower()
    if setting in ("off", "0", "no", "false") or os.name != "posix":
        return False
    if setting in ("on", "1", "yes", "true"):
        return True
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = 0.0
    # Busy cores gain nothing from a second process: it takes its CPU from the main one.
    return cores >= MIN_CORES and cores - load >= IDLE_CORES


class ModelProcess:
    """The main process's side: requests out, scores back, one at a time."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])  # the folder that holds this toolkit package
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = subprocess.Popen(
            [sys.executable, "-c", _BOOT.format(root=root)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
        self.pid = self._proc.pid
        self.requests = 0

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def plan(self, steps: Sequence[tuple[bool, Sequence[str]]], document: dict | None = None) -> None:
        """Ask for models to be loaded in advance: (high accuracy?, languages) per step. No answer."""
        with self._lock:
            self._send({"plan": [[accurate, list(languages)] for accurate, languages in steps], "document": document})

    def status(self) -> dict | None:
        """The steps loaded in advance so far and those still to come (for tests and benchmarks)."""
        with self._lock:
            return self._receive() if self._send({"status": True}) else None

    def scores(self, texts: Sequence[str], languages: Sequence[str], accurate: bool) -> list[dict[str, float]] | None:
        """lingua's scores for ``texts``, or None when the process failed (it is then stopped)."""
        self.requests += 1
        with self._lock:
            sent = self._send({"texts": list(texts), "languages": list(languages), "accurate": accurate})
            reply = self._receive() if sent else None
        if reply is None or "scores" not in reply or len(reply["scores"]) != len(texts):
            log.debug("language model process failed (%s); loading the models here", reply and reply.get("error"))
            self.stop()
            return None
        return reply["scores"]

    def _send(self, message: dict) -> bool:
        if not self.alive:
            return False
        try:
            self._proc.stdin.write(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")
            self._proc.stdin.flush()
            return True
        except (OSError, ValueError):
            return False

    def _receive(self) -> dict | None:
        out = self._proc.stdout
        try:
            ready, _, _ = select.select([out], [], [], REPLY_TIMEOUT)
            line = out.readline() if ready else b""  # one reply is one line, written at once
        except (OSError, ValueError):
            return None
        try:
            return json.loads(line) if line.endswith(b"\n") else None
        except ValueError:
            return None

    def stop(self) -> None:
        """End the process and reap it; safe to call more than once."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        for stream in (proc.stdin, proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        if proc.poll() is None:
            proc.terminate()  # no handler there: ends at once, even inside a model load
            try:
                proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def forget(self) -> None:
        """In a forked child: drop the parent's process without touching it, closing our copies of its pipes."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.returncode = 0  # so that the child's Popen never waits for, or signals, the parent's process
            for stream in (proc.stdin, proc.stdout):
                try:
                    stream.close()  # nothing is left unflushed: every message is flushed under the lock
                except (OSError, ValueError):
                    pass


_current: ModelProcess | None = None
_current_lock = threading.Lock()
_hooks_installed = False


def current() -> ModelProcess | None:
    """The running model process of this process, if any."""
    proc = _current
    return proc if proc is not None and proc.alive else None


def start(steps: Sequence[tuple[bool, Sequence[str]]], document: dict | None = None) -> ModelProcess | None:
    """Start this process's model process (or reuse it) and ask it to load ``steps`` in advance."""
    global _current, _hooks_installed
    with _current_lock:
        if _current is None or not _current.alive:
            try:
                _current = ModelProcess()
            except OSError as error:
                log.debug("no language model process (%s); models load here", error)
                _current = None
                return None
            if not _hooks_installed:
                _install_hooks()
                _hooks_installed = True
        proc = _current
    proc.plan(steps, document)
    return proc


def stop() -> None:
    """End this process's model process, if it has one (also done at exit)."""
    global _current
    with _current_lock:
        proc, _current = _current, None
    if proc is not None:
        proc.stop()


def _install_hooks() -> None:
    atexit.register(stop)
    os.register_at_fork(after_in_child=_after_fork_in_child)
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None and multiprocessing.parent_process() is not None:
        # A pool worker ends with os._exit, past atexit; its own exit function still runs this.
        from multiprocessing.util import Finalize

        Finalize(None, stop, exitpriority=10)


def _after_fork_in_child() -> None:
    global _current, _current_lock
    _current_lock = threading.Lock()
    proc, _current = _current, None
    if proc is not None:
        proc.forget()


# --- the model process itself -------------------------------------------------------------------


class _Preloader:
    """Steps of models to load, done one by one between requests."""

    def __init__(self) -> None:
        self.pending: list[tuple[bool, tuple[str, ...]]] = []
        self.done: set[tuple[bool, tuple[str, ...]]] = set()

    def plan(self, message: dict) -> None:
        document = message.get("document")
        if document and _document_cached(document):
            return  # tagged before with every answer cached: nothing to load in advance
        for accurate, languages in message.get("plan", []):
            step = (bool(accurate), tuple(languages))
            if step not in self.done and step not in self.pending:
                self.pending.append(step)

    def step(self) -> None:
        from toolkit.lang.identify import preload_lingua

        accurate, languages = step = self.pending.pop(0)
        self.done.add(step)
        try:
            preload_lingua(languages, accurate=accurate)
        except Exception:  # a request for them will say what is wrong
            pass


def _document_cached(document: dict) -> bool:
    from toolkit.io import sha256_of
    from toolkit.lang.cache import ScoreCache, make_key

    try:
        digest = sha256_of(document["source"])
        cache = ScoreCache(Path(document["cache"]))
        return cache.has_document(make_key("document", digest, *document["identity"]))
    except (OSError, KeyError, TypeError, ValueError):
        return False


class _Requests:
    """Lines from a pipe, read unbuffered so that "is a request waiting?" has a true answer."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = bytearray()

    def waiting(self) -> bool:
        return b"\n" in self.buffer or bool(select.select([self.fd], [], [], 0)[0])

    def readline(self) -> bytes:
        """The next line, b"" once the pipe is closed."""
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return b""
            self.buffer += chunk
        end = self.buffer.index(b"\n") + 1
        line = bytes(self.buffer[:end])
        del self.buffer[:end]
        return line


def serve(requests: _Requests, replies: IO[bytes]) -> None:
    """Answer requests until the pipe closes, loading planned models whenever none is waiting."""
    from toolkit.lang.identify import lingua_scores

    preloader = _Preloader()
    while True:
        if preloader.pending and not requests.waiting():
            preloader.step()
            continue
        line = requests.readline()
        if not line:
            return  # the main process has closed the pipe, or ended
        try:
            message = json.loads(line)
            if "plan" in message:
                preloader.plan(message)
                continue
            if "status" in message:
                replies.write(json.dumps({"loaded": sorted(preloader.done), "pending": preloader.pending}).encode() + b"\n")
                replies.flush()
                continue
            reply = {"scores": lingua_scores(message["texts"], message["languages"], accurate=bool(message["accurate"]))}
        except Exception as error:  # reported to the main process, which then works without us
            reply = {"error": f"{error.__class__.__name__}: {error}"}
        replies.write(json.dumps(reply).encode("utf-8") + b"\n")
        replies.flush()


def main() -> None:
    try:
        serve(_Requests(sys.stdin.fileno()), sys.stdout.buffer)
    except (KeyboardInterrupt, BrokenPipeError, OSError):
        pass


if __name__ == "__main__":
    main()
