"""Re-crawl benchmark: what a scheduled run costs once the archive holds the site.

    python bench/recrawl.py [--articles 1000] [--no-record]

The demo site (scaled to ``--articles``) is crawled from its home page with the scheduled
command (``-a incremental=1``). Then the site changes: new articles, edited ones, new
comments, a removed comment, an article gone (410). The same command runs again. Printed:
the second run's full downloads (answers other than 304) and 304 answers against the
article and comment pages that really changed (scraper/demosite/changes.py), and which
changes the archive caught. Target: full downloads <= 1.2 x changed pages + 5, every new
and edited article caught. The table is written into docs/benchmarks.md ("Re-crawl")
unless ``--no-record``.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.demo import LOCAL_SETTINGS, run_crawl  # noqa: E402
from bench import report  # noqa: E402
from scraper.demosite import DemoServer  # noqa: E402
from scraper.demosite.changes import SiteChanges, change_site, changed_pages, staged_site  # noqa: E402

SECTION = "## Re-crawl"


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def scenario(
    n: int, new: int, edited: int, commented: int, seed: int = 5
) -> tuple[object, object, object, SiteChanges, int]:
    """(before, after, grown, changes, at): the site before and after the changes."""
    before, grown = staged_site(n, new)
    rng = random.Random(seed)
    recent = list(range(n - 25, n))  # comments land on the last days' articles
    # A removal or a deletion is seen when the article is next due (the last few days'
    # articles are checked daily by the default policy): pick those among the newest.
    with_comments = [i for i in recent[-6:] if grown.articles[i].comment_stubs]
    removed = rng.choice(with_comments)
    gone = rng.choice([i for i in recent[-6:] if i != removed])
    changes = SiteChanges(
        edited=tuple(sorted(rng.sample(range(n - 1), edited))),  # any age
        commented=tuple(
            sorted(rng.sample([i for i in recent if i not in (gone, removed)], commented))
        ),
        removed_comment=(removed,),
        gone=(gone,),
    )
    at = last_activity(grown) + 1800
    return before, change_site(grown, changes, at), grown, changes, at


def last_activity(site) -> int:  # type: ignore[no-untyped-def]
    """The site's newest publication or comment: a crawl "now" must come after it."""
    return max(max([a.last_modified_ts, *(s.ts for s in a.comment_stubs)]) for a in site.articles)


def caught(db: Path, base: str, before, after, changes: SiteChanges) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(db)
    try:
        urls = {r[0] for r in conn.execute("select canonical_url from articles")}
        heads = dict(conn.execute("select canonical_url, headline from articles"))
        ids = {
            (r[0], r[1])
            for r in conn.execute(
                "select article_url, comment_id from comments"
                + (
                    " where removed_at is null"
                    if _has_column(conn, "comments", "removed_at")
                    else ""
                )
            )
        }
        states = dict(conn.execute("select url, status from fetch_state"))
    finally:
        conn.close()
    new = [a for a in after.articles[len(before.articles) :]]
    out = {
        "new articles": (sum(base + a.path in urls for a in new), len(new)),
        "edited articles": (
            sum(
                heads.get(base + after.articles[i].path) == after.articles[i].headline
                for i in changes.edited
            ),
            len(changes.edited),
        ),
        "new comments": (
            sum(
                (base + after.articles[i].path, str(after.articles[i].comment_stubs[-1].id)) in ids
                for i in changes.commented
            ),
            len(changes.commented),
        ),
        "removed comment": (
            sum(
                (base + before.articles[i].path, str(before.articles[i].comment_stubs[-1].id))
                not in ids
                for i in changes.removed_comment
            ),
            len(changes.removed_comment),
        ),
        "gone article": (
            sum(states.get(base + after.articles[i].path) in (404, 410) for i in changes.gone),
            len(changes.gone),
        ),
    }
    return out


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"pragma table_info({table})"))


def run(n: int, new: int, edited: int, commented: int, workdir: Path) -> dict[str, object]:
    before, after, _, changes, at = scenario(n, new, edited, commented)
    db = workdir / "archive.db"
    settings = {**LOCAL_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": "16"}
    args = {"incremental": "1"}
    with DemoServer(before) as server:  # type: ignore[arg-type]
        start = server.url + "/"
        first_now = _iso(last_activity(before) + 3600)
        t0 = time.perf_counter()
        run_crawl(start, db, args, {**settings, "ARCHIVE_NOW": first_now})
        first_s = time.perf_counter() - t0
        first_answers = server.answers
        conn = sqlite3.connect(db)
        first_archived = conn.execute("select count(*) from articles").fetchone()[0]
        conn.close()
        server.replace_site(after)  # type: ignore[arg-type]
        server.clear_requests()
        t0 = time.perf_counter()
        run_crawl(start, db, args, {**settings, "ARCHIVE_NOW": _iso(at + 3600)})
        second_s = time.perf_counter() - t0
        answers = server.answers
        base = server.url
    truth = changed_pages(before, after)  # type: ignore[arg-type]
    changed = sum(truth.values())
    full = sum(1 for _, status in answers if status != 304)
    not_modified = sum(1 for _, status in answers if status == 304)
    article_paths = {a.path for a in after.articles}  # type: ignore[attr-defined]
    other = sum(1 for path, _ in answers if path.split("comment-page-")[0] not in article_paths)
    return {
        "articles": n,
        "first_requests": len(first_answers),
        "first_archived": first_archived,
        "first_s": first_s,
        "second_requests": len(answers),
        "second_s": second_s,
        "full": full,
        "not_modified": not_modified,
        "other": other,
        "changed_articles": len(truth),
        "changed_pages": changed,
        "bound": 1.2 * changed + 5,
        "caught": caught(db, base, before, after, changes),
    }


def table(r: dict[str, object]) -> str:
    caught_rows = "\n".join(
        f"| {name} | {got}/{want} |"
        for name, (got, want) in r["caught"].items()  # type: ignore[attr-defined]
    )
    ok = r["full"] <= r["bound"]  # type: ignore[operator]
    return f"""| measure | value |
|---|---|
| site | {r["articles"]} articles; first crawl: {r["first_archived"]} archived, {r["first_requests"]} requests in {r["first_s"]:.1f} s |
| changes | 10 new, 5 edited, 20 with a new comment, 1 comment removed, 1 article gone |
| pages that really changed (article + comment pages) | {r["changed_pages"]} (of {r["changed_articles"]} articles) |
| second run: requests | {r["second_requests"]} in {r["second_s"]:.1f} s |
| second run: full downloads (answers other than 304) | **{r["full"]}** |
| second run: 304 Not Modified | {r["not_modified"]} |
| second run: of which robots.txt, listings, sitemaps, feeds | {r["other"]} |
| target: full downloads <= 1.2 x changed + 5 | {r["bound"]:.0f}: {"met" if ok else "MISSED"} |

| change | caught by the second run |
|---|---|
{caught_rows}
"""


def record(text: str) -> None:
    report.record(
        "recrawl",
        f"{SECTION}\n\n`python bench/recrawl.py --articles 1000` (the scheduled command, "
        "`scrapy crawl articles -a start_url=HOME -a incremental=1`, twice; the demo site on "
        f"127.0.0.1, no delays). {report.stamp()}.\n\n{text}",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--new", type=int, default=10)
    parser.add_argument("--edited", type=int, default=5)
    parser.add_argument("--commented", type=int, default=20)
    parser.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.articles, args.new, args.edited, args.commented, Path(tmp))
    text = table(result)
    print(text)
    if not args.no_record:
        record(text)


if __name__ == "__main__":
    main()
