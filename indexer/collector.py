"""Python's cycle collector around bulk loading (a build, opening an index).

A build or an index opening makes millions of small containers and hardly any cycles;
every collection rescans all the containers alive, so at ×200 the collector took a third
of adding a yearbook and two thirds of opening the index.
"""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(freeze: bool = False) -> Iterator[None]:
    """Pause the cycle collector for the ``with`` block (reference counting still frees
    almost everything). With ``freeze``, move what is alive at the end to the permanent
    generation (:func:`gc.freeze`): an opened index is never garbage-collected, so later
    collections — during queries — need not scan it, and forked workers do not copy it.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()
