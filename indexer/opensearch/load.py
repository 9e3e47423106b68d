"""Loading the cluster: the template, bulk loading with progress, the alias swap, adding
one yearbook.

A rebuild writes a new index ``<alias>-<stamp>`` and then moves the alias to it in one
``_aliases`` call (atomic: a search sees the old index or the new one, never neither), as
the embedded build repoints its symlink. Adding a yearbook writes its documents into the
live index and removes those it no longer has; the other yearbooks are not touched.
"""

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

from indexer.build import order_records
from indexer.opensearch import alias_name
from indexer.opensearch.documents import (
    doc_id,
    doc_source,
    meta_source,
    record_source,
    template,
)

#: Three shards, one replica each: on three nodes every node holds two shard copies and
#: any one node may die without losing a shard.
SHARDS = 3
REPLICAS = 1
#: Documents per bulk request.
CHUNK = 500
#: Indexes behind the alias kept after a swap (the previous one, for a quick way back).
KEEP = 2


def put_template(client, alias: str, shards: int = SHARDS, replicas: int = REPLICAS) -> None:
    """Create or replace the index template of the indexes behind ``alias``."""
    client.indices.put_index_template(name=f"{alias}-template",
                                      body=template(f"{alias}-*", shards, replicas))


def actions(index: str, records: list[dict], docs: list[dict], yearbooks: list[dict],
            fingerprint: str):
    """Yield the bulk actions of a set of yearbooks: their records, containers and meta."""
    seen: set[str] = set()
    by_yearbook: dict[str, list[dict]] = {}
    for record in order_records(records):
        by_yearbook.setdefault(record.get("yearbook") or "", []).append(record)
        first = record["doc_id"] not in seen
        seen.add(record["doc_id"])
        yield _action(index, record_source(record, first))
    places: dict[str, int] = {}
    for doc in docs:
        yearbook = doc.get("yearbook") or ""
        places[yearbook] = places.get(yearbook, -1) + 1
        yield _action(index, doc_source(doc, places[yearbook]))
    for yearbook in yearbooks:
        yield _action(index, meta_source(yearbook, by_yearbook.get(yearbook["id"], []),
                                         fingerprint))


def _action(index: str, source: dict) -> dict:
    """One bulk ``index`` action."""
    return {"_op_type": "index", "_index": index, "_id": doc_id(source), "_source": source}


def bulk_load(client, items, total: int, desc: str = "loading") -> int:
    """Send ``items`` (bulk actions) in chunks, with a progress bar; return the count.

    Raises on the first document the cluster rejects (a mapping error is a bug, not data
    to skip).
    """
    from opensearchpy.helpers import streaming_bulk

    done = 0
    with tqdm(total=total, desc=desc, unit="doc", file=sys.stderr, disable=None) as bar:
        for ok, item in streaming_bulk(client, items, chunk_size=CHUNK, max_retries=3,
                                       raise_on_error=True):
            if not ok:
                raise RuntimeError(f"bulk load failed: {item}")
            done += 1
            bar.update(1)
    return done


def live_index(client, alias: str) -> str | None:
    """The index ``alias`` points at now, or None."""
    if not client.indices.exists_alias(name=alias):
        return None
    return next(iter(client.indices.get_alias(name=alias)))


def swap_alias(client, alias: str, index: str) -> str | None:
    """Point ``alias`` at ``index`` in one atomic call; return the index it left."""
    old = live_index(client, alias)
    steps = [{"add": {"index": index, "alias": alias}}]
    if old and old != index:
        steps.insert(0, {"remove": {"index": old, "alias": alias}})
    client.indices.update_aliases(body={"actions": steps})
    return old


def prune(client, alias: str, keep: int = KEEP) -> list[str]:
    """Delete all but the newest ``keep`` indexes of ``alias`` (never the live one)."""
    live = live_index(client, alias)
    names = sorted(client.indices.get(index=f"{alias}-*"))
    doomed = [name for name in names[:-keep] if name != live]
    for name in doomed:
        client.indices.delete(index=name)
    return doomed


def rebuild(client, records: list[dict], docs: list[dict], yearbooks: list[dict],
            fingerprint: str, alias: str | None = None) -> dict:
    """Write every yearbook into a new index, then swap ``alias`` to it.

    Returns ``{"index", "previous", "documents", "records"}``.
    """
    alias = alias or alias_name()
    put_template(client, alias)
    index = f"{alias}-{datetime.now(UTC).strftime('%Y%m%dt%H%M%S%f')}"
    client.indices.create(index=index, body={"settings": {"refresh_interval": "-1"}})
    total = len(records) + len(docs) + len(yearbooks)
    count = bulk_load(client, actions(index, records, docs, yearbooks, fingerprint), total)
    client.indices.put_settings(index=index, body={"refresh_interval": "1s"})
    client.indices.refresh(index=index)
    client.cluster.health(index=index, params={"wait_for_status": "green", "timeout": "120s"},
                          request_timeout=130)
    previous = swap_alias(client, alias, index)
    prune(client, alias)
    return {"index": index, "previous": previous, "documents": count,
            "records": len(records)}


def _ids_of_yearbook(client, alias: str, yearbook: str) -> set[str]:
    """The ``_id`` of every document of ``yearbook`` in the live index."""
    from opensearchpy.helpers import scan

    return {hit["_id"] for hit in scan(client, index=alias, _source=False,
                                       query={"query": {"term": {"yearbook": yearbook}}})}


def add_yearbook(client, records: list[dict], docs: list[dict], yearbook: dict,
                 fingerprint: str, alias: str | None = None) -> dict:
    """Write one yearbook into the live index; drop its documents that are gone.

    The other yearbooks' documents are not rewritten. Returns ``{"index", "written",
    "deleted"}``.
    """
    alias = alias or alias_name()
    index = live_index(client, alias)
    if index is None:
        raise LookupError(f"no index behind alias {alias!r}: load the cluster first")
    before = _ids_of_yearbook(client, alias, yearbook["id"])
    items = list(actions(index, records, docs, [yearbook], fingerprint))
    written = bulk_load(client, iter(items), len(items), desc=f"adding {yearbook['id']}")
    stale = before - {item["_id"] for item in items}
    if stale:
        bulk_load(client, ({"_op_type": "delete", "_index": index, "_id": i} for i in stale),
                  len(stale), desc="removing")
    client.indices.refresh(index=index)
    return {"index": index, "written": written, "deleted": len(stale)}


def read_build(folder: Path) -> tuple[list[dict], list[dict], list[dict], str]:
    """Records, docs, yearbooks and fingerprint of an embedded build folder (``var/index``).

    The cluster is loaded from what ``make index`` parsed, so both engines hold the same
    records.
    """
    folder = Path(folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    with open(folder / "records.jsonl", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    docs = json.loads((folder / "docs.json").read_text(encoding="utf-8"))
    return records, docs, meta["yearbooks"], meta["fingerprint"]
