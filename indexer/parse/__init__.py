"""Yearbook text → ``Yearbook(docs, records, warnings)``: clauses, award rows, list entries.

The source is a print conversion (see corpus/README.md). The pipeline, one module a step:

1. :mod:`~indexer.parse.text` — lines → paragraphs; markup, brackets, sentences, dates.
2. :mod:`~indexer.parse.yearbook` — the file name gives the yearbook; part headings
   (先进集体, 先进个人, 文件辑录) split it into parts.
3. :mod:`~indexer.parse.awards` — an awards part: :mod:`~indexer.parse.tables` (award
   tables and their 续表) and :mod:`~indexer.parse.honours` (``【…】`` honour lists).
4. :mod:`~indexer.parse.documents` — a documents part: each policy document's title,
   signature block, date and dates of effect; :mod:`~indexer.parse.clauses` turns its body
   into clauses by :mod:`~indexer.parse.numbering` (一、/（一）/1./(1) and 第X章/第X条).
5. :mod:`~indexer.parse.yearbook` — final ids of the policy documents; the corpus.

Input no rule places is kept as a record (``unplaced: true``) of the document it sits in
and listed in ``Yearbook.warnings`` (:mod:`~indexer.parse.model`); only a file that is not
a yearbook at all raises ``ParseError``. The record and doc fields are fixed by
docs/CONTRACT.md.

Ids (stable: they depend only on the content of one yearbook file, never on file order):

- yearbook ``shangcheng-2018`` (file ``shangcheng-yearbook-2018.txt`` without ``yearbook``);
- policy document ``<yearbook>.<yyyymmdd>`` of its date; documents sharing a date get
  ``a``, ``b``, … in the order of their titles; a document without a date ``…undated``;
- outline clause ``<doc>.<numbering path>`` (``…20180919.4.3.3``), the preamble
  ``<doc>.0``, closing paragraphs ``<doc>.end``; further paragraphs under one path ``-2``,
  ``-3`` (``….4.3.3-2``); under legal chapters the path starts ``ch2.``;
- article ``<doc>.art<n>`` (第十二条 → ``art12``, whatever chapter holds it);
- award table ``<yearbook>.t<number>``, its rows ``<table>.<row>`` (1-based over the table
  and its continuations, unreadable rows counted);
- honour list ``<yearbook>.l<n>`` (n-th list of the yearbook), entries
  ``<list>.<sub-heading>.<entry>`` (sub-heading 0 when the list has none);
- an unplaced line ``<doc>.x<n>``; text outside any document sits in ``<yearbook>.u<k>``
  (``u0`` before the first part, ``u<k>`` in the k-th part).
"""

from indexer.parse.clauses import join_page_breaks, run_in
from indexer.parse.model import ParseError, Yearbook, warning_text
from indexer.parse.numbering import chinese_number, legal_numbering, numbering
from indexer.parse.tables import split_names, split_persons
from indexer.parse.text import clean_title, ends_sentence, split_outside_brackets
from indexer.parse.yearbook import (
    Corpus,
    load_aliases,
    parse_corpus,
    parse_file,
    parse_text,
    read_corpus,
    records_to_jsonl,
    summary,
)

__all__ = [
    "Corpus", "ParseError", "Yearbook", "chinese_number", "clean_title", "ends_sentence",
    "join_page_breaks", "legal_numbering", "load_aliases", "numbering", "parse_corpus",
    "parse_file", "parse_text", "read_corpus", "records_to_jsonl", "run_in",
    "split_names", "split_outside_brackets", "split_persons", "summary", "warning_text",
]
