"""One file of a batch, as a worker (a supervised process or a Dask worker) runs it.

:func:`run_task` reads the input, decides whether the output is up to date, runs
:mod:`toolkit.api` on the bytes, writes the output and returns the file's manifest record.
It never raises for a problem with the file: the record says ``failed`` and why.

Test hooks (for the batch tests only, never set in production): with
``COITOOL_TEST_CRASH_ON=<file name>`` the worker that takes that input kills itself with
SIGKILL, as a segfault or the OOM killer would; with ``COITOOL_TEST_SLEEP_ON=<file
name>:<seconds>`` it sleeps that long before the work, as a file that hangs would.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import time
from dataclasses import dataclass, field

from toolkit.errors import CoitoolError
from toolkit.batch.inputs import is_url

log = logging.getLogger(__name__)

CRASH_HOOK = "COITOOL_TEST_CRASH_ON"  # test hook: see the module's docstring
SLEEP_HOOK = "COITOOL_TEST_SLEEP_ON"  # test hook: see the module's docstring

EXTRACT, TRANSLATE, VALIDATE = "extract", "translate", "validate"


@dataclass
class Task:
    index: int
    kind: str  # extract, translate or validate
    source: str
    target: str | None  # None: validate writes nothing
    options: dict = field(default_factory=dict)
    skip_existing: bool = False


def record(task: Task, status: str, *, sha256: str | None = None, error: str | None = None,
           seconds: float = 0.0, worker: str | None = None, **extra) -> dict:
    """A manifest line: the same fields for every status."""
    line = {
        "input": task.source, "sha256": sha256, "output": task.target, "status": status,
        "notes": extra.pop("notes", None), "warnings": extra.pop("warnings", 0), "error": error,
        "seconds": round(seconds, 3), "worker": worker or str(os.getpid()),
    }
    line.update(extra)
    return line


def read_bytes(source: str) -> bytes:
    if is_url(source):
        import fsspec

        try:
            with fsspec.open(source, "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            raise CoitoolError(f"{source}: no such file") from None
        except OSError as error:
            raise CoitoolError(f"{source}: cannot read ({error})") from None
    from pathlib import Path

    path = Path(source)
    if not path.exists():
        raise CoitoolError(f"{source}: no such file")
    if path.is_dir():
        raise CoitoolError(f"{source}: is a directory")
    try:
        return path.read_bytes()
    except OSError as error:
        raise CoitoolError(f"{source}: cannot read the file ({error.strerror or error})") from None


def write_bytes(data: bytes, target: str) -> None:
    """Write an output: locally through a temporary file and a rename, else through fsspec."""
    if is_url(target):
        import fsspec

        with fsspec.open(target, "wb") as handle:  # object stores make a file visible only once complete
            handle.write(data)
        return
    from toolkit.io import write_atomic

    write_atomic(data, target)


def up_to_date(task: Task, sha256: str) -> bool:
    """Whether the task's output exists and was made from this input, by this version, with these options."""
    from toolkit import __version__
    from toolkit.tei.header import read_header_record
    from toolkit.tei.write import options_note, tool_name

    if task.target is None:
        return False
    if is_url(task.target):
        import fsspec

        try:
            with fsspec.open(task.target, "rb") as handle:
                found = read_header_record(handle)
        except OSError:
            return False
    else:
        found = read_header_record(task.target)
    if found is None:
        return False
    run = found.extraction if task.kind == EXTRACT else found.translation
    return run.sha256 == sha256 and run.tool == tool_name(__version__) and run.options == options_note(task.options["record"])


def _test_hooks(name: str) -> None:
    if os.environ.get(CRASH_HOOK) == name:
        os.kill(os.getpid(), signal.SIGKILL)
    hook = os.environ.get(SLEEP_HOOK, "")
    if hook:
        hook_name, _, seconds = hook.rpartition(":")
        if hook_name == name:
            time.sleep(float(seconds))


def run_task(task: Task, worker: str | None = None) -> dict:
    """Do one file; return its manifest record (never raises for a problem with the file)."""
    started = time.perf_counter()
    sha256 = None
    try:
        data = read_bytes(task.source)
        sha256 = hashlib.sha256(data).hexdigest()
        if task.skip_existing and up_to_date(task, sha256):
            return record(task, "skipped", sha256=sha256, seconds=time.perf_counter() - started, worker=worker)
        name = task.source.rstrip("/").rsplit("/", 1)[-1]
        _test_hooks(name)
        extra = _work(task, data, name)
        return record(task, "ok", sha256=sha256, seconds=time.perf_counter() - started, worker=worker, **extra)
    except CoitoolError as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else error.__class__.__name__
        extra = {"problems": error.problems} if isinstance(error, Invalid) else {}
        return record(task, "failed", sha256=sha256, error=message, seconds=time.perf_counter() - started,
                      worker=worker, **extra)
    except MemoryError:
        return record(task, "failed", sha256=sha256, error=f"{task.source}: out of memory",
                      seconds=time.perf_counter() - started, worker=worker)
    except Exception as error:  # a bug of ours must not stop the other files
        log.debug("unexpected error", exc_info=True)
        return record(task, "failed", sha256=sha256, error=f"{task.source}: internal error ({error.__class__.__name__}: {error})",
                      seconds=time.perf_counter() - started, worker=worker)


def _work(task: Task, data: bytes, name: str) -> dict:
    from toolkit import api

    options = dict(task.options)
    options.pop("record", None)
    if task.kind == EXTRACT:
        result = api.extract_bytes(data, name, label=task.source, **options)
        write_bytes(result.data, task.target)
        return {"notes": result.summary["notes"], "pages": result.summary["pages"],
                "warnings": result.summary["warnings"], "messages": result.warnings}
    if task.kind == TRANSLATE:
        to = options.pop("to")
        result = api.translate_bytes(data, task.source, to, **options)
        write_bytes(result.data, task.target)
        return {"fragments": result.summary["fragments"], "translated": result.summary["translated"],
                "warnings": result.summary["warnings"], "messages": result.warnings}
    if task.kind == VALIDATE:
        return _validate(task, data, options)
    raise CoitoolError(f"unknown task {task.kind!r}")


# The problems a failed validation names in its error (the manifest line stays short), and
# the most it reports at all (as `coitool validate` always printed).
PROBLEMS_SHOWN = 3
PROBLEMS_KEPT = 50


class Invalid(CoitoolError):
    """A TEI file with problems; ``problems`` lists them (at most PROBLEMS_KEPT)."""

    def __init__(self, message: str, problems: list[str]):
        super().__init__(message)
        self.problems = problems


def _validate(task: Task, data: bytes, options: dict) -> dict:
    from lxml import etree

    from toolkit.errors import ValidationError
    from toolkit.io import safe_xml_parser
    from toolkit.tei import validate_tei

    try:
        tree = etree.fromstring(data, safe_xml_parser()).getroottree()
    except etree.XMLSyntaxError as error:
        raise ValidationError(f"{task.source}: not well-formed XML ({error})") from None
    problems = validate_tei(tree, full=options.get("schema", True))
    if problems:
        raise Invalid(f"{task.source}: {len(problems)} problems: " + "; ".join(problems[:PROBLEMS_SHOWN]),
                      problems[:PROBLEMS_KEPT] + ([f"… {len(problems) - PROBLEMS_KEPT} more problems"]
                                                  if len(problems) > PROBLEMS_KEPT else []))
    return {"problems": 0}
