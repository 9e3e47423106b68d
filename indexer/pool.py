"""One function over many files on every core: the build's parse and tokenise steps.

Workers are *forked* from the building process, so what it has loaded (the parser's
tables, jieba's dictionary) is shared instead of loaded again per worker.
"""

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

#: Fewer items than this run in the calling process: starting workers costs more than
#: the parallel part saves (a ×1 build has one yearbook file).
MIN_PARALLEL = 2


def fork_map(func: Callable, items: Iterable) -> Iterator:
    """``func(item)`` for each of ``items``, in order, computed in forked worker processes
    (one per core, at most one per item) or, for one item or one core, in this process.

    ``func`` and the items and results must pickle (a module-level function or a bound
    method of a picklable object). An exception in ``func`` is raised here.
    """
    items = list(items)
    workers = min(len(items), os.cpu_count() or 1)
    if len(items) < MIN_PARALLEL or workers < 2:
        yield from map(func, items)
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(func, items)
