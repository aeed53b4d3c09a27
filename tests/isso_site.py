"""A real Isso comment server on 127.0.0.1 and a small static site whose articles embed it.

:func:`isso_server` runs ``isso run`` (the package from PyPI) on a free port with a
temporary configuration and SQLite database; :func:`seed_threads` posts the threads
through Isso's own ``POST /new?uri=`` API; :func:`write_site` writes the articles (linked
by ``rel=prev/next``) whose pages hold ``<script data-isso=…>`` and
``<section id="isso-thread">``. :func:`isso_rows` reads the comments back from Isso's
database: the truth an archived thread is compared with.
"""

from __future__ import annotations

import html
import json
import random
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.generated_sites import free_port

ISSO = Path(sys.executable).with_name("isso")

_CONFIG = """\
[general]
dbpath = {db}
host = {site}/
[moderation]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
[guard]
enabled = false
[hash]
salt = newsarchive-tests
[markup]
options = strikethrough, autolink, fenced_code, no_intra_emphasis
"""


@dataclass
class IssoServer:
    base: str  # http://127.0.0.1:PORT/ (the API root, with its slash)
    db: Path
    process: subprocess.Popen[bytes]


@contextmanager
def isso_server(tmp: Path, site: str) -> Iterator[IssoServer]:
    """Isso on a free port of 127.0.0.1, its database under ``tmp``, until the block
    ends. ``site`` is the origin of the pages that embed it (Isso's CORS host)."""
    port = free_port()
    db = tmp / "isso-comments.db"
    config = tmp / "isso.cfg"
    config.write_text(_CONFIG.format(db=db, site=site, port=port), "utf-8")
    log = (tmp / "isso.log").open("wb")
    process = subprocess.Popen(
        [str(ISSO), "-c", str(config), "run"], stdout=log, stderr=subprocess.STDOUT
    )
    server = IssoServer(f"http://127.0.0.1:{port}/", db, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{server.base}?uri=/", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"isso did not start: {(tmp / 'isso.log').read_text()}")
            time.sleep(0.1)
        yield server
    finally:
        stop(server)
        log.close()


def stop(server: IssoServer) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait(timeout=10)


def post_comment(
    server: IssoServer, uri: str, data: dict[str, object]
) -> tuple[dict[str, object], str]:
    """``POST /new?uri=URI`` as the embed sends it: Isso's answer (the stored comment) and
    the cookie that lets its author delete it."""
    request = urllib.request.Request(
        f"{server.base}new?{urllib.parse.urlencode({'uri': uri})}",
        data=json.dumps(data).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        cookie = answer.headers["Set-Cookie"].split(";", 1)[0]
        return json.loads(answer.read()), cookie


def delete_comment(server: IssoServer, comment_id: int, cookie: str) -> None:
    """``DELETE /id/ID`` as its author: Isso removes it, or, when it has replies, keeps
    it with its text, author and website emptied (mode 4)."""
    request = urllib.request.Request(
        f"{server.base}id/{comment_id}", headers={"Cookie": cookie}, method="DELETE"
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        answer.read()


# What commenters write: Markdown as Isso takes it, and the text a reader sees of it.
_TEXTS = [
    ("First! Great piece.", "First! Great piece."),
    (
        "I disagree with the second point.\n\nThe figures from last year say otherwise.",
        "I disagree with the second point.\n\nThe figures from last year say otherwise.",
    ),
    ("This is *really* important & overdue.", "This is really important & overdue."),
    ("a < b, but does b > c? Nobody asks.", "a < b, but does b > c? Nobody asks."),
    ("Spasibo — спасибо за статью, très bien.", "Spasibo — спасибо за статью, très bien."),
    ("Line one\nline two of the same paragraph.", "Line one\nline two of the same paragraph."),
    ("**Correction**: the vote was on Tuesday.", "Correction: the vote was on Tuesday."),
]
_AUTHORS = ["Ann Lee", "Bo Chen", "Chiara Rossi", "Dmitri", "Émile Zola", None]


@dataclass
class Thread:
    path: str  # the article's path on the site
    uri: str  # Isso's key of the thread: the path, or the page's data-isso-id
    by_id: bool  # the page names the thread with data-isso-id
    ids: list[int] = field(default_factory=list)
    texts: dict[int, str] = field(default_factory=dict)  # comment id -> text a reader sees
    cookies: dict[int, str] = field(default_factory=dict)  # comment id -> its author's cookie


def _shape(rng: random.Random, tops: int) -> list[int]:
    """How many replies each top-level comment gets."""
    return [rng.choice([0, 0, 1, 2, 3, 5, 7]) for _ in range(tops)]


def seed_threads(server: IssoServer, threads: list[Thread], tops: list[int]) -> None:
    """Each thread gets its number of top-level comments, replies under some of them
    (replies to replies too, which Isso files under the top-level comment)."""
    rng = random.Random(12)
    for thread, n_top in zip(threads, tops, strict=True):
        for n_replies in _shape(rng, n_top):
            comment = _post(server, thread, rng, None, title=f"Article {thread.path}")
            under = [comment]
            for _ in range(n_replies):
                parent = rng.choice(under)  # a reply to a reply now and then
                under.append(_post(server, thread, rng, parent))


def _post(
    server: IssoServer, thread: Thread, rng: random.Random, parent: int | None, title: str = ""
) -> int:
    raw, seen = rng.choice(_TEXTS)
    data: dict[str, object] = {"text": raw, "parent": parent}
    author = rng.choice(_AUTHORS)
    if author:
        data["author"] = author
    if rng.random() < 0.3:
        data["website"] = f"https://{(author or 'anon').split()[0].lower()}.example.org/"
    if title:
        data["title"] = title
    stored, cookie = post_comment(server, thread.uri, data)
    comment_id = int(str(stored["id"]))
    thread.ids.append(comment_id)
    thread.texts[comment_id] = seen
    thread.cookies[comment_id] = cookie
    return comment_id


def delete_some(server: IssoServer, thread: Thread) -> tuple[int, int]:
    """Delete the thread's first top-level comment with replies (Isso keeps it, emptied)
    and its last reply (gone); their ids."""
    rows = isso_rows(server.db, thread.uri)
    parents = {r["parent"] for r in rows}
    kept = next(int(r["id"]) for r in rows if r["parent"] is None and r["id"] in parents)
    gone = max(int(r["id"]) for r in rows if r["parent"] not in (None, kept))
    for comment_id in (kept, gone):
        delete_comment(server, comment_id, thread.cookies[comment_id])
    thread.texts[kept] = ""
    thread.ids.remove(gone)
    return kept, gone


def isso_rows(db: Path, uri: str) -> list[dict[str, object]]:
    """The comments of one thread Isso shows (published, or deleted but kept for their
    replies) in its own database, by id."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute(
            "SELECT c.id, c.parent, c.created, c.author, c.website, c.text, c.mode "
            "FROM comments c JOIN threads t ON c.tid = t.id WHERE t.uri = ? AND c.mode IN (1, 4) "
            "ORDER BY c.id",
            [uri],
        ).fetchall()
        return [dict(r) for r in rows]
    finally:
        conn.close()


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Isso Gazette</title>
<link rel="canonical" href="{url}">
{links}
</head><body>
<header><a href="/">Isso Gazette</a></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By <span class="author">Ruth Marsh</span>,
<time datetime="2026-03-{day:02d}T09:00:00+00:00">March {day}, 2026</time></p>
{body}
</article>
<nav>{nav}</nav>
<section id="isso-thread"{thread_id}></section>
{script}
</main></body></html>
"""


def article_script(api: str, variant: str) -> str:
    """The embed as sites write it: ``data-isso`` plus settings, or only the script's
    address (Isso then takes the API root from it)."""
    src = f"{api}js/embed.min.js"
    settings = (
        'data-isso-max-comments-top="4" data-isso-max-comments-nested="2" '
        'data-isso-reveal-on-click="3"'
    )
    if variant == "src-only":
        return f'<script {settings} src="{src}"></script>'
    return f'<script data-isso="{api}" {settings} src="{src}"></script>'


def write_site(root: Path, site: str, api: str, threads: list[Thread]) -> list[str]:
    """One page per thread at its path, in a prev/next chain; the article URLs."""
    urls = [f"{site}{t.path}" for t in threads]
    for i, thread in enumerate(threads):
        title = f"Council debates budget, part {i + 1}"
        links, nav = [], []
        if i > 0:
            links.append(f'<link rel="prev" href="{urls[i - 1]}">')
            nav.append(f'<a rel="prev" href="{urls[i - 1]}">Previous article</a>')
        if i + 1 < len(threads):
            links.append(f'<link rel="next" href="{urls[i + 1]}">')
            nav.append(f'<a rel="next" href="{urls[i + 1]}">Next article</a>')
        body = "\n".join(
            f"<p>Paragraph {n} of part {i + 1}: the council met on Monday to weigh the "
            f"budget, and members argued over schools, roads and the library for hours "
            f"before a vote that surprised nobody in the chamber.</p>"
            for n in range(1, 6)
        )
        page = _PAGE.format(
            title=html.escape(title),
            url=urls[i],
            links="\n".join(links),
            day=i + 1,
            body=body,
            nav=" ".join(nav),
            thread_id=f' data-isso-id="{html.escape(thread.uri)}"' if thread.by_id else "",
            script=article_script(api, "src-only" if i == 1 else "data-isso"),
        )
        out = root / thread.path.strip("/") / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, "utf-8")
    return urls
