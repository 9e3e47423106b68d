"""The interface in Chinese and English: message catalog, language choice, English names.

Every string the site shows (labels, help, errors) lives in ``MESSAGES`` in both languages,
so a test can check that no key is missing a translation. Document titles and office names
are data, not code: their English comes from the reviewed glossary via
``indexer.bilingual.english_name`` when that module is present.
"""

from __future__ import annotations

from flask import request

from indexer import bilingual

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

#: key → {"zh": …, "en": …}; ``{name}`` placeholders are filled by :func:`translate`.
MESSAGES: dict[str, dict[str, str]] = {
    "site_name": {"zh": "年鉴检索", "en": "Yearbook Search"},
    "site_tagline": {
        "zh": "上城区年鉴 2018 全文检索:政策条款、获奖记录、荣誉名单",
        "en": "Full-text search of the Shangcheng Yearbook 2018: policy clauses, awards, "
        "honour lists",
    },
    "nav_search": {"zh": "检索", "en": "Search"},
    "nav_docs": {"zh": "文件列表", "en": "Documents"},
    "nav_help": {"zh": "检索帮助", "en": "Help"},
    "switch_lang": {"zh": "English", "en": "中文"},
    "switch_lang_title": {"zh": "Switch to English", "en": "切换到中文"},
    "json_link": {"zh": "JSON", "en": "JSON"},
    "search_placeholder": {
        "zh": "输入关键词、“短语”或 office:发文机关",
        "en": "Keywords, \"exact phrase\", English, pinyin…",
    },
    "search_button": {"zh": "检索", "en": "Search"},
    "search_label": {"zh": "检索词", "en": "Search terms"},
    "home_help": {
        "zh": "多个词之间为“且”关系;用引号检索原文短语;-词 排除;可按文件、年份、机关、类型筛选。",
        "en": "All words must match; put a phrase in quotes for the exact wording; -word "
        "excludes; English, pinyin and Traditional characters also work.",
    },
    "home_examples": {"zh": "示例", "en": "Examples"},
    "home_docs": {"zh": "收录文件", "en": "Documents in the corpus"},
    "more_help": {"zh": "完整的检索语法", "en": "Full query syntax"},
    "results_total": {
        "zh": "共 {total} 条结果,用时 {ms} 毫秒",
        "en": "{total} results in {ms} ms",
    },
    "results_total_one": {"zh": "共 {total} 条结果,用时 {ms} 毫秒",
                          "en": "{total} result in {ms} ms"},
    "results_groups": {"zh": "分属 {n} 个文件", "en": "in {n} documents"},
    "results_groups_one": {"zh": "分属 {n} 个文件", "en": "in {n} document"},
    "search_within": {"zh": "在结果中检索", "en": "Search within these results"},
    "search_within_hint": {"zh": "再加检索词", "en": "more words"},
    "grouping": {"zh": "显示", "en": "Show"},
    "group_doc": {"zh": "按文件分组", "en": "by document"},
    "group_none": {"zh": "逐条", "en": "one per record"},
    "group_count": {"zh": "{n} 条匹配", "en": "{n} matching"},
    "group_more": {"zh": "查看本文件全部 {n} 条结果", "en": "All {n} results in this document"},
    "results_page": {"zh": "第 {page}/{pages} 页", "en": "page {page} of {pages}"},
    "searched_for": {"zh": "检索了:", "en": "Searched for:"},
    "interp_excluded": {"zh": "排除", "en": "excluded"},
    "interp_expansions": {"zh": "扩展", "en": "expanded"},
    "interp_dropped": {"zh": "已取消的扩展", "en": "dropped expansions"},
    "interp_ignored": {"zh": "忽略", "en": "ignored"},
    "exp_as_written": {"zh": "按原文", "en": "as written"},
    "exp_search": {"zh": "直接检索中文“{term}”", "en": "Search the Chinese {term} directly"},
    "exp_drop": {"zh": "取消扩展“{term}”", "en": "Drop the expansion {term}"},
    "exp_restore": {"zh": "恢复", "en": "restore"},
    "did_you_mean": {"zh": "您是不是要找:", "en": "Did you mean:"},
    # interpretation["message_key"] of the search layer (indexer.search.MESSAGES)
    "msg_fallback": {
        "zh": "没有记录同时包含 {terms},以下为最接近的部分匹配。",
        "en": "No record contains all of {terms}; showing the best partial matches.",
    },
    "msg_browse": {"zh": "按文件顺序浏览。", "en": "Browsing in document order."},
    "msg_nothing": {
        "zh": "检索式中没有可检索的内容:见被忽略的部分。",
        "en": "Nothing searchable in the query: see the ignored parts.",
    },
    # interpretation["ignored"][i]["key"] (indexer.search.IGNORED_REASONS)
    "ignored_control_chars": {"zh": "已删除控制字符或无效字符", "en": "control or invalid "
                              "characters removed"},
    "ignored_negated_filter": {"zh": "筛选条件不能取反", "en": "filters cannot be negated"},
    "ignored_empty_filter": {"zh": "筛选条件为空:应写作 {field}:值",
                             "en": "empty filter: write {field}:value"},
    "ignored_unmatched_quote": {"zh": "引号不成对", "en": "unmatched quote"},
    "ignored_redundant_and": {"zh": "各词之间本来就是“且”关系",
                              "en": "all words must match already"},
    "ignored_lonely_or": {"zh": "OR 两边都需要有检索词", "en": "OR needs a word on both sides"},
    "ignored_lonely_not": {"zh": "NOT 后面需要有检索词", "en": "NOT needs a word after it"},
    "ignored_empty_phrase": {"zh": "短语中没有可检索的字符",
                             "en": "no searchable characters in the phrase"},
    "ignored_unsearchable": {"zh": "没有可检索的字符", "en": "no searchable characters"},
    "ignored_not_an_expansion": {"zh": "不是本次检索的扩展词,无需取消",
                                 "en": "not an expansion of this query: nothing to drop"},
    "ignored_pinyin_held_back": {
        "zh": "也是拼音,但对应的汉字太多,未作扩展:请加声调(如 {word}1)或写出整个词",
        "en": "also the pinyin of too many characters, so not expanded: add a tone ({word}1) "
        "or write the whole word",
    },
    "all_records": {"zh": "全部记录", "en": "all records"},
    "facets": {"zh": "筛选", "en": "Filters"},
    "facet_doc": {"zh": "文件", "en": "Document"},
    "facet_year": {"zh": "年份", "en": "Year"},
    "facet_office": {"zh": "机关", "en": "Office"},
    "facet_kind": {"zh": "类型", "en": "Type"},
    "facet_level": {"zh": "获奖级别", "en": "Award level"},
    "facet_person": {"zh": "人物", "en": "Person"},
    "facet_yearbook": {"zh": "年鉴", "en": "Yearbook"},
    "facet_none": {"zh": "无", "en": "none"},
    "facet_more": {"zh": "其余 {n} 项…", "en": "{n} more…"},
    "facet_back": {"zh": "返回检索结果", "en": "Back to the results"},
    "remove_filter": {"zh": "移除筛选", "en": "Remove filter"},
    "clear_filters": {"zh": "清除全部筛选", "en": "Clear all filters"},
    "sort": {"zh": "排序", "en": "Sort"},
    "sort_relevance": {"zh": "相关度", "en": "Relevance"},
    "sort_date": {"zh": "日期", "en": "Date"},
    "kind_clause": {"zh": "条款", "en": "Clause"},
    "kind_award": {"zh": "获奖", "en": "Award"},
    "kind_list": {"zh": "名单", "en": "List entry"},
    "doc_kind_policy": {"zh": "政策文件", "en": "Policy"},
    "doc_kind_table": {"zh": "获奖表", "en": "Award table"},
    "doc_kind_list": {"zh": "荣誉名单", "en": "Honour list"},
    "permalink": {"zh": "永久链接", "en": "Permalink"},
    "cite": {"zh": "引用", "en": "Cite"},
    "copy": {"zh": "复制", "en": "Copy"},
    "copied": {"zh": "已复制", "en": "Copied"},
    "export_citation": {"zh": "导出引用", "en": "Export citation"},
    "export_results": {"zh": "下载全部结果", "en": "Download all results"},
    "export_citations": {"zh": "全部引用", "en": "All citations"},
    "cite_document": {"zh": "引用本文件", "en": "Cite this document"},
    "cite_label": {"zh": "引用格式(GB/T 7714)", "en": "Citation (GB/T 7714 style)"},
    "prev": {"zh": "上一页", "en": "Previous"},
    "next": {"zh": "下一页", "en": "Next"},
    "pagination": {"zh": "分页", "en": "Pages"},
    "no_results": {"zh": "没有找到结果。", "en": "No results."},
    "no_results_drop": {"zh": "去掉筛选条件:", "en": "Drop a filter:"},
    "no_results_unquoted": {"zh": "不加引号检索:", "en": "Try without quotes:"},
    "no_results_partial": {"zh": "部分匹配:", "en": "Partial matches:"},
    "no_results_tips": {
        "zh": "换用更短的词、检查错别字,或查看检索帮助。",
        "en": "Try shorter words, check the spelling, or read the help.",
    },
    "empty_query": {
        "zh": "请输入检索词,或通过筛选浏览全部记录。",
        "en": "Type something to search, or browse every record with the filters.",
    },
    "doc_offices": {"zh": "发文机关", "en": "Issued by"},
    "doc_bodies": {"zh": "发文或颁奖机关", "en": "Issued or awarded by"},
    "doc_date": {"zh": "日期", "en": "Date"},
    "doc_validity": {"zh": "有效期", "en": "Valid"},
    "doc_valid_from": {"zh": "自 {date} 起施行", "en": "from {date}"},
    "doc_valid_until": {"zh": "至 {date}", "en": "until {date}"},
    "doc_validity_unknown": {"zh": "未注明", "en": "not stated"},
    "doc_cites": {"zh": "引用文件", "en": "Documents cited"},
    "doc_toc": {"zh": "目录", "en": "Contents"},
    "doc_records": {"zh": "记录数", "en": "Records"},
    "doc_size": {"zh": "字数", "en": "Characters"},
    "doc_title": {"zh": "标题", "en": "Title"},
    # "甲、乙、丙等 41 个单位" counts all of them, not the ones left unnamed.
    "and_more": {"zh": "等 {total} 个单位", "en": "… {total} in all"},
    "doc_search_within": {"zh": "在本文件中检索", "en": "Search this document"},
    "docs_title": {"zh": "文件列表", "en": "Documents"},
    "record_in": {"zh": "所属", "en": "In"},
    "record_in_context": {"zh": "在文件中阅读此条款", "en": "Read this clause in its document"},
    "record_section": {"zh": "位置", "en": "Section"},
    "record_line": {"zh": "原文行号", "en": "Source line"},
    "record_unit": {"zh": "获奖单位", "en": "Recipient"},
    "record_persons": {"zh": "获奖人", "en": "Persons"},
    "record_honour": {"zh": "荣誉", "en": "Honour"},
    "record_awarders": {"zh": "颁奖单位", "en": "Awarded by"},
    "record_level": {"zh": "级别", "en": "Level"},
    "record_name": {"zh": "名称", "en": "Name"},
    "record_heading": {"zh": "分类", "en": "Heading"},
    "record_source": {"zh": "来源", "en": "Source"},
    "record_entry_unit": {"zh": "单位", "en": "Unit"},
    "record_entry_person": {"zh": "个人", "en": "Person"},
    "level_national": {"zh": "国家级", "en": "National"},
    "level_provincial": {"zh": "省级", "en": "Provincial"},
    "level_municipal": {"zh": "市级", "en": "Municipal"},
    "similar": {"zh": "相似表述", "en": "Similar wording"},
    "cited_by": {"zh": "被以下文件引用", "en": "Cited by"},
    "help_title": {"zh": "检索语法", "en": "Query syntax"},
    "help_intro": {
        "zh": "检索词之间默认为“且”关系:每条结果包含全部词。中文按词和单字索引,不必输入空格。",
        "en": "Words are combined with AND: every result contains all of them. Chinese is "
        "indexed by word and by character, so no spaces are needed.",
    },
    "help_col_query": {"zh": "写法", "en": "Query"},
    "help_col_meaning": {"zh": "含义", "en": "Meaning"},
    "help_words": {"zh": "两个词都出现", "en": "both words occur"},
    "help_phrase": {"zh": "原文连续出现这一短语", "en": "this exact wording occurs"},
    "help_exclude": {"zh": "排除含有该词的记录", "en": "leave out records with the word"},
    "help_or": {"zh": "任一词出现", "en": "either word occurs"},
    "help_office": {"zh": "限定发文或颁奖机关", "en": "restrict to an issuing or awarding office"},
    "help_english": {
        "zh": "英文词按术语表和词典转为中文检索;结果页列出每个扩展,点 × 可取消",
        "en": "English is translated via the glossary and dictionary; the results list each "
        "expansion, and its × drops it",
    },
    "help_pinyin": {"zh": "拼音(可带声调)匹配中文词和人名", "en": "pinyin (tones optional) "
                    "matches Chinese words and names"},
    "help_traditional": {"zh": "繁体字匹配简体原文", "en": "Traditional characters match "
                         "the Simplified text"},
    "help_filters_title": {"zh": "筛选与排序", "en": "Filters and sorting"},
    "help_filters": {
        "zh": "结果页左侧的分面可按文件、年份、机关、类型筛选,点击已选条件即可移除。"
        "按相关度或日期排序。每个页面地址都可直接引用。",
        "en": "The facets beside the results filter by document, year, office and type; "
        "click a selected filter to remove it. Sort by relevance or date. Every page "
        "address can be cited as is.",
    },
    "help_api_title": {"zh": "JSON 接口", "en": "JSON API"},
    "help_api": {
        "zh": "每个页面都有对应的 JSON:/api/search、/api/docs、/api/doc/<id>、/api/record/<id>,"
        "参数与页面相同。",
        "en": "Every page has a JSON twin: /api/search, /api/docs, /api/doc/<id>, "
        "/api/record/<id>, taking the same parameters as the pages.",
    },
    "help_cite_title": {"zh": "引用", "en": "Citing"},
    "help_cite": {
        "zh": "每条记录都有永久链接和 GB/T 7714-2015 格式的引用文本(含引用日期),"
        "并可导出为 RIS、BibTeX、CSL-JSON;检索结果可整体下载为 CSV 或 JSON Lines。",
        "en": "Every record has a permalink and a GB/T 7714-2015 citation (with the access "
        "date), exportable as RIS, BibTeX or CSL-JSON; a whole result set downloads as CSV "
        "or JSON Lines.",
    },
    "error_title": {"zh": "出错了", "en": "Something went wrong"},
    "error_400": {"zh": "请求参数有误", "en": "Bad request"},
    "error_404": {"zh": "没有找到该页面或记录", "en": "Not found"},
    "error_405": {"zh": "不支持该请求方法", "en": "Method not allowed"},
    "error_500": {
        "zh": "服务器内部错误,请稍后重试。",
        "en": "Internal error; please try again later.",
    },
    "error_503": {
        "zh": "索引尚未建立:请先运行 make index。",
        "en": "The index has not been built yet: run make index.",
    },
    "error_back": {"zh": "返回检索首页", "en": "Back to the search page"},
    "err_int": {"zh": "参数 {name} 必须是整数", "en": "{name} must be a whole number"},
    "err_utf8": {
        "zh": "网址中的参数不是有效的 UTF-8 文本",
        "en": "The address's parameters are not valid UTF-8 text",
    },
    "err_range": {
        "zh": "参数 {name} 必须在 {lo} 到 {hi} 之间",
        "en": "{name} must be between {lo} and {hi}",
    },
    "err_choice": {
        "zh": "参数 {name} 只能是:{choices}",
        "en": "{name} must be one of: {choices}",
    },
    "err_q_long": {
        "zh": "检索词过长:最多 {max} 个字符(收到 {n} 个)",
        "en": "The query is too long: at most {max} characters (got {n})",
    },
    # No maxlength on the search box (it cut pasted text without a word): the server says
    # how long the text is and offers the tool made for passages.
    "long_query_similar": {
        "zh": "检索框最多接受 {max} 个字符,粘贴的文字有 {n} 个。要查找与这段文字措辞相近的条款,"
        "请使用相似表述检索:",
        "en": "The search box takes at most {max} characters and the pasted text has {n}. To "
        "find clauses worded like this passage, use the similar-wording search:",
    },
    "long_query_button": {"zh": "查找相似表述", "en": "Find similar wording"},
    "err_value_long": {
        "zh": "参数 {name} 过长", "en": "{name} is too long",
    },
    "err_unknown_value": {
        "zh": "参数 {name} 的值在索引中不存在:{value}",
        "en": "No {name} in the index matches: {value}",
    },
    "err_page_beyond": {
        "zh": "页码超出范围:共 {pages} 页",
        "en": "page is past the last page ({pages})",
    },
    "err_too_many": {
        "zh": "参数 {name} 最多 {max} 个(收到 {n} 个)",
        "en": "{name} may be given at most {max} times (got {n})",
    },
    "err_query": {"zh": "检索式有误:{msg}", "en": "Query error: {msg}"},
    # QueryError.key of the search layer (indexer.search.QUERY_ERRORS), shown in err_query
    "qerr_query_too_long": {"zh": "检索式过长({n} 个字符,上限 {max} 个)",
                            "en": "the query is too long ({n} characters; the limit is {max})"},
    "qerr_bad_page": {"zh": "页码必须是不小于 1 的整数(收到 {value})",
                      "en": "page must be a whole number ≥ 1 (got {value})"},
    "qerr_bad_size": {"zh": "每页条数必须在 1 到 {max} 之间(收到 {value})",
                      "en": "size must be between 1 and {max} (got {value})"},
    "qerr_bad_sort": {"zh": "排序方式只能是 {choices}(收到 {value})",
                      "en": "sort must be one of {choices} (got {value})"},
    "qerr_unknown_doc": {"zh": "找不到文件“{value}”:请用文件编号或标题的一部分",
                         "en": "unknown document {value}: use a document id or part of a title"},
    "qerr_bad_year": {"zh": "年份必须是数字,例如 2018(收到 {value})",
                      "en": "year must be a number such as 2018 (got {value})"},
    "qerr_no_year": {"zh": "没有 {value} 年的记录", "en": "no records from year {value}"},
    "qerr_unknown_office": {"zh": "找不到机关“{value}”", "en": "unknown office {value}"},
    "qerr_bad_level": {"zh": "获奖级别只能是 {choices}(收到 {value})",
                       "en": "level must be one of {choices} (got {value})"},
    "qerr_unknown_person": {"zh": "找不到人物“{value}”", "en": "no person named {value}"},
    "qerr_ambiguous_office": {"zh": "“{value}”可指 {n} 个机关,请选择其一:{choices}",
                              "en": "{value} names {n} offices; choose one: {choices}"},
    "qerr_unknown_yearbook": {"zh": "找不到年鉴“{value}”", "en": "unknown yearbook {value}"},
    "qerr_bad_kind": {"zh": "类型只能是 {choices}(收到 {value})",
                      "en": "kind must be one of {choices} (got {value})"},
    "qerr_empty_ref": {"zh": "ref: 后面需要文号或文件标题",
                       "en": "ref: needs a document number or title"},
    "qerr_bad_drop": {"zh": "取消的扩展词必须是词语列表(收到 {value})",
                      "en": "the dropped expansions must be a list of terms (got {value})"},
    "qerr_drop_too_many": {"zh": "最多可取消 {max} 个扩展词(收到 {n} 个)",
                           "en": "at most {max} expansions can be dropped (got {n})"},
    "qerr_drop_too_long": {"zh": "取消的扩展词最长 {max} 个字符(收到 {n} 个)",
                           "en": "a dropped expansion has at most {max} characters (got {n})"},
}


#: The cookie remembering the language a reader chose (permalinks carry no ``lang``).
LANG_COOKIE = "lang"


def resolve_lang() -> str:
    """Pick the interface language: ``lang`` in the URL wins, then the reader's cookie,
    then Accept-Language."""
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    remembered = request.cookies.get(LANG_COOKIE, "")
    if remembered in LANGS:
        return remembered
    best = request.accept_languages.best_match(LANGS)
    return best or DEFAULT_LANG


def translate(key: str, lang: str, **values: object) -> str:
    """Return message ``key`` in ``lang`` with ``{name}`` placeholders filled in."""
    text = MESSAGES[key][lang]
    return text.format(**values) if values else text


def query_error(err, lang: str) -> str:
    """The message of a search-layer ``QueryError`` in ``lang``, inside ``err_query``.

    The error's key and parameters are translated (``qerr_<key>``; every key of
    ``indexer.search.QUERY_ERRORS`` has a message).
    """
    # A list (the offices an ambiguous name may mean) is shown as the text enumerates.
    params = {name: "、".join(value) if isinstance(value, list) else value
              for name, value in err.params.items()}
    return translate("err_query", lang, msg=translate(f"qerr_{err.key}", lang, **params))


def ignored_reason(item: dict, lang: str) -> str:
    """The reason one ``interpretation["ignored"]`` item was ignored, in ``lang``."""
    return translate(f"ignored_{item['key']}", lang, **item["params"])


def interpretation_message(interp: dict, lang: str) -> str | None:
    """The interpretation's message (fallback, browse, nothing) in ``lang``, or None."""
    key = interp.get("message_key")
    return translate(f"msg_{key}", lang, **interp["message_params"]) if key else None


def english_name(zh: str) -> str | None:
    """The curated English name of a title or office, or None (Chinese only then)."""
    if not zh:
        return None
    try:
        return bilingual.english_name(zh)
    except (OSError, ValueError):
        # A missing or malformed glossary must not take the site down: show Chinese only.
        return None
