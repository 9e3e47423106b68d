"""The two engines ``make bench`` compares ours with, built from the same record dicts.

Both take records as defined in docs/CONTRACT.md (only ``id``, ``kind``, ``year`` and
``text`` are used) and answer ``search(query, limit) -> list[str]`` of record ids, best first
(``limit=None``: every hit).

- :class:`NaiveIndex` is the design's naive build: one Whoosh field analysed by jieba's own
  ``jieba.analyse.ChineseAnalyzer``, queried with Whoosh's ``QueryParser``. Documented
  behaviour (issue 3): a quoted phrase of two or more jieba words finds nothing, because
  the tokenizer reports character offsets as positions; ``"垃圾分类"`` returns ``[]`` on a
  text that contains it.
- :class:`Fts5Index` is SQLite FTS5 with ``tokenize='trigram'``: every query term becomes a
  quoted FTS5 string, so phrases are exact substrings. Trigrams cannot match a term shorter
  than three characters; such terms fall back to ``text LIKE '%term%'`` (a table scan), and
  :meth:`Fts5Index.uses_like` tells the report which queries did.
"""

import re
import sqlite3
from pathlib import Path

from jieba.analyse import ChineseAnalyzer
from whoosh import index as whoosh_index
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.qparser import QueryParser

# `field:value` filters both baselines understand, plus quoted phrases and bare words.
_TOKEN = re.compile(r'(\w+):(\S+)|"([^"]*)"|(\S+)')
_FILTER_FIELDS = ("kind", "year")


class NaiveIndex:
    """Whoosh + ``jieba.analyse.ChineseAnalyzer`` on the record text (the naive design)."""

    name = "naive"

    def __init__(self, folder: Path):
        """Open the index previously written to ``folder`` by :meth:`build`."""
        self._index = whoosh_index.open_dir(str(folder))
        self._searcher = self._index.searcher()
        self._parser = QueryParser("text", self._index.schema)

    @classmethod
    def build(cls, records: list[dict], folder: Path) -> "NaiveIndex":
        """Index ``records`` into the (new or empty) ``folder`` and open the result."""
        schema = Schema(
            id=STORED,
            kind=ID,
            year=ID,
            text=TEXT(analyzer=ChineseAnalyzer()),
        )
        folder.mkdir(parents=True, exist_ok=True)
        ix = whoosh_index.create_in(str(folder), schema)
        # A large buffer: the ×50 copy is built in one segment instead of many merges.
        writer = ix.writer(limitmb=256)
        for rec in records:
            writer.add_document(
                id=rec["id"], kind=rec.get("kind", ""), year=str(rec.get("year", "")),
                text=rec["text"],
            )
        writer.commit()
        return cls(folder)

    def search(self, query: str, limit: int | None = 10) -> list[str]:
        """Ids of the best ``limit`` hits of ``query`` parsed by Whoosh's QueryParser."""
        results = self._searcher.search(self._parser.parse(query), limit=limit)
        return [hit["id"] for hit in results]

    def close(self) -> None:
        """Release the searcher's file handles."""
        self._searcher.close()


class Fts5Index:
    """SQLite FTS5 with the trigram tokenizer; terms under three characters use LIKE."""

    name = "fts5"

    def __init__(self, conn: sqlite3.Connection):
        """Wrap a connection holding the ``records`` table written by :meth:`build`."""
        self._conn = conn

    @classmethod
    def build(cls, records: list[dict], path: Path | str = ":memory:") -> "Fts5Index":
        """Create the FTS5 table in ``path`` (a file, or in memory) and load ``records``."""
        conn = sqlite3.connect(str(path))
        conn.execute(
            "CREATE VIRTUAL TABLE records USING fts5("
            "id UNINDEXED, kind UNINDEXED, year UNINDEXED, text, tokenize='trigram')"
        )
        rows = ((r["id"], r.get("kind", ""), str(r.get("year", "")), r["text"]) for r in records)
        with conn:
            conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", rows)
        return cls(conn)

    def search(self, query: str, limit: int | None = 10) -> list[str]:
        """Ids of the best ``limit`` hits: all terms must occur, ranked by FTS5's bm25."""
        sql, params = self.to_sql(query, limit)
        if sql is None:
            return []
        return [row[0] for row in self._conn.execute(sql, params)]

    @staticmethod
    def to_sql(query: str, limit: int | None = 10) -> tuple[str | None, list]:
        """Translate ``query`` into SQL and parameters (``None`` when nothing is asked)."""
        match_terms, where, params = [], [], []
        for field, value, phrase, word in _TOKEN.findall(query):
            if field in _FILTER_FIELDS:
                where.append(f"{field} = ?")
                params.append(value)
                continue
            # An unknown `field:` is read as a literal word, as our engine does.
            term = f"{field}:{value}" if field else (phrase or word)
            if len(term) >= 3:
                match_terms.append('"' + term.replace('"', '""') + '"')
            elif term:
                # The unary plus keeps FTS5 from taking the LIKE: SQLite 3.40's trigram
                # LIKE returns no row for a pattern of two CJK characters.
                where.append("+text LIKE ?")
                params.append(f"%{term}%")
        if not match_terms and not where:
            return None, []
        if match_terms:
            where.insert(0, "records MATCH ?")
            params.insert(0, " AND ".join(match_terms))
        order = " ORDER BY rank" if match_terms else ""
        sql = f"SELECT id FROM records WHERE {' AND '.join(where)}{order}"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return sql, params

    @classmethod
    def uses_like(cls, query: str) -> bool:
        """Whether ``query`` has a term too short for trigrams (answered by a LIKE scan)."""
        sql, _params = cls.to_sql(query)
        return sql is not None and "+text LIKE" in sql

    def close(self) -> None:
        """Close the database."""
        self._conn.close()
