"""A small news site on 127.0.0.1 whose comment thread only a script of its own builds.

``/news/scripted/`` holds an empty ``<section id="comments">``, a "3 comments" link to it
and ``<script src="/static/thread.js">``; the script fetches ``/api/thread?uri=<path>``
(JSON) and builds the threaded list in the DOM: nested replies, authors, dates and
permalinks, in plain markup that is no real widget's. Its ``rel=prev`` neighbour
``/news/plain/`` is an article with no comments and no widget. ``/news/framed/`` (linked
from nowhere) shows the same thread in an ``<iframe>`` its script adds, the page in the
frame building the list; ``/news/lazy/`` loads it only once its container, below a
screenful of other content, comes into view. Every request is logged, so tests can tell what a crawl (and the
browser) fetched.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# The thread as its API serves it: (id, parent id, author, ISO time, text).
THREAD: list[tuple[str, str | None, str, str, str]] = [
    ("101", None, "Ana Ferreira", "2024-05-02T08:15:00+00:00", "The new tram timetable starts on Monday, not Sunday."),
    ("102", "101", "Bo Lindqvist", "2024-05-02T09:40:00+00:00", "Monday for the weekday lines; the night line changes on Sunday."),
    ("103", "102", "Ana Ferreira", "2024-05-02T10:05:00+00:00", "Thanks, that explains the two dates in the leaflet."),
    ("104", None, "Chidi Okafor", "2024-05-03T17:20:00+00:00", "Will the stop at the market reopen after the works?"),
    ("105", "104", "Dana Kovač", "2024-05-03T18:02:00+00:00", "The council says in June, once the platform is rebuilt."),
]  # fmt: skip

# The widget: fetch the thread's JSON, then build nested lists of comment items. Each
# item: an id, the author, a permalink around a <time>, and the text in its own block.
THREAD_JS = """
(function () {
  var box = document.getElementById("comments");
  var api = box.getAttribute("data-thread-api");
  var uri = box.getAttribute("data-uri") || location.pathname;
  fetch(api + "?uri=" + encodeURIComponent(uri))
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var lists = {};
      function list(parent) {
        if (!lists[parent]) {
          lists[parent] = document.createElement("ol");
          lists[parent].className = parent === "" ? "thread" : "replies";
        }
        return lists[parent];
      }
      data.comments.forEach(function (c) {
        var li = document.createElement("li");
        li.id = "comment-" + c.id;
        li.className = "comment";
        var head = document.createElement("header");
        var who = document.createElement("span");
        who.className = "comment-author";
        who.textContent = c.author;
        var link = document.createElement("a");
        link.href = uri + "#comment-" + c.id;
        var time = document.createElement("time");
        time.setAttribute("datetime", c.created);
        time.textContent = c.created.slice(0, 10);
        link.appendChild(time);
        head.appendChild(who);
        head.appendChild(document.createTextNode(" "));
        head.appendChild(link);
        var text = document.createElement("div");
        text.className = "comment-content";
        var p = document.createElement("p");
        p.textContent = c.text;
        text.appendChild(p);
        li.appendChild(head);
        li.appendChild(text);
        li.appendChild(list(c.id));
        list(c.parent || "").appendChild(li);
      });
      Object.keys(lists).forEach(function (id) {
        if (!lists[id].children.length) { lists[id].remove(); }
      });
      var title = document.createElement("h2");
      title.textContent = data.comments.length + " comments";
      box.appendChild(title);
      box.appendChild(list(""));
      box.setAttribute("data-loaded", "1");
    });
})();
"""


# The framed widget: the page's script puts the thread's own page in an <iframe> (the way
# most hosted widgets show their threads); that page builds the list with THREAD_JS.
FRAME_JS = """
(function () {
  var box = document.getElementById("comments");
  var frame = document.createElement("iframe");
  frame.src = "/embed/thread.html?uri=" + encodeURIComponent(location.pathname);
  frame.title = "Comments";
  box.appendChild(frame);
})();
"""


# The lazy widget: the thread is only loaded once its container comes into view (as many
# hosted widgets do), the container sitting below a screenful of other content.
LAZY_JS = """
(function () {
  var box = document.getElementById("comments");
  new IntersectionObserver(function (entries, observer) {
    if (entries.some(function (e) { return e.isIntersecting; })) {
      observer.disconnect();
      var s = document.createElement("script");
      s.src = "/static/thread.js";
      document.body.appendChild(s);
    }
  }).observe(box);
})();
"""


def embed_page(uri: str) -> str:
    """The thread's own page, shown in the framed widget's <iframe>."""
    return (
        '<!doctype html><html><head><meta charset="utf-8"></head><body>'
        f'<div id="comments" data-thread-api="/api/thread" data-uri="{escape(uri)}"></div>'
        '<script src="/static/thread.js"></script></body></html>'
    )


def _page(
    title: str,
    body: str,
    *,
    prev: str | None = None,
    thread: bool = False,
    script: str = "/static/thread.js",
) -> str:
    links = f'<link rel="prev" href="{prev}">' if prev else ""
    nav = f'<nav><a rel="prev" href="{prev}">Previous article</a></nav>' if prev else ""
    comments = ""
    if thread:
        comments = (
            '<p class="meta"><a href="#comments">3 comments</a></p>'
            '<section id="comments" data-thread-api="/api/thread">'
            "<noscript>Turn on JavaScript to read the comments.</noscript></section>"
            f'<script src="{script}"></script>'
        )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta property="og:type" content="article">{links}</head><body>'
        f"<article><h1>{escape(title)}</h1>"
        '<time datetime="2024-05-01T07:00:00+00:00" class="published">1 May 2024</time>'
        f"{body}</article>{nav}{comments}</body></html>"
    )


_PARAGRAPHS = (
    "<p>The city's transport board published the summer timetable for the tram network "
    "this week, with more frequent trains on the two busiest lines and a later last tram "
    "on Fridays and Saturdays.</p>"
    "<p>Works at the market stop close it for six weeks; buses replace the trams between "
    "the station and the bridge, and the board promises signs at every stop.</p>"
)


def pages() -> dict[str, tuple[str, str]]:
    """Path → (content type, body)."""
    return {
        "/robots.txt": ("text/plain", "User-agent: *\nDisallow: /private/\n"),
        "/news/scripted/": (
            "text/html; charset=utf-8",
            _page("Summer timetable for the trams", _PARAGRAPHS, prev="/news/plain/", thread=True),
        ),
        "/news/plain/": (
            "text/html; charset=utf-8",
            _page(
                "Market stop closes for works",
                "<p>The market stop closes for six weeks from Monday while its platform is "
                "rebuilt; replacement buses run every ten minutes between the station and "
                "the bridge.</p><p>The board apologises for the longer journeys.</p>",
            ),
        ),
        "/news/framed/": (
            "text/html; charset=utf-8",
            _page(
                "Night line changes on Sunday",
                _PARAGRAPHS,
                thread=True,
                script="/static/frame.js",
            ),
        ),
        "/news/lazy/": (
            "text/html; charset=utf-8",
            _page(
                "Ticket machines replaced",
                _PARAGRAPHS + '<div style="height: 4000px">Timetables by line.</div>',
                thread=True,
                script="/static/lazy.js",
            ),
        ),
        "/static/thread.js": ("application/javascript", THREAD_JS),
        "/static/frame.js": ("application/javascript", FRAME_JS),
        "/static/lazy.js": ("application/javascript", LAZY_JS),
    }


def thread_json(uri: str) -> str:
    comments = [
        {"id": cid, "parent": parent, "author": author, "created": created, "text": text}
        for cid, parent, author, created, text in THREAD
    ]
    threaded = uri in ("/news/scripted/", "/news/framed/", "/news/lazy/")
    return json.dumps({"uri": uri, "comments": comments if threaded else []})


@dataclass
class RenderSite:
    origin: str = ""
    requests: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fetched(self, path: str) -> int:
        with self.lock:
            return sum(1 for p in self.requests if urlsplit(p).path == path)


@contextmanager
def serve_render_site() -> Iterator[RenderSite]:
    site = RenderSite()
    content = pages()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with site.lock:
                site.requests.append(self.path)
            parts = urlsplit(self.path)
            if parts.path == "/api/thread":
                uri = parse_qs(parts.query).get("uri", [""])[0]
                kind, body = "application/json", thread_json(uri)
            elif parts.path == "/embed/thread.html":
                uri = parse_qs(parts.query).get("uri", [""])[0]
                kind, body = "text/html; charset=utf-8", embed_page(uri)
            elif parts.path in content:
                kind, body = content[parts.path]
            else:
                self.send_error(404)
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
