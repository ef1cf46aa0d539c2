"""Progress bars without tqdm's monitor thread.

tqdm starts a monitor thread with its first bar and leaves it running for the life of the
process. A process with a second live thread starts its process pools by forkserver instead
of fork (`sim.run.executors.start_method`), so after one progress bar every later batch in
that process (a notebook, a test run) paid for workers that import the model afresh.
"""

from __future__ import annotations

import functools
from typing import Any


def progress_bar(*, notebook: bool = False, **kwargs: Any):
    """A tqdm bar (``tqdm.auto``'s, which draws a widget in Jupyter, when ``notebook``) with no monitor thread."""
    if notebook:
        from tqdm.auto import tqdm
    else:
        from tqdm import tqdm
    return _quiet(tqdm)(**kwargs)


@functools.cache
def _quiet(base: type) -> type:
    return type(base.__name__, (base,), {"monitor_interval": 0, "__doc__": base.__doc__})
