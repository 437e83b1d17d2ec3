"""Archive-scale batches: many files through supervised worker processes or a Dask cluster.

:mod:`.inputs` finds the inputs and mirrors their tree under the output folder;
:mod:`.tasks` is one file's work in a worker (skip when up to date, run
:mod:`toolkit.api`, write the output, return the manifest record); :mod:`.supervisor`
runs workers that may crash or hang; :mod:`.dask` runs the same tasks on
dask.distributed; :mod:`.runner` ties them together with the manifest and the summary.
See docs/batch.md.
"""

from toolkit.batch.inputs import Input, collect, plan_outputs
from toolkit.batch.runner import BatchResult, run_batch, summary_line
from toolkit.batch.tasks import Task, run_task

__all__ = ["Input", "collect", "plan_outputs", "BatchResult", "run_batch", "summary_line", "Task", "run_task"]
