"""A small static news site whose articles embed a comment widget: for the adapters'
crawl tests (tests/isso_site.py builds Isso's own)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

_ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><link rel="canonical" href="{url}"></head><body>
<main><article><h1>{title}</h1>
<p>By <span class="author">Ruth Marsh</span>, <time datetime="2026-03-0{n}T09:00:00+00:00">March {n}</time></p>
{body}</article><nav>{nav}</nav>
{embed}
</main></body></html>"""


def article_urls(site: str, n: int) -> list[str]:
    return [f"{site}/posts/budget-day-{i}/" for i in range(1, n + 1)]


def write_articles(root: Path, urls: list[str], embed: Callable[[str], str]) -> None:
    """One page per URL under ``root`` (at its path), linked previous/next, each holding
    ``embed(url)`` (the widget's element and scripts) after the article."""
    for i, url in enumerate(urls):
        links = [f'<a rel="prev" href="{urls[i - 1]}">Previous article</a>'] if i else []
        if i + 1 < len(urls):
            links.append(f'<a rel="next" href="{urls[i + 1]}">Next article</a>')
        body = "\n".join(
            f"<p>Paragraph {k}: the council met again to weigh the budget, and members "
            "argued over schools, roads and the library for hours before the vote.</p>"
            for k in range(5)
        )
        page = _ARTICLE.format(
            title=f"Budget, day {i + 1}",
            url=url,
            n=i + 1,
            body=body,
            nav=" ".join(links),
            embed=embed(url),
        )
        path = url.split("://", 1)[1].split("/", 1)[1]
        out = root / path / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, "utf-8")
