"""Command line: ``python -m indexer parse FILE --summary`` and ``python -m indexer build``."""

import argparse
import sys
from pathlib import Path

from indexer import CORPUS_DIR, VAR_DIR


def _cmd_parse(args: argparse.Namespace) -> int:
    """Parse one yearbook file; print the summary or the records as JSON Lines.

    Status 2 when the file is not a yearbook; with ``--strict``, status 1 and only the
    warnings (on stderr) when any line could not be placed.
    """
    from indexer.parse import ParseError, parse_file, records_to_jsonl, summary, warning_text

    try:
        yearbook = parse_file(Path(args.file))
    except ParseError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.strict and yearbook.warnings:
        for warning in yearbook.warnings:
            print(f"warning: {warning_text(warning)}", file=sys.stderr)
        print(f"error: {len(yearbook.warnings)} warning(s) with --strict", file=sys.stderr)
        return 1
    if args.summary:
        print(summary(yearbook), end="")
    else:
        print(records_to_jsonl(yearbook), end="")
        for warning in yearbook.warnings:
            print(f"warning: {warning_text(warning)}", file=sys.stderr)
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    """Parse the corpus and (re)build the index unless it is up to date."""
    from indexer.build import build

    build(Path(args.corpus), Path(args.out), force=args.force)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Dispatch the sub-command named in ``argv``; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse a yearbook text file into records")
    p.add_argument("file", help="yearbook text file, e.g. corpus/shangcheng-yearbook-2018.txt")
    p.add_argument("--summary", action="store_true", help="print counts instead of JSON Lines")
    p.add_argument("--strict", action="store_true",
                   help="fail (status 1) when any line could not be placed")
    p.set_defaults(func=_cmd_parse)

    b = sub.add_parser("build", help="parse corpus/ and build the search index")
    b.add_argument("--corpus", default=str(CORPUS_DIR), help="folder of yearbook .txt files")
    b.add_argument("--out", default=str(VAR_DIR), help="folder for records and index")
    b.add_argument("--force", action="store_true",
                   help="rebuild from scratch, even when up to date (added yearbooks are "
                   "otherwise spliced into the live build)")
    b.set_defaults(func=_cmd_build)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
