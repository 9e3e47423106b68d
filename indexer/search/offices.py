"""The ``office:`` filter: a name as typed → the canonical office names it stands for.

Offices are indexed by their canonical names (corpus/offices.tsv); readers type what the
yearbook printed (全国妇联), a short form (上城区人民政府办公室) or the name's head
(人民政府办公室). A name is matched whole, never as any substring: 浙江省委 is the alias of
中共浙江省委 and must not find 九三学社浙江省委员会, whose name merely contains it.

1. the canonical name itself, or an alias of one (compared as ``exact_key``);
2. else the offices whose name starts or ends with it, on a name's boundary (a prefix
   leaves out the office's head, a suffix its place: 人民政府办公室 ends 杭州市上城区人民
   政府办公室). One such office is the answer; several are offered as a choice
   (``QueryError("ambiguous_office")`` with the names), never OR-ed silently.
"""

from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from indexer import CORPUS_DIR
from indexer.analysis import exact_key
from indexer.parse import load_aliases
from indexer.search.errors import QueryError

OFFICES_PATH = CORPUS_DIR / "offices.tsv"
#: An ambiguous name lists at most this many offices to choose from.
MAX_CHOICES = 12


@lru_cache(maxsize=4)
def alias_keys(path: Path = OFFICES_PATH) -> dict[str, str]:
    """exact_key(alias) → canonical name, from the alias table (empty when it is missing)."""
    if not Path(path).exists():
        return {}
    return {exact_key(alias): canonical for alias, canonical in load_aliases(path).items()}


def resolve_office(offices: Collection[str], value: str,
                   aliases: dict[str, str] | None = None) -> set[str]:
    """The canonical office names among ``offices`` that ``value`` names (see the module
    docstring). Raises QueryError ``unknown_office`` or ``ambiguous_office``."""
    aliases = alias_keys() if aliases is None else aliases
    key = exact_key(value)
    by_key = {exact_key(office): office for office in offices}
    if key in by_key:
        return {by_key[key]}
    canonical = aliases.get(key)
    if canonical is not None and exact_key(canonical) in by_key:
        return {by_key[exact_key(canonical)]}
    found = sorted(office for office_key, office in by_key.items()
                   if key and office_key != key
                   and (office_key.startswith(key) or office_key.endswith(key)))
    if len(found) == 1:
        return set(found)
    if found:
        raise QueryError("ambiguous_office", value=value, choices=found[:MAX_CHOICES],
                         n=len(found))
    raise QueryError("unknown_office", value=value)
