"""``python -m indexer.opensearch load|add``: fill the cluster.

* ``load [--index var/index]`` — a new index from the embedded build, then the alias swap;
* ``add FILE`` — parse one yearbook and write it into the live index (the rest untouched).
"""

import argparse
import sys
import time
from pathlib import Path

from indexer import VAR_DIR
from indexer.opensearch import alias_name, client


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; return the exit status."""
    from indexer.opensearch import load

    parser = argparse.ArgumentParser(prog="python -m indexer.opensearch", description=__doc__)
    parser.add_argument("--alias", default=alias_name(), help="alias searches read")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("load", help="load the embedded build into a new index, swap alias")
    p.add_argument("--index", default=str(VAR_DIR / "index"), help="embedded build folder")
    a = sub.add_parser("add", help="parse one yearbook file and add it to the live index")
    a.add_argument("file")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    es = client()
    if args.command == "load":
        records, docs, yearbooks, fingerprint = load.read_build(Path(args.index))
        result = load.rebuild(es, records, docs, yearbooks, fingerprint, args.alias)
        print(f"loaded {result['records']} records ({result['documents']} documents) into "
              f"{result['index']}, alias {args.alias} swapped from {result['previous']} in "
              f"{time.perf_counter() - started:.1f} s")
    else:
        from indexer.parse import parse_file

        yearbook = parse_file(Path(args.file))
        result = load.add_yearbook(es, yearbook.records, yearbook.docs,
                                   {"id": yearbook.id, "title": yearbook.title},
                                   f"file:{Path(args.file).name}", args.alias)
        print(f"added {yearbook.id}: {result['written']} documents written, "
              f"{result['deleted']} removed, in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
