"""Parse results per yearbook file, cached: a build re-parses only the files that changed.

A file's ``Yearbook`` depends only on its name (which gives the id, year and title), its
bytes, its office alias table and the parser's code, so it is kept as JSON under a hash of
those four. The folder the file sits in is not part of the key: a cached result is given
the current path (in ``Yearbook.path`` and in each warning's ``file``) when it is read.
"""

import hashlib
import json
import os
from pathlib import Path

import orjson

from indexer.parse.model import Yearbook
from indexer.parse.yearbook import alias_table, decode, load_aliases, parse_text

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
        path = Path(path)
        data = path.read_bytes()
        aliases = load_aliases(alias_table(path))
        key = self.keys[path.name] = self.key(path, data, aliases)
        entry = self.folder / f"{key}.json"
        if entry.exists():
            self.reused += 1
            return _yearbook(orjson.loads(entry.read_bytes()), str(path))
        yearbook = parse_text(decode(path, data), path, aliases)
        self.parsed += 1
        tmp = self.folder / f".{entry.name}.{os.getpid()}"
        tmp.write_bytes(orjson.dumps(yearbook.__dict__))
        os.replace(tmp, entry)
        return yearbook


def _yearbook(data: dict, path: str) -> Yearbook:
    """A cached ``Yearbook`` (``data``: its fields) as read from ``path``."""
    data["path"] = path
    for warning in data["warnings"]:
        warning["file"] = path
    return Yearbook(**data)
