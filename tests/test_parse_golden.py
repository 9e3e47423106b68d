"""The ids of the shipped yearbook never change (issue 9 acceptance).

``tests/golden/shangcheng-2018.ids`` holds, in order, the ids of
``python -m indexer parse corpus/shangcheng-yearbook-2018.txt`` as built before the parser
learnt the legal numbering, signature blocks and warnings: every later parser must hand out
exactly these ids, in this order, without a warning.
"""

from pathlib import Path

from indexer import CORPUS_DIR
from indexer.parse import parse_file

GOLDEN = Path(__file__).parent / "golden" / "shangcheng-2018.ids"


def test_shangcheng_ids_unchanged():
    yearbook = parse_file(CORPUS_DIR / "shangcheng-yearbook-2018.txt")
    assert [r["id"] for r in yearbook.records] == GOLDEN.read_text(encoding="utf-8").split()
