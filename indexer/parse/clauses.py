"""The body of a policy document → clause records, by its numbering.

Steps: paragraphs become blocks (``#`` lines are headings), page breaks are repaired, then
one walk reads both numbering styles (see :mod:`indexer.parse.numbering`):

- outline: a numbered paragraph opens a section; its clause id is the numbering path
  (``<doc>.4.3.3``), further paragraphs under one path ``-2``, ``-3``; the preamble is
  ``<doc>.0``, closing paragraphs ``<doc>.end``. A numbered line that is a whole sentence is
  a clause whose label is its number, not a heading.
- legal: 第X编/章/节 open sections (keys ``pt1``, ``ch2``, ``s1``); an article 第X条 is
  one clause, id ``<doc>.art<n>``, holding its paragraphs (款), items (项) and sub-items (目)
  one to a line.
"""

import re
from collections import Counter
from dataclasses import dataclass

from indexer.parse.model import Context
from indexer.parse.numbering import LEGAL_UNITS, legal_numbering, numbering
from indexer.parse.text import Para, at, ends_sentence, run_on, squeeze, strip_markup
from indexer.refs import extract_refs

#: A closing paragraph states when the document takes effect: 本计划自2018年7月20日起实施。
CLOSING = re.compile(r"本[\u4e00-\u9fff]{0,8}自\d{4}年\d{1,2}月\d{1,2}日起(?:施行|实施|执行|生效)")
#: The rest of a document number cut by a page break: 〔2018〕15号 after （拱政发.
_NUMBER_TAIL = re.compile(r"[〔\[［(（【]\s*\d{4}\s*[〕\]］)）】]\s*\d+\s*号")
#: Legal units that open a section (the article is a clause), outermost first.
_SECTION_RANKS = {"编": -4, "章": -3, "节": -2}


@dataclass
class Block:
    """A policy-document paragraph: raw text (with ``**`` markup), line, and heading flag."""

    line: int
    raw: str
    heading: bool

    @property
    def text(self) -> str:
        """The printed text: bold markup removed, whitespace at the ends stripped."""
        return self.raw.replace("**", "").strip()


def blocks(paras: list[Para]) -> list[Block]:
    """Turn body paragraphs into blocks; ``#`` lines are headings (mark removed), and so is
    a numbered line printed wholly in bold that does not end a sentence (``**三、要求**``)."""
    found = []
    for para in paras:
        raw = para.text
        if raw.startswith("#"):
            found.append(Block(para.line, re.sub(r"^#+\s*", "", raw), True))
        else:
            found.append(Block(para.line, raw, _is_bold_title(raw)))
    return found


def _is_bold_title(raw: str) -> bool:
    """True for a numbered line wholly in bold that does not end a sentence: a title."""
    inner = raw[2:-2].strip()
    return (raw.startswith("**") and raw.endswith("**") and "**" not in inner
            and numbering(inner) is not None and not ends_sentence(inner))


def _is_section_line(block: Block) -> bool:
    """True for a 第X编/章/节 line: a title, never the start of a sentence run on."""
    legal = legal_numbering(block.text)
    return legal is not None and legal[0] in _SECTION_RANKS


def _starts_anew(block: Block) -> bool:
    """True when ``block`` cannot continue the paragraph before it: it is a heading, or it
    starts with numbering (a document number's cut tail does not count)."""
    return (block.heading or numbering(block.text) is not None
            or legal_numbering(block.text) is not None)


def join_page_breaks(found: list[Block]) -> list[Block]:
    """Repair page breaks: a block not ending a sentence runs on into the next plain block.

    Headings and 第X章 lines never join; a numbered paragraph starts a new block, except
    the tail of a document number cut after its agency (``（拱政发`` / ``〔2018〕15号）``).
    """
    joined: list[Block] = []
    for block in found:
        previous = joined[-1] if joined else None
        if (previous is not None and not previous.heading and not _is_section_line(previous)
                and not ends_sentence(previous.text)
                and (not _starts_anew(block) or _NUMBER_TAIL.match(block.text))):
            joined[-1] = Block(previous.line, run_on(previous.raw, block.raw), False)
        else:
            joined.append(block)
    return joined


def _is_numbering_only(text: str) -> bool:
    """True when ``text`` is section numbering and nothing else."""
    found = numbering(text.strip())
    return found is not None and not found[2].strip()


def run_in(block: Block) -> tuple[str, str, bool]:
    """Return ``(label, rest, plain)`` of a numbered block.

    A heading line is all label. Otherwise the label is a bold run-in heading right after
    the numbering (``**(一) 强化责任落实。**…``, ``(一) **加强组织领导**。…``) or the text up
    to the first 。 (``1.打造纵向融合教育网络。以学校…``); labels drop their final 。.
    ``plain`` is True when the label is not marked as a title (neither ``#`` nor bold).
    """
    if block.heading:
        return block.text.rstrip("。"), "", False
    bold = re.match(r"([^*]*)\*\*(.+?)\*\*(.*)", block.raw)
    if bold and (not bold[1].strip() or _is_numbering_only(bold[1])):
        label, rest = bold[1] + bold[2], bold[3]
    else:
        label, _, rest = block.text.partition("。")
    label = label.strip().rstrip("。")
    return label, rest.replace("**", "").strip().lstrip("。").strip(), not bold


def number_label(block: Block) -> str:
    """Return the printed numbering of a numbered block (``1.``, ``(一)``)."""
    return block.text[: len(block.text) - len(numbering(block.text)[2])].strip()


def _is_clause(found: list[Block], k: int) -> bool:
    """True when numbered block ``found[k]`` is a clause, not a section heading: it is not
    a ``#`` line, and has text after its run-in label or no deeper numbering after it."""
    block = found[k]
    following = at(found, k + 1)
    child = following is not None and numbering(following.text)
    return not block.heading and bool(
        run_in(block)[1] or not child or child[0] <= numbering(block.text)[0])


def is_item(found: list[Block], k: int) -> bool:
    """True when numbered block ``found[k]`` is a provision in one sentence: plain (not a
    ``#`` or bold title), nothing after its run-in label, and no plain paragraph after it
    that it could title (the next block is numbered, or there is none)."""
    _, rest, plain = run_in(found[k])
    following = at(found, k + 1)
    return plain and not rest and (
        following is None or following.heading or numbering(following.text) is not None
        or legal_numbering(following.text) is not None)


def sentence_levels(found: list[Block]) -> set[int]:
    """Return the numbering levels at which a document's clauses are numbered sentences.

    When most clauses of a level are provisions in one sentence (:func:`is_item`), the
    level numbers provisions, not titled sections, and every clause of it is labelled by
    its number (the 1.–26. of a 扶持政策).
    """
    counts: dict[int, list[int]] = {}
    for k, block in enumerate(found):
        if numbering(block.text) and _is_clause(found, k):
            tally = counts.setdefault(numbering(block.text)[0], [0, 0])
            tally[0 if is_item(found, k) else 1] += 1
    return {level for level, (items, other) in counts.items() if items > other}


@dataclass
class _Entry:
    """One open section: its level (legal units rank above outline levels), number,
    label, key part and whether it is listed in the contents."""

    level: int
    number: int
    label: str
    part: str
    listed: bool


class _Sections:
    """The numbering path while walking a document, and the clause ids handed out so far."""

    def __init__(self, doc: dict):
        """Start at the top of ``doc`` (its ``sections`` list is filled as headings pass)."""
        self.doc, self.stack, self.used = doc, [], Counter()

    def enter(self, entry: _Entry) -> None:
        """Open ``entry``, closing any section at its level or deeper."""
        while self.stack and self.stack[-1].level >= entry.level:
            self.stack.pop()
        self.stack.append(entry)
        if entry.listed:
            depth = sum(e.listed for e in self.stack)
            self.doc["sections"].append({"key": self.key, "label": entry.label, "depth": depth})

    def leave(self, level: int) -> None:
        """Close every section at ``level`` or deeper."""
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()

    @property
    def key(self) -> str:
        """The numbering path of the current section, e.g. ``4.3.3`` (``""`` at the top)."""
        return ".".join(e.part for e in self.stack)

    @property
    def listed_key(self) -> str:
        """The key of the innermost section listed in the contents (``""`` for none)."""
        listed = [k for k, e in enumerate(self.stack) if e.listed]
        return ".".join(e.part for e in self.stack[: listed[-1] + 1]) if listed else ""

    @property
    def labels(self) -> list[str]:
        """The labels of the current section path, outermost first."""
        return [e.label for e in self.stack]

    def clause_id(self, key: str) -> str:
        """Return the next unused id for a clause at ``key`` (``0`` preamble, ``end``)."""
        self.used[key] += 1
        suffix = f"-{self.used[key]}" if self.used[key] > 1 else ""
        return f"{self.doc['id']}.{key}{suffix}"


class ClauseWalk:
    """Walks the repaired blocks of one document and adds its clause records."""

    def __init__(self, ctx: Context, doc: dict, found: list[Block]):
        """Prepare to read ``found`` (page breaks repaired) into ``doc``."""
        self.ctx, self.doc, self.blocks = ctx, doc, found
        self.sections = _Sections(doc)
        self.article: dict | None = None
        self.closing = False
        self.sentence_levels = sentence_levels(found)

    def run(self) -> None:
        """Read every block in order."""
        for k, block in enumerate(self.blocks):
            legal = legal_numbering(block.text)
            if legal and legal[0] in _SECTION_RANKS:
                self.legal_section(block, legal)
            elif legal:
                self.open_article(block, legal)
            elif self.article is not None:
                self.article["text"] += "\n" + block.text
            elif numbering(block.text):
                self.numbered(k, block)
            elif block.heading:
                self.ctx.unplaced(self.doc, "clause", block.line, block.text,
                                  f"heading {block.text[:30]!r} without section numbering "
                                  "inside a document")
            elif self.closing or CLOSING.match(block.text):
                self.closing = True
                self.add(block, self.sections.clause_id("end"), "end", [])
            else:
                self.add(block, self.sections.clause_id(self.sections.key or "0"),
                         self.sections.listed_key, self.sections.labels)
        self.close_article()

    def legal_section(self, block: Block, legal: tuple[str, int, str]) -> None:
        """Open a 第X编/章/节 section; its label is the number and the title, unpadded."""
        self.close_article()
        unit, number, title = legal
        head = squeeze(block.text[: len(block.text) - len(title)])
        label = f"{head} {squeeze(strip_markup(title))}".strip()
        self.sections.enter(_Entry(_SECTION_RANKS[unit], number, label,
                                   f"{LEGAL_UNITS[unit]}{number}", True))

    def open_article(self, block: Block, legal: tuple[str, int, str]) -> None:
        """Start the clause of article 第X条; the blocks up to the next unit are its own."""
        self.close_article()
        self.closing = False
        self.sections.leave(0)
        head = squeeze(block.text[: len(block.text) - len(legal[2])])
        self.article = self.add(block, self.sections.clause_id(f"art{legal[1]}"),
                                self.sections.listed_key, [*self.sections.labels, head])

    def close_article(self) -> None:
        """Finish the open article: its references are read from all its paragraphs."""
        if self.article is not None:
            self.article["refs"] = extract_refs(self.article["text"])
            self.article = None

    def numbered(self, k: int, block: Block) -> None:
        """Read an outline-numbered block: a section heading, or a clause under its number."""
        level, number, _ = numbering(block.text)
        self.closing = False
        label, rest, plain = run_in(block)
        # A numbered line that is all run-in heading is a section label only when deeper
        # numbering follows; before plain paragraphs it is kept as a clause, so that a
        # one-sentence provision is never mistaken for a title and lost.
        heading = not _is_clause(self.blocks, k)
        # A clause that is a numbered sentence is labelled by its number and stays out of
        # the contents: the sentence is its text, not a title.
        sentence = plain and not heading and (
            is_item(self.blocks, k) or level in self.sentence_levels)
        self.sections.enter(_Entry(level, number, number_label(block) if sentence else label,
                                   str(number), not sentence))
        if not heading:
            self.add(block, self.sections.clause_id(self.sections.key),
                     self.sections.listed_key, self.sections.labels)

    def add(self, block: Block, clause_id: str, key: str, section: list[str]) -> dict:
        """Add one clause record of the document for ``block``; return it."""
        return self.ctx.add_record(self.doc, {
            "id": clause_id, "kind": "clause", "section": list(section), "text": block.text,
            "date": self.doc["date"], "year": self.doc["year"], "offices": self.doc["offices"],
            "refs": extract_refs(block.text), "line": block.line, "section_key": key,
        })


def add_clauses(ctx: Context, doc: dict, paras: list[Para]) -> list[dict]:
    """Add the clause records of a document's body ``paras``; return them."""
    first = len(ctx.yearbook.records)
    ClauseWalk(ctx, doc, join_page_breaks(blocks(paras))).run()
    return ctx.yearbook.records[first:]
