"""Disqus (https://disqus.com/): a hosted comment service.

The page holds ``<div id="disqus_thread">`` and loads ``//SHORTNAME.disqus.com/embed.js``
(the install snippet builds that address from ``disqus_shortname`` or writes it out);
``disqus_config`` (``this.page.identifier``, ``this.page.url``, ``this.page.title``) or
the older ``disqus_identifier`` / ``disqus_url`` / ``disqus_title`` variables name the
thread, else the page's canonical URL does. The embed script opens an iframe::

    GET ORIGIN/embed/comments/?base=default&f=SHORTNAME&t_i=IDENT&t_u=URL&t_t=TITLE&s_o=default
      -> HTML holding <script type="text/json" id="disqus-threadData">
           {"code": 0, "cursor": {"hasNext", "next", …},
            "response": {"thread": {"id", "posts": COUNT, …}, "posts": [POST, …]}}</script>

A page that already holds that iframe (a saved or rendered page) names ORIGIN itself;
otherwise ORIGIN is ``https://disqus.com/`` (``-s ARCHIVE_DISQUS_ORIGIN`` changes it).

POST (Disqus API docs, ``posts/details``): ``id``, ``parent`` (the parent's id, null at
the top), ``author {name, username, url}``, ``createdAt`` (``YYYY-MM-DDTHH:MM:SS``, UTC),
``message`` (HTML), ``isDeleted``. ``thread.posts`` is the thread's count.

Further pages come from the documented ``GET ORIGIN/api/3.0/threads/listPosts.json``
(``thread``, ``forum``, ``limit`` ≤ 100, ``order``, ``cursor``, ``api_key``: an API
application's public key) -> ``{"code": 0, "cursor": {"hasNext", "next"}, "response":
[POST, …]}``. The embed's own client uses a key of its own, which the embed page does not
give; we use only a key the page gives (``disqus_api_key``, set by some older install
snippets) or the crawl is given (``-s ARCHIVE_DISQUS_API_KEY``). Without one a
thread longer than the embed's first page is archived as far as that page goes and
marked partial (:attr:`WidgetPage.incomplete`).

Where the cursor sits in the embed's thread data (beside ``response``, or inside it) is
**inferred** from pages and readers of them, not documented: both are read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ...items import Comment
from ..pageindex import PageIndex
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text
from .shared import JS_COMMENT, iso_utc, load_json, page_thread_url, text_field

NAME = "disqus"
DEFAULT_ORIGIN = "https://disqus.com/"
EMBED_PATH = "embed/comments/"
LIST_PATH = "api/3.0/threads/listPosts.json"
PAGE_SIZE = 100  # listPosts' maximum

_SHORTNAME = r"[A-Za-z0-9][A-Za-z0-9_-]*"
_EMBED_JS = re.compile(r"(?:https?:)?//(" + _SHORTNAME + r")\.disqus\.com/embed\.js", re.I)
_SHORTNAME_VAR = re.compile(r"""disqus_shortname\s*[=:]\s*(["'])(""" + _SHORTNAME + r")\1")
_API_KEY_VAR = re.compile(r"""disqus_api_key\s*[=:]\s*(["'])([A-Za-z0-9]{16,})\1""")
_THREAD_DATA = re.compile(
    rb"""<script\b[^>]*\bid\s*=\s*["']disqus-threadData["'][^>]*>(.*?)</script\s*>""",
    re.S | re.I,
)


def _setting(code: str, name: str) -> str | None:
    """``this.page.NAME = "…"`` (``disqus_config``), else ``var disqus_NAME = "…"``."""
    for pattern in (
        r"this\.page\." + name + r"""\s*=\s*(["'`])(.*?)\1""",
        r"\bdisqus_" + name + r"""\s*=\s*(["'`])(.*?)\1""",
    ):
        found = re.search(pattern, code, re.S)
        if found and found.group(2).strip():
            return found.group(2).strip()
    return None


def _from_iframe(index: PageIndex, url: str) -> WidgetRef | None:
    """The embed's iframe already in the page: its origin and parameters."""
    for frame in index.tagged("iframe"):
        src = (frame.get("src") or "").strip()
        parts = urlsplit(src)
        if parts.scheme not in ("http", "https") or not parts.path.endswith("/" + EMBED_PATH):
            continue
        params = dict(parse_qsl(parts.query))
        forum = params.get("f", "")
        if not re.fullmatch(_SHORTNAME, forum):
            continue
        origin = f"{parts.scheme}://{parts.netloc}{parts.path[: -len(EMBED_PATH)]}"
        settings = {"forum": forum, "host": "page"}
        for key, name in (("t_i", "identifier"), ("t_u", "url"), ("t_t", "title")):
            if params.get(key):
                settings[name] = params[key]
        settings.setdefault("url", page_thread_url(index, url))
        thread = settings.get("identifier") or settings["url"]
        return WidgetRef(NAME, origin, thread, url, tuple(sorted(settings.items())))
    return None


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Disqus on this page: its embed iframe, or ``#disqus_thread`` and the embed script
    of a shortname (its address in a script, or built from ``disqus_shortname``)."""
    found = _from_iframe(index, url)
    if found is not None:
        return found
    if not index.values("id").get("disqus_thread"):
        return None
    forum: str | None = None
    code = []
    for script in index.tagged("script"):
        src = script.get("src")
        if src:
            match = _EMBED_JS.search(src)
            forum = forum or (match.group(1) if match else None)
            continue
        text = JS_COMMENT.sub("", script.text or "")
        if "disqus" not in text:
            continue
        code.append(text)
        match = _EMBED_JS.search(text)
        if forum is None and match:
            forum = match.group(1)
        if forum is None and ".disqus.com/embed.js" in text:
            named = _SHORTNAME_VAR.search(text)
            forum = named.group(2) if named else None
    if forum is None and code:  # the name set in one script, the embed built in another
        joined = "\n".join(code)
        named = _SHORTNAME_VAR.search(joined)
        if named and ".disqus.com/embed.js" in joined:
            forum = named.group(2)
    if forum is None:
        return None
    joined = "\n".join(code)
    settings = {"forum": forum, "host": "default"}
    for name in ("identifier", "url", "title"):
        value = _setting(joined, name)
        if value:
            settings[name] = value
    key = _API_KEY_VAR.search(joined)
    if key:  # the page's own key for the API (the older embed's disqus_api_key)
        settings["api_key"] = key.group(2)
    settings.setdefault("url", page_thread_url(index, url))
    thread = settings.get("identifier") or settings["url"]
    return WidgetRef(NAME, DEFAULT_ORIGIN, thread, url, tuple(sorted(settings.items())))


def configure(ref: WidgetRef, setting: Callable[[str], Any]) -> WidgetRef:
    """The crawl's settings on a ref: ``ARCHIVE_DISQUS_ORIGIN`` for a page that does not
    name the embed's host, ``ARCHIVE_DISQUS_API_KEY`` for the pages after the first."""
    options = dict(ref.options)
    api_base = ref.api_base
    origin = str(setting("ARCHIVE_DISQUS_ORIGIN") or "").strip()
    if origin and options.get("host") == "default":
        api_base = origin.rstrip("/") + "/"
    key = str(setting("ARCHIVE_DISQUS_API_KEY") or "").strip()
    if key:  # the crawl's own key before one the page gives
        options["api_key"] = key
    return replace(ref, api_base=api_base, options=tuple(sorted(options.items())))


def first_request(ref: WidgetRef) -> str:
    query = [("base", "default"), ("f", ref.option("forum") or "")]
    for key, name in (("t_i", "identifier"), ("t_u", "url"), ("t_t", "title")):
        value = ref.option(name)
        if value:
            query.append((key, value))
    query.append(("s_o", "default"))
    return f"{ref.api_base}{EMBED_PATH}?{urlencode(query)}"


def _list_url(ref: WidgetRef, thread_id: str, cursor: str | None = None) -> str:
    query = [
        ("api_key", ref.option("api_key") or ""),
        ("forum", ref.option("forum") or ""),
        ("thread", thread_id),
        ("limit", str(PAGE_SIZE)),
        ("order", "asc"),
    ]
    if cursor:
        query.append(("cursor", cursor))
    return f"{ref.api_base}{LIST_PATH}?{urlencode(query)}"


def _comment(post: Any) -> Comment:
    if not isinstance(post, dict) or post.get("id") in (None, ""):
        raise WidgetFormatError("a Disqus post without an id")
    parent = post.get("parent")
    parent_id = None if parent in (None, "", 0) else str(parent)
    deleted = post.get("isDeleted") is True
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    stamp = text_field(post, "createdAt")
    message = post.get("message") if isinstance(post.get("message"), str) else None
    return Comment(
        comment_id=str(post["id"]),
        parent_id=parent_id,
        author=None if deleted else text_field(author, "name") or text_field(author, "username"),
        published_at=iso_utc(stamp),
        text="" if deleted else html_text(message),
        depth=1 if parent_id is None else 2,
        published_at_raw=stamp,
        author_url=None if deleted else text_field(author, "url"),
    )


def _answer(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise WidgetFormatError("Disqus's answer is not an object")
    if data.get("code", 0) != 0:
        raise WidgetFormatError(f"Disqus answered code {data.get('code')}: {data.get('response')}")
    return data


def _more(cursor: Any) -> str | None:
    """The cursor of the next page, when the answer says there is one."""
    if isinstance(cursor, dict) and cursor.get("hasNext") is True:
        return text_field(cursor, "next") or ""
    return None


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """The embed page (its thread data) or one ``threads/listPosts`` answer."""
    page = WidgetPage()
    if urlsplit(url).path.endswith("/" + EMBED_PATH):
        found = _THREAD_DATA.search(body)
        if found is None:
            raise WidgetFormatError("Disqus's embed page holds no disqus-threadData")
        data = _answer(load_json(found.group(1), "Disqus"))
        response = data.get("response")
        if not isinstance(response, dict) or not isinstance(response.get("posts"), list):
            raise WidgetFormatError("Disqus's thread data has no posts")
        thread = response.get("thread") if isinstance(response.get("thread"), dict) else {}
        page.comments = [_comment(post) for post in response["posts"]]
        count = thread.get("posts")
        if isinstance(count, int) and not isinstance(count, bool):
            page.stated_count = count
        cursor = data.get("cursor", response.get("cursor"))
        thread_id = thread.get("id")
        if _more(cursor) is not None:
            if ref.option("api_key") and thread_id not in (None, ""):
                # the documented listing from its start; posts read twice are kept once
                page.next_requests.append(_list_url(ref, str(thread_id)))
            else:
                page.incomplete = True
        return page
    data = _answer(load_json(body, "Disqus"))
    posts = data.get("response")
    if not isinstance(posts, list):
        raise WidgetFormatError("Disqus's listPosts answer has no list of posts")
    page.comments = [_comment(post) for post in posts]
    after = _more(data.get("cursor"))
    if after:
        thread_id = dict(parse_qsl(urlsplit(url).query)).get("thread", "")
        page.next_requests.append(_list_url(ref, thread_id, after))
    elif after is not None:
        raise WidgetFormatError("Disqus's cursor has a next page but no next cursor")
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse, configure)
