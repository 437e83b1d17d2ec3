"""The same batch on dask.distributed: a scheduler address, or a local cluster of processes.

Each file is one task running :func:`toolkit.batch.tasks.run_task` on a worker (which
reads the input and writes the output itself: local paths the workers share, or fsspec
URLs). The manifest, the skip rules and the statuses are those of the process pool:

- a task that raises is ``failed`` (run_task catches the file's own problems already);
- a worker that dies during a task: Dask would retry the task on another worker, up to
  ``allowed-failures`` times, and a file that crashes its worker would take several
  workers down. The local cluster runs with ``allowed-failures: 0`` and one task per
  worker thread (``worker-saturation: 1.0``), so the scheduler gives up on the task at
  once (``KilledWorker``); since a task queued on the same worker could share that
  fate, a killed task is submitted once more, and the file is ``crashed`` only when it
  kills a worker a second time. A remote scheduler keeps its own configuration
  (docs/batch.md says how to set the same there);
- ``timeout``: a task running longer (first seen processing on a worker) is cancelled
  and its worker restarted by its nanny; the file is ``timeout``;
- SIGINT/SIGTERM: every future is cancelled and a local cluster shut down (its worker
  processes end); on a remote cluster a task already running finishes on its own.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import uuid
from typing import Callable, Sequence

from toolkit.batch.supervisor import TICK, Interrupted
from toolkit.batch.tasks import Task, record, run_task

log = logging.getLogger(__name__)

# Scheduler settings for the local cluster (see the module's docstring).
LOCAL_SCHEDULER_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    "distributed.scheduler.worker-saturation": 1.0,
}
# How many times a task that killed its worker is submitted again before it is "crashed".
CRASH_RETRIES = 1


def dask_task(task: Task) -> dict:
    """A file's work on a Dask worker; the manifest names the worker by its address."""
    from distributed import get_worker

    try:
        address = get_worker().address
    except ValueError:
        address = None
    return run_task(task, worker=address)


def run_on_dask(tasks: Sequence[Task], address: str, *, workers: int, timeout: float | None,
                on_result: Callable[[dict], None], on_tick: Callable[[], None] | None = None) -> None:
    import dask
    from distributed import Client, KilledWorker, LocalCluster, wait

    stop: list[int] = []

    def on_signal(signum, frame):
        stop.append(signum)

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    cluster = client = None
    config = dask.config.set(LOCAL_SCHEDULER_CONFIG) if address == "local" else None
    try:
        # The scheduler logs every worker it loses as an error; the manifest and the summary say it.
        logging.getLogger("distributed").setLevel(logging.CRITICAL)
        if config is not None:
            config.__enter__()
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(cluster)
        else:
            client = Client(address)
        run = uuid.uuid4().hex[:8]
        futures = {}
        attempts: dict[int, int] = {}

        def submit(task: Task) -> None:
            attempt = attempts.get(task.index, 0)
            future = client.submit(dask_task, task, key=f"coitool-{run}-{task.index}-{attempt}", pure=False, retries=0)
            futures[future] = task

        for task in tasks:
            submit(task)
        started: dict[str, float] = {}
        while futures:
            if stop:
                raise Interrupted(stop[0])
            try:
                done = wait(list(futures), timeout=TICK, return_when="FIRST_COMPLETED").done
            except TimeoutError:  # nothing finished within the tick
                done = set()
            for future in done:
                task = futures.pop(future)
                if future.status == "finished":
                    on_result(future.result())
                elif future.status == "cancelled":
                    continue
                else:
                    error = future.exception()
                    if isinstance(error, KilledWorker):
                        attempts[task.index] = attempts.get(task.index, 0) + 1
                        if attempts[task.index] <= CRASH_RETRIES:
                            submit(task)
                            continue
                        on_result(record(task, "crashed", error=f"{task.source}: the worker running it died "
                                         f"{attempts[task.index]} times", worker="dask"))
                    else:
                        on_result(record(task, "failed", error=f"{task.source}: {error.__class__.__name__}: {error}"))
            if timeout and futures:
                _enforce_timeout(client, futures, started, timeout, on_result)
            if on_tick is not None:
                on_tick()
        if stop:
            raise Interrupted(stop[0])
    finally:
        if client is not None:
            try:
                for future in list(locals().get("futures", {})):
                    future.cancel()
            except Exception:  # the cluster may be gone already
                pass
            client.close()
        if cluster is not None:
            cluster.close()
        if config is not None:
            config.__exit__(None, None, None)
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _enforce_timeout(client, futures: dict, started: dict, timeout: float, on_result) -> None:
    """Cancel the tasks processing longer than ``timeout`` and restart their workers."""
    now = time.monotonic()
    by_key = {future.key: future for future in futures}
    overdue_workers = []
    for worker, keys in client.processing().items():
        for key in keys:
            if key not in by_key:
                continue
            first = started.setdefault(key, now)
            if now - first >= timeout:
                future = by_key[key]
                task = futures.pop(future)
                future.cancel()
                on_result(record(task, "timeout", error=f"{task.source}: no result within {timeout:g} s; its worker was restarted",
                                 seconds=now - first, worker=worker))
                overdue_workers.append(worker)
    if overdue_workers:
        try:
            client.restart_workers(overdue_workers, raise_for_error=False)
        except Exception as error:  # a worker without a nanny cannot be restarted: it finishes the task
            log.warning("could not restart %s: %s", ", ".join(overdue_workers), error)
