"""The previous/next chain as the archive holds it: segments, breaks and cycles.

The chain is the record of order; articles found by sitemaps, feeds or listings are
archived too, and this report says where the chain does not hold them together. It goes in
the ``chain`` column of the crawl's row.
"""

from __future__ import annotations

import sqlite3
from typing import Any

MAX_LISTED = 50


def chain_report(conn: sqlite3.Connection) -> dict[str, Any]:
    """``articles``: archived; ``linked``: with a prev or next link; ``segments``: runs of
    articles joined by prev links (1 for an unbroken chain); ``breaks``: links to URLs
    that are not archived articles, with the failure recorded for them if any;
    ``one_way``: A says prev is B but B says its next is someone else; ``cycles``: prev
    links that come back to where they started."""
    articles = {row[0] for row in conn.execute("SELECT canonical_url FROM articles")}
    links = conn.execute("SELECT from_url, rel, to_url FROM links").fetchall()
    prev = {f: t for f, rel, t in links if rel == "prev" and f in articles}
    nxt = {f: t for f, rel, t in links if rel == "next" and f in articles}
    failures = dict(
        conn.execute("SELECT key, reason FROM frontier WHERE state = 'failed'").fetchall()
    )
    breaks = [
        {"from": f, "rel": rel, "to": t, "reason": failures.get(t, "not archived")}
        for f, rel, t in sorted(links)
        if f in articles and t not in articles
    ]
    one_way = [
        {"from": a, "prev": b, "prev_says_next": nxt.get(b)}
        for a, b in sorted(prev.items())
        if b in articles and nxt.get(b) not in (None, a)
    ]
    linked = set(prev) | set(nxt)
    # Segments: articles whose prev link is missing or leaves the archive start one.
    starts = [a for a in articles if a in linked and prev.get(a) not in articles]
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for origin in sorted(prev):
        path: list[str] = []
        node: str | None = origin
        while node is not None and node in articles and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = prev.get(node)
        if node is not None and state.get(node) == 1:
            cycles.append(path[path.index(node) :])
        for n in path:
            state[n] = 2
    return {
        "articles": len(articles),
        "linked": len(linked),
        "unlinked": len(articles - linked),
        "segments": len(starts) + len(cycles),
        "breaks": breaks[:MAX_LISTED],
        "breaks_total": len(breaks),
        "one_way": one_way[:MAX_LISTED],
        "cycles": cycles[:MAX_LISTED],
    }
