"""Parse results per yearbook file, cached: a build re-parses only the files that changed.

A file's ``Yearbook`` depends only on its name (which gives the id, year and title), its
bytes, its office alias table and the parser's code, so it is kept as JSON under a hash of
those four. The folder the file sits in is not part of the key: a cached result is given
the current path (in ``Yearbook.path`` and in each warning's ``file``) when it is read.
"""

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
from tqdm import tqdm

from indexer.parse.model import ParseError, Yearbook
from indexer.parse.yearbook import alias_table, decode, load_aliases, parse_text
from indexer.pool import fork_map

#: The code a parse result depends on: this package and the reference extractor it calls.
_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "refs.py")


def code_fingerprint() -> str:
    """SHA-256 over the parser's source files (names and bytes)."""
    digest = hashlib.sha256()
    for root in _CODE:
        for file in sorted(root.glob("*.py")) if root.is_dir() else [root]:
            digest.update(file.name.encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


class ParseCache:
    """A ``parse_file`` that keeps each result in ``folder/<key>.json``.

    ``parsed`` and ``reused`` count the files parsed and the results read back; ``keys``
    gives each file name read its key (what its result depends on).
    """

    def __init__(self, folder: Path):
        """Use (and create) ``folder``."""
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.code = code_fingerprint()
        self.parsed = self.reused = 0
        self.keys: dict[str, str] = {}

    def key(self, path: Path, data: bytes, aliases: dict[str, str]) -> str:
        """Hash of what parsing ``path`` (holding ``data``) with ``aliases`` depends on."""
        digest = hashlib.sha256(f"{self.code};{path.name}\0".encode())
        digest.update(json.dumps(sorted(aliases.items()), ensure_ascii=False).encode())
        digest.update(b"\0" + data)
        return digest.hexdigest()

    def __call__(self, path) -> Yearbook:
        """Parse yearbook file ``path`` as ``parse_file`` does, or read its cached result.

        Raises ParseError as ``parse_file`` does (errors are not cached: such a file is
        parsed again next time).
        """
        yearbook, parsed, key = self.lookup(path)
        self._count(Path(path).name, parsed, key)
        return yearbook

    def map(self, paths: list[Path]) -> Iterator[Yearbook | ParseError]:
        """Each file's ``Yearbook`` (or the ParseError that rejects it), in order, the files
        to parse parsed on every core (:func:`indexer.pool.fork_map`), the cached ones read
        here (sending a read result back from a worker costs more than reading it), with a
        progress bar of files and records."""
        bar = tqdm(total=len(paths), desc="parsing", unit="file", file=sys.stderr,
                   disable=None)
        sources = {path: self._source(Path(path)) for path in paths}
        todo = [path for path in paths if not self._entry(sources[path][2]).exists()]
        fresh, pending = fork_map(self._lookup_or_error, todo), set(todo)
        records = 0
        for path in paths:
            result, parsed, key = (next(fresh) if path in pending
                                   else self._lookup_or_error(path, sources[path]))
            if isinstance(result, Yearbook):  # a rejected file is neither parsed nor reused
                self._count(path.name, parsed, key)
                records += len(result.records)
            bar.update()
            bar.set_postfix(records=records)
            yield result
        bar.close()

    def lookup(self, path, source: tuple | None = None) -> tuple[Yearbook, bool, str]:
        """The ``Yearbook`` of file ``path``, whether it had to be parsed (False: read from
        the cache) and its key; the result of a parse is cached. ``source``: the file's
        :meth:`_source`, when the caller has it. Raises ParseError."""
        path = Path(path)
        data, aliases, key = source or self._source(path)
        entry = self._entry(key)
        if entry.exists():
            return _yearbook(orjson.loads(entry.read_bytes()), str(path)), False, key
        yearbook = parse_text(decode(path, data), path, aliases)
        tmp = self.folder / f".{entry.name}.{os.getpid()}"
        tmp.write_bytes(orjson.dumps(yearbook.__dict__))
        os.replace(tmp, entry)
        return yearbook, True, key

    def _source(self, path: Path) -> tuple[bytes, dict[str, str], str]:
        """What parsing file ``path`` reads: its bytes, its office alias table, and the key
        of its result."""
        data, aliases = path.read_bytes(), load_aliases(alias_table(path))
        return data, aliases, self.key(path, data, aliases)

    def _entry(self, key: str) -> Path:
        """Where the result of ``key`` is (or would be) cached."""
        return self.folder / f"{key}.json"

    def _lookup_or_error(self, path: Path, source: tuple | None = None
                         ) -> tuple[Yearbook | ParseError, bool, str]:
        """:meth:`lookup`, a ParseError returned rather than raised (a worker's answer)."""
        try:
            return self.lookup(path, source)
        except ParseError as err:
            return err, False, ""

    def _count(self, name: str, parsed: bool, key: str) -> None:
        """Count file ``name`` (of ``key``) as parsed or as reused."""
        self.keys[name] = key
        if parsed:
            self.parsed += 1
        else:
            self.reused += 1


def _yearbook(data: dict, path: str) -> Yearbook:
    """A cached ``Yearbook`` (``data``: its fields) as read from ``path``."""
    data["path"] = path
    for warning in data["warnings"]:
        warning["file"] = path
    return Yearbook(**data)
