"""Worker processes that may crash, hang or be killed without taking the batch with them.

``concurrent.futures.ProcessPoolExecutor`` breaks as a whole when one of its processes
dies. Here each worker is a ``multiprocessing`` process (spawn context: no state inherited
from the parent, no locks held by a forked thread) with a pipe of its own; the supervisor
hands one task at a time to each idle worker and waits on the pipes, the processes'
sentinels and the nearest deadline together:

- a result on a pipe: the file is done, the worker takes the next one;
- a process that ended without a result (SIGKILL, ``os._exit``, a segfault): its file is
  recorded ``crashed`` and a fresh worker takes its place;
- a deadline passed (``timeout``): the worker is killed, the file recorded ``timeout``,
  and a fresh worker takes its place;
- a stop (SIGINT, SIGTERM to the batch): every worker is stopped (SIGTERM, then SIGKILL
  after STOP_GRACE), temporary files a killed worker left beside its output are removed,
  and :class:`Interrupted` is raised with the signal's number.
"""

from __future__ import annotations

import glob
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Sequence

from toolkit.batch.tasks import Task, record, run_task

log = logging.getLogger(__name__)

# How often the supervisor wakes up when nothing happens: to see a stop signal and to
# redraw the progress bar (a tenth of a second would redraw more than anyone can read).
TICK = 0.25
# A stopped worker gets this long to leave (removing its temporary file) before SIGKILL.
STOP_GRACE = 3.0


class Interrupted(Exception):
    """The batch was stopped by a signal (``signum``)."""

    def __init__(self, signum: int):
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


def _worker_main(conn) -> None:
    """A worker: take tasks from the pipe until it says stop (None) or closes."""
    # Ctrl-C reaches the whole process group; the supervisor decides what stops and how.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # SIGTERM from the supervisor: leave through Python, so a temporary output is removed.
    signal.signal(signal.SIGTERM, _exit_on_term)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the supervisor is gone
        if task is None:
            return
        result = run_task(task)
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


def _exit_on_term(signum, frame):
    raise SystemExit(128 + signum)


@dataclass
class _Slot:
    process: multiprocessing.Process
    conn: object
    task: Task | None = None
    deadline: float | None = None
    started: float = 0.0


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit status {code}"


def remove_leftovers(task: Task) -> None:
    """Temporary files (toolkit.io.atomic_path: ".<name>.*.tmp") a killed worker left beside its output."""
    if task.target is None or "://" in task.target:
        return
    folder, name = os.path.split(task.target)
    for leftover in glob.glob(os.path.join(glob.escape(folder or "."), f".{glob.escape(name)}.*.tmp")):
        try:
            os.unlink(leftover)
        except OSError:
            pass


class Supervisor:
    def __init__(self, workers: int, timeout: float | None = None, context: str = "spawn"):
        self.workers = max(1, workers)
        self.timeout = timeout
        self.context = multiprocessing.get_context(context)
        self.slots: list[_Slot] = []
        self.stop_signal: int | None = None

    # -- processes --------------------------------------------------------------------
    def _start(self) -> _Slot:
        parent, child = self.context.Pipe(duplex=True)
        process = self.context.Process(target=_worker_main, args=(child,), daemon=True, name="coitool-worker")
        process.start()
        child.close()
        return _Slot(process, parent)

    def _kill(self, slot: _Slot) -> None:
        try:
            slot.process.kill()
        except (OSError, ValueError):
            pass
        slot.process.join(STOP_GRACE)
        slot.conn.close()

    def stop_all(self) -> None:
        """Stop every worker: SIGTERM, then SIGKILL after STOP_GRACE; no process outlives this."""
        for slot in self.slots:
            if slot.process.is_alive():
                slot.process.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for slot in self.slots:
            slot.process.join(max(0.0, deadline - time.monotonic()))
            if slot.process.is_alive():
                slot.process.kill()
                slot.process.join()
            if slot.task is not None:
                remove_leftovers(slot.task)
            slot.conn.close()
        self.slots = []

    # -- signals ----------------------------------------------------------------------
    def _on_signal(self, signum, frame) -> None:
        self.stop_signal = signum

    def _install_signals(self) -> dict:
        if threading.current_thread() is not threading.main_thread():
            return {}
        return {signum: signal.signal(signum, self._on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}

    # -- the loop ---------------------------------------------------------------------
    def run(self, tasks: Sequence[Task], on_result: Callable[[dict], None], on_tick: Callable[[], None] | None = None) -> None:
        """Run ``tasks``; call ``on_result`` with each file's record as it comes (in the calling process)."""
        pending = deque(tasks)
        previous = self._install_signals()
        try:
            while pending or any(slot.task is not None for slot in self.slots):
                if self.stop_signal is not None:
                    raise Interrupted(self.stop_signal)
                self._dispatch(pending)
                self._wait_once(on_result)
                if on_tick is not None:
                    on_tick()
            if self.stop_signal is not None:
                raise Interrupted(self.stop_signal)
            for slot in self.slots:
                try:
                    slot.conn.send(None)
                except OSError:
                    pass
            for slot in self.slots:
                slot.process.join(STOP_GRACE)
        finally:
            self.stop_all()
            for signum, handler in previous.items():
                signal.signal(signum, handler)

    def _dispatch(self, pending: deque) -> None:
        while len(self.slots) < min(self.workers, len(pending) + sum(s.task is not None for s in self.slots)):
            self.slots.append(self._start())
        for slot in self.slots:
            if slot.task is None and pending:
                task = pending.popleft()
                slot.task = task
                slot.started = time.monotonic()
                slot.deadline = time.monotonic() + self.timeout if self.timeout else None
                try:
                    slot.conn.send(task)
                except OSError:
                    pass  # the worker died already: its sentinel says so below

    def _wait_once(self, on_result: Callable[[dict], None]) -> None:
        busy = [slot for slot in self.slots if slot.task is not None]
        if not busy:
            return
        now = time.monotonic()
        deadlines = [slot.deadline for slot in busy if slot.deadline is not None]
        timeout = min([TICK] + [max(0.0, d - now) for d in deadlines])
        waitables = {}
        for slot in busy:
            waitables[slot.conn] = slot
            waitables[slot.process.sentinel] = slot
        ready = wait(list(waitables), timeout)
        handled: set[int] = set()
        for item in ready:
            slot = waitables[item]
            if id(slot) in handled or slot.task is None:
                continue
            handled.add(id(slot))
            self._collect(slot, on_result)
        now = time.monotonic()
        for slot in list(self.slots):
            if slot.task is not None and slot.deadline is not None and now >= slot.deadline and id(slot) not in handled:
                task = slot.task
                self._replace(slot)
                remove_leftovers(task)
                on_result(record(task, "timeout", error=f"{task.source}: no result within {self.timeout:g} s; its worker was stopped",
                                 seconds=self.timeout or 0.0, worker=str(slot.process.pid)))

    def _collect(self, slot: _Slot, on_result: Callable[[dict], None]) -> None:
        task = slot.task
        try:
            if slot.conn.poll():
                result = slot.conn.recv()
                slot.task = slot.deadline = None
                on_result(result)
                return
        except (EOFError, OSError):
            pass
        if slot.process.is_alive():
            slot.process.join(TICK)  # the pipe closed as the process ends: let it finish ending
            if slot.process.is_alive():
                return
        code = slot.process.exitcode
        self._replace(slot)
        remove_leftovers(task)
        on_result(record(task, "crashed", error=f"{task.source}: the worker process ended ({describe_exit(code)})",
                         seconds=time.monotonic() - slot.started, worker=str(slot.process.pid)))

    def _replace(self, slot: _Slot) -> None:
        """Kill ``slot``'s process; the next dispatch starts a fresh one in its place."""
        self._kill(slot)
        self.slots.remove(slot)
