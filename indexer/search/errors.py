"""The search layer's errors and message keys: data for the caller to word.

The search layer never words a message itself. A :class:`QueryError`, an ignored part of
the query and the interpretation's notice each carry a key from the tuples below and the
parameters to fill in; the web app words them in the reader's language (docs/CONTRACT.md
lists the keys and their parameters).
"""

#: Each :class:`QueryError` key → the names of its parameters.
QUERY_ERRORS = {
    "query_too_long": ("n", "max"),
    "bad_page": ("value",),
    "bad_size": ("max", "value"),
    "bad_sort": ("choices", "value"),
    "unknown_doc": ("value",),
    "bad_year": ("value",),
    "no_year": ("value",),
    "unknown_office": ("value",),
    "ambiguous_office": ("value", "choices", "n"),
    "bad_kind": ("choices", "value"),
    "bad_level": ("choices", "value"),
    "unknown_person": ("value",),
    "unknown_yearbook": ("value",),
    "empty_ref": (),
    "bad_drop": ("value",),
    "drop_too_many": ("max", "n"),
    "drop_too_long": ("max", "n"),
}

#: Each reason a part of the query was ignored (``ignored[i]["key"]``) → its parameters.
IGNORED_REASONS = {
    "control_chars": (),
    "negated_filter": (),
    "empty_filter": ("field",),
    "unmatched_quote": (),
    "redundant_and": (),
    "lonely_or": (),
    "lonely_not": (),
    "empty_phrase": (),
    "unsearchable": (),
    "not_an_expansion": (),
    "pinyin_held_back": ("word",),
}

#: Each ``interpretation["message_key"]`` → the names in ``message_params``.
MESSAGES = {"fallback": ("terms",), "browse": (), "nothing": ()}


class QueryError(ValueError):
    """A query or parameter the search cannot honour.

    ``key`` (one of :data:`QUERY_ERRORS`) and ``params`` let the caller word the message;
    ``str(err)`` is ``key`` and the parameters, for logs and scripts.
    """

    def __init__(self, key: str, **params: object):
        """Record the message key and its parameters."""
        if set(params) != set(QUERY_ERRORS.get(key, ("?",))):
            raise ValueError(f"QueryError {key!r} takes {QUERY_ERRORS.get(key)}, not {params}")
        super().__init__(f"{key} {params!r}" if params else key)
        self.key = key
        self.params = params
