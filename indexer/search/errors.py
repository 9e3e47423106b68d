"""The search layer's errors: a query or parameter it cannot honour."""


#: English text of each :class:`QueryError` key. The web app translates the keys
#: (``qerr_<key>`` in webapp/i18n.py) and fills in the same parameters.
QUERY_ERRORS = {
    "query_too_long": "The query is too long ({n} characters; the limit is {max}).",
    "bad_page": "page must be a whole number ≥ 1 (got {value!r}).",
    "bad_size": "size must be between 1 and {max} (got {value!r}).",
    "bad_sort": "sort must be one of {choices} (got {value!r}).",
    "unknown_doc": "Unknown document {value!r}: use a document id or part of a title.",
    "bad_year": "year must be a number such as 2018 (got {value!r}).",
    "no_year": "No records from year {value}.",
    "unknown_office": "Unknown office {value!r}.",
    "bad_kind": "kind must be one of {choices} (got {value!r}).",
    "empty_ref": "ref: needs a document number or title.",
    "bad_drop": "drop_expansions must be a list of terms (got {value}).",
    "drop_too_many": "At most {max} expansions can be dropped (got {n}).",
    "drop_too_long": "A dropped expansion has at most {max} characters (got {n}).",
}

#: English text of each reason a part of the query was ignored (``ignored[i]["key"]``).
IGNORED_REASONS = {
    "control_chars": "control or invalid characters removed",
    "negated_filter": "filters cannot be negated",
    "empty_filter": "empty filter: write {field}:value",
    "unmatched_quote": "unmatched quote",
    "redundant_and": "all words must match already",
    "lonely_or": "OR needs a word on both sides",
    "empty_phrase": "no searchable characters in the phrase",
    "unsearchable": "no searchable characters",
    "not_an_expansion": "not an expansion of this query: nothing to drop",
    "pinyin_held_back": "also the pinyin of too many characters, so not expanded: "
                        "add a tone ({word}1) or write the whole word",
}

#: English text of each ``interpretation["message_key"]``.
MESSAGES = {
    "fallback": "No record contains all of {terms}; showing the best partial matches.",
    "browse": "Browsing in document order.",
    "nothing": "Nothing searchable in the query: see the ignored parts.",
}


class QueryError(ValueError):
    """A query or parameter the search cannot honour.

    ``key`` (one of :data:`QUERY_ERRORS`) and ``params`` let the caller word the message
    in the reader's language; ``str(err)`` is the English message, for logs and scripts.
    """

    def __init__(self, key: str, **params: object):
        """Record the message key and its parameters; the English text is the message."""
        super().__init__(QUERY_ERRORS[key].format(**params))
        self.key = key
        self.params = params


