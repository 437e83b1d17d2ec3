"""A batch run: tasks through the supervised worker processes (or Dask), the manifest, the summary."""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from typing import IO, Callable, Sequence

from toolkit.batch.tasks import Task
from toolkit.errors import OutputError

STATUSES = ("ok", "skipped", "failed", "timeout", "crashed")
FAILED = ("failed", "timeout", "crashed")


class Manifest:
    """A JSON Lines file: one line per file, appended (O_APPEND, one write per line), flushed as it comes.

    Several runs (or processes) may append to the same manifest: each line is one
    ``write`` on a file opened with O_APPEND, so lines never interleave.
    """

    def __init__(self, path: str | os.PathLike):
        self.path = os.fspath(path)
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o666)
        except OSError as error:
            raise OutputError(f"{self.path}: cannot write the manifest ({error.strerror or error})") from None

    def write(self, line: dict) -> None:
        data = (json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n").encode("utf-8")
        os.write(self.fd, data)

    def close(self) -> None:
        os.close(self.fd)


# Manifest fields; the rest of a record (warning texts, validation problems) is for the terminal.
MANIFEST_FIELDS = ("input", "sha256", "output", "status", "notes", "warnings", "error", "seconds", "worker")
EXTRA_FIELDS = ("pages", "fragments", "translated")


def manifest_line(result: dict) -> dict:
    line = {key: result.get(key) for key in MANIFEST_FIELDS}
    line.update({key: result[key] for key in EXTRA_FIELDS if key in result})
    return line


class Progress:
    """One line on stderr, redrawn: files done of all, files per second, time left."""

    # Redraw at most this often (seconds): more flickers and costs the supervisor's loop.
    REDRAW = 0.5

    def __init__(self, total: int, label: str, stream: IO[str] | None = None):
        self.total, self.label = total, label
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.drawn = 0.0

    def advance(self) -> None:
        self.done += 1
        self.draw()

    def draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.drawn < self.REDRAW:
            return
        self.drawn = now
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate > 0 else None
        eta = "--:--" if left is None else f"{int(left) // 60:d}:{int(left) % 60:02d}"
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r{self.label} [{'#' * filled}{'-' * (width - filled)}] {self.done}/{self.total}"
                          f"  {rate:.2f} files/s  ETA {eta} ")
        self.stream.flush()

    def close(self) -> None:
        self.draw(force=True)
        self.stream.write("\n")
        self.stream.flush()


@dataclass
class BatchResult:
    results: list[dict] = field(default_factory=list)
    signum: int | None = None  # the signal that stopped the batch
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.results if r["status"] in statuses)

    @property
    def failed(self) -> list[dict]:
        return [r for r in self.results if r["status"] in FAILED]


def run_batch(tasks: Sequence[Task], *, workers: int, timeout: float | None = None, manifest: str | None = None,
              progress: Progress | None = None, dask: str | None = None,
              on_result: Callable[[dict], None] | None = None) -> BatchResult:
    """Run the tasks; every record goes to the manifest as it arrives. A stop signal ends the
    batch with the records done so far (``BatchResult.signum`` says which)."""
    from toolkit.batch.supervisor import Interrupted, Supervisor

    outcome = BatchResult()
    started = time.monotonic()
    writer = Manifest(manifest) if manifest else None

    def collect(result: dict) -> None:
        outcome.results.append(result)
        if writer is not None:
            writer.write(manifest_line(result))
        if progress is not None:
            progress.advance()
        if on_result is not None:
            on_result(result)

    tick = progress.draw if progress is not None else None
    try:
        if dask:
            from toolkit.batch.dask import run_on_dask

            run_on_dask(tasks, dask, workers=workers, timeout=timeout, on_result=collect, on_tick=tick)
        else:
            Supervisor(workers, timeout).run(tasks, collect, tick)
    except Interrupted as stop:
        outcome.signum = stop.signum
    finally:
        if writer is not None:
            writer.close()
        if progress is not None:
            progress.close()
    outcome.seconds = time.monotonic() - started
    order = {task.index: i for i, task in enumerate(tasks)}
    by_input = {task.source: task.index for task in tasks}
    outcome.results.sort(key=lambda r: order.get(by_input.get(r["input"], -1), -1))
    return outcome


def summary_line(outcome: BatchResult, verb: str, total: int) -> str:
    """"12 of 15 files extracted, 3 skipped (up to date), 2 failed (1 timeout, 1 crashed).\""""
    ok, skipped = outcome.count("ok"), outcome.count("skipped")
    failed = outcome.count(*FAILED)
    parts = [f"{ok} of {total} files {verb}"]
    if skipped:
        parts.append(f"{skipped} skipped (up to date)")
    detail = [f"{outcome.count(s)} {s}" for s in ("timeout", "crashed") if outcome.count(s)]
    parts.append(f"{failed} failed" + (f" ({', '.join(detail)})" if detail else ""))
    line = ", ".join(parts) + "."
    if outcome.signum is not None:
        import signal

        line += f" Stopped by {signal.Signals(outcome.signum).name}: {total - len(outcome.results)} files not done."
    return line
