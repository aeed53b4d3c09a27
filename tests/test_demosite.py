"""The demo news site: deterministic content, markup that agrees with its truth, the server."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import lxml.html
import pytest

from scraper.demosite import DemoServer, FaultError, build_site, site_truth
from scraper.demosite.content import COMMENTS_PER_PAGE, Site
from scraper.demosite.render import render_article

BASE = "http://demo.test"


@pytest.fixture(scope="module")
def site() -> Site:
    return build_site()


@pytest.fixture(scope="module")
def truth(site: Site) -> dict:
    return site_truth(site, BASE)


@pytest.fixture(scope="module")
def server(site: Site) -> Iterator[DemoServer]:
    with DemoServer(site) as s:
        yield s


def fetch(
    server: DemoServer, path: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


# -- a reference reading of the markup with the documented selectors ----------------------


def txt(el: lxml.html.HtmlElement) -> str:
    return " ".join(el.text_content().split())


def read_article(html: str) -> dict:
    root = lxml.html.document_fromstring(html)
    content = root.xpath('//div[contains(@class, "td-post-content")]')[0]
    blocks: list[str] = []
    for el in content:
        if el.tag in ("p", "h2", "blockquote"):
            blocks.append(txt(el))
        elif el.tag == "ul":
            blocks += [txt(li) for li in el.xpath("./li")]
    featured = content.xpath('.//div[@class="td-post-featured-image"]//img/@src')[0]
    images: list[dict[str, str | None]] = [{"url": featured, "caption": None}]
    images += [
        {"url": f.xpath(".//img/@src")[0], "caption": txt(f.xpath(".//figcaption")[0])}
        for f in content.xpath("./figure")
    ]
    neighbours = {}
    for cell in root.xpath('//div[contains(@class, "td-post-next-prev-content")]'):
        label, link = txt(cell.xpath("./span")[0]), cell.xpath("./a")[0]
        neighbours[label] = (link.get("href"), txt(link))
    prev = neighbours.get("Previous article", (None, None))
    nxt = neighbours.get("Next article", (None, None))
    header = root.xpath('//div[@class="td-post-header"]')[0]
    return {
        "canonical_url": root.xpath('//link[@rel="canonical"]/@href')[0],
        "headline": txt(header.xpath('.//h1[@class="entry-title"]')[0]),
        "authors": [txt(a) for a in header.xpath('.//div[@class="td-post-author-name"]/a')],
        "published_at": header.xpath(".//time/@datetime")[0],
        "section": txt(header.xpath('.//ul[@class="td-category"]//a')[0]),
        "tags": [txt(a) for a in root.xpath('//ul[contains(@class, "td-tags")]/li/a')],
        "language": root.get("lang"),
        "body_blocks": blocks,
        "images": images,
        "prev_url": prev[0],
        "prev_title": prev[1],
        "next_url": nxt[0],
        "next_title": nxt[1],
    }


def read_comments(html: str) -> tuple[list[dict], str | None]:
    root = lxml.html.document_fromstring(html)
    out = []
    for li in root.xpath('//ol[@class="comment-list"]//li[contains(@class, "comment")]'):
        parents = li.xpath('ancestor::li[contains(@class, "comment")]')
        cite = li.xpath("./article/footer/cite")[0]
        out.append(
            {
                "comment_id": li.get("id").removeprefix("li-comment-"),
                "parent_id": parents[-1].get("id").removeprefix("li-comment-") if parents else None,
                "author": txt(cite),
                "author_url": (cite.xpath("./a/@href") or [None])[0],
                "published_at": li.xpath("./article/footer/a/time/@datetime")[0],
                "text": txt(li.xpath('./article/div[@class="comment-content"]')[0]),
                "depth": len(parents) + 1,
            }
        )
    newer = root.xpath('//div[@class="comment-pagination"]//a[text()="Newer Comments"]/@href')
    return out, (newer[0].split("#")[0] if newer else None)


def page_html(site: Site, url: str) -> str:
    path = urlsplit(url).path
    for a in site.articles:
        if path.startswith(a.path):
            rest = path[len(a.path) :]
            page = int(rest.split("-")[-1].strip("/")) if rest else 1
            return render_article(site, a, BASE, page)
    raise AssertionError(url)


# -- content ------------------------------------------------------------------------------


def test_build_is_deterministic() -> None:
    one, two = build_site(), build_site()
    assert one == two
    assert one.articles[7].body == two.articles[7].body
    assert site_truth(one) == site_truth(two)
    assert build_site(seed=8).articles[0].headline != one.articles[0].headline


def test_articles_run_oldest_to_newest_with_unique_paths(site: Site) -> None:
    assert len(site.articles) == 36
    stamps = [a.published_ts for a in site.articles]
    assert stamps == sorted(stamps) and len(set(stamps)) == 36
    assert len({a.path for a in site.articles}) == 36
    assert all(a.published_at[-6:] in ("+01:00", "+02:00") for a in site.articles)
    assert any(a.modified_at for a in site.articles)


def test_text_is_varied_and_international(site: Site, truth: dict) -> None:
    sizes = [len(a["body_text"].encode()) for a in truth["articles"]]
    assert min(sizes) >= 3000 and max(sizes) <= 6500
    assert len({a["body_blocks"][1] for a in truth["articles"]}) == 36
    bodies = " ".join(a["body_text"] for a in truth["articles"])
    for needle in ("«", "„", "“", "—", "ü", "Мы"):
        assert needle in bodies
    authors = {n for a in truth["articles"] for n in a["authors"]}
    assert {"Zoë Brandt", "Łukasz Nowak", "Анна Петрова"} & authors
    assert any(len(a["authors"]) == 2 for a in truth["articles"])


def test_special_articles(site: Site, truth: dict) -> None:
    zero = site.articles[site.specials.zero_comments]
    assert zero.comment_count == 0
    paginated = site.articles[site.specials.paginated_comments]
    top = [c for c in paginated.comments if c.parent_id is None]
    assert len(top) >= 25 and paginated.comment_pages == 3
    assert all(c.page == i // COMMENTS_PER_PAGE + 1 for i, c in enumerate(top))
    assert max(c.depth for c in paginated.comments) == 4
    nested = [a for a in site.articles if any(c.depth > 1 for c in a.comments)]
    assert len(nested) >= 5
    private = truth["articles"][site.specials.private_link]["body_text"]
    assert "an internal memo" in private


def test_comment_ids_are_unique_and_grow_with_time(site: Site) -> None:
    comments = [c for a in site.articles for c in a.comments]
    assert len({c.id for c in comments}) == len(comments)
    by_time = sorted(comments, key=lambda c: (c.published_ts, c.id))
    assert [c.id for c in by_time] == sorted(c.id for c in comments)
    by_id = {c.id: c for c in comments}
    assert all(by_id[c.parent_id].published_ts < c.published_ts for c in comments if c.parent_id)


def test_ten_thousand_articles_build_lazily() -> None:
    big = build_site(10_000)
    assert len(big.articles) == 10_000
    assert len({a.path for a in big.articles}) == 10_000
    assert big.articles[0].published_ts < big.articles[-1].published_ts
    page = render_article(big, big.articles[5000], BASE).encode()
    assert 20_000 < len(page) < 150_000


# -- markup agrees with truth ---------------------------------------------------------------


def test_markup_yields_the_truth(site: Site, truth: dict) -> None:
    for a, want in zip(site.articles, truth["articles"], strict=True):
        got = read_article(render_article(site, a, BASE))
        for key, value in got.items():
            assert value == want[key], (a.path, key)


def test_comments_across_pages_yield_the_truth(site: Site, truth: dict) -> None:
    for want in truth["articles"]:
        url: str | None = want["url"]
        comments, pages = [], []
        while url:
            pages.append(url)
            got, url = read_comments(page_html(site, url))
            comments += got
        assert comments == want["comments"], want["url"]
        assert pages == [p["url"] for p in want["comment_pages"]]
        assert pages[1:2] == want["comment_page_urls"]
        assert want["comment_count"] == len(comments)


def test_prev_next_form_one_chain(site: Site, truth: dict) -> None:
    url, seen = truth["start_url"], []
    while url:
        seen.append(url)
        url = read_article(page_html(site, url))["prev_url"]
    assert seen == [a["url"] for a in reversed(truth["articles"])]
    assert truth["articles"][0]["prev_url"] is None
    assert truth["articles"][-1]["next_url"] is None


def test_prev_next_block_has_labels_not_rel(site: Site) -> None:
    root = lxml.html.document_fromstring(render_article(site, site.articles[10], BASE))
    block = root.xpath('//div[contains(@class, "td-post-next-prev")]')[0]
    assert not block.xpath(".//a[@rel]") and not root.xpath('//a[@rel="prev" or @rel="next"]')
    assert [txt(s) for s in block.xpath(".//span")] == ["Previous article", "Next article"]


def test_widgets_never_link_the_neighbours(site: Site, truth: dict) -> None:
    for a, want in zip(site.articles, truth["articles"], strict=True):
        root = lxml.html.document_fromstring(render_article(site, a, BASE))
        block = root.xpath('//div[contains(@class, "td-post-next-prev")]')[0]
        block.drop_tree()
        hrefs = {urlsplit(h)._replace(query="").geturl() for h in root.xpath("//a/@href")}
        assert not {want["prev_url"], want["next_url"]} & hrefs, a.path


def test_noise_is_present_but_not_in_the_body(site: Site, truth: dict) -> None:
    html = render_article(site, site.articles[20], BASE)
    root = lxml.html.document_fromstring(html)
    content = root.xpath('//div[contains(@class, "td-post-content")]')[0]
    for cls in ("td-a-rec", "td-related-box", "td-post-sharing"):
        assert content.xpath(f'.//div[contains(@class, "{cls}")]'), cls
    body = truth["articles"][20]["body_text"]
    assert "Read also" not in body and "Advertisement" not in body and "Photo:" not in body
    related = root.xpath('//div[contains(@class, "td-related-widget")]//h3/a/@href')
    assert related and all("utm_source=related" in h for h in related)


def test_head_metadata_agrees_with_truth(site: Site, truth: dict) -> None:
    a, want = site.articles[18], truth["articles"][18]
    root = lxml.html.document_fromstring(render_article(site, a, BASE, 2))
    assert root.findtext(".//title") == f"{want['headline']} - The Demo Gazette"
    assert root.xpath('//link[@rel="canonical"]/@href') == [want["url"]]
    og = {m.get("property"): m.get("content") for m in root.xpath("//meta[@property]")}
    assert og["og:type"] == "article" and og["og:url"] == want["url"]
    assert og["article:published_time"] == want["published_at"]
    assert og["article:section"] == want["section"]
    graph = json.loads(root.xpath('//script[@type="application/ld+json"]/text()')[0])["@graph"]
    news = next(n for n in graph if n["@type"] == "NewsArticle")
    assert news["headline"] == want["headline"]
    assert [p["name"] for p in news["author"]] == want["authors"]
    assert news["keywords"] == want["tags"] and news["mainEntityOfPage"]["@id"] == want["url"]
    assert news["dateModified"] == want["modified_at"]
    assert og.get("article:modified_time") == a.modified_at


def test_zero_comment_article_shows_only_the_form(site: Site) -> None:
    zero = site.articles[site.specials.zero_comments]
    root = lxml.html.document_fromstring(render_article(site, zero, BASE))
    assert not root.xpath('//ol[@class="comment-list"]')
    assert root.xpath('//div[@id="comments"]//div[@id="respond"]//form[@id="commentform"]')
    assert "LEAVE A REPLY" in txt(root.xpath('//h3[@id="reply-title"]')[0])


def test_comment_pages_link_older_and_newer(site: Site) -> None:
    a = site.articles[site.specials.paginated_comments]
    middle = lxml.html.document_fromstring(render_article(site, a, BASE, 2))
    links = middle.xpath('//div[@class="comment-pagination"]//a')
    assert [(txt(x), x.get("href")) for x in links] == [
        ("Older Comments", f"{BASE}{a.path}#comments"),
        ("Newer Comments", f"{BASE}{a.path}comment-page-3/#comments"),
    ]
    title = middle.xpath('//div[contains(@class, "td-comments-title-wrap")]//h4/span')[0]
    assert title.text == f"{a.comment_count} COMMENTS"


# -- the server ---------------------------------------------------------------------------


def test_server_serves_the_site(server: DemoServer, site: Site) -> None:
    cases = {
        "/": "text/html; charset=UTF-8",
        "/page/2/": "text/html; charset=UTF-8",
        site.articles[3].path: "text/html; charset=UTF-8",
        "/category/world/": "text/html; charset=UTF-8",
        "/robots.txt": "text/plain; charset=utf-8",
        "/sitemap.xml": "application/xml; charset=UTF-8",
        "/feed/": "application/rss+xml; charset=UTF-8",
    }
    for path, ctype in cases.items():
        status, headers, body = fetch(server, path)
        assert (status, headers["Content-Type"]) == (200, ctype), path
        assert int(headers["Content-Length"]) == len(body)
        assert headers["ETag"]


def test_robots_sitemap_and_feed(server: DemoServer, site: Site) -> None:
    robots = fetch(server, "/robots.txt")[2].decode()
    assert "User-agent: *" in robots and "Disallow: /private/" in robots
    assert f"Sitemap: {server.url}/sitemap.xml" in robots
    sitemap = fetch(server, "/sitemap.xml")[2].decode()
    assert sitemap.count("<lastmod>") == 37 and server.url + site.articles[0].path in sitemap
    feed = fetch(server, "/feed/")[2].decode()
    assert '<rss version="2.0"' in feed and feed.count("<item>") == 20
    assert server.url + site.articles[-1].path in feed
    assert server.url + site.articles[15].path not in feed


def test_listings_paginate(server: DemoServer, site: Site) -> None:
    home = lxml.html.document_fromstring(fetch(server, "/")[2])
    titles = [txt(a) for a in home.xpath('//div[contains(@class, "td_module_10")]//h3/a')]
    assert titles == [a.headline for a in reversed(site.articles[-10:])]
    assert fetch(server, "/page/4/")[0] == 200 and fetch(server, "/page/5/")[0] == 404


def test_head_and_conditional_requests(server: DemoServer, site: Site) -> None:
    path = site.articles[5].path
    _, headers, body = fetch(server, path)
    head_status, head_headers, head_body = fetch(server, path, "HEAD")
    assert (head_status, head_body) == (200, b"")
    assert head_headers["Content-Length"] == str(len(body))
    assert fetch(server, path, headers={"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(server, path, headers={"If-None-Match": '"other"'})[0] == 200
    since = {"If-Modified-Since": headers["Last-Modified"]}
    assert fetch(server, path, headers=since)[0] == 304


def test_aliases_redirect_and_tracking_variants_serve(server: DemoServer, site: Site) -> None:
    a = site.articles[4]
    status, headers, _ = fetch(server, f"/?p={a.post_id}")
    assert (status, headers["Location"]) == (301, server.url + a.path)
    assert fetch(server, a.path.rstrip("/"))[1]["Location"] == server.url + a.path
    status, _, body = fetch(server, a.path + "?utm_source=related")
    canonical = lxml.html.document_fromstring(body).xpath('//link[@rel="canonical"]/@href')
    assert status == 200 and canonical == [server.url + a.path]
    assert fetch(server, "/no/such/page/")[0] == 404
    assert fetch(server, a.path + "comment-page-9/")[0] == 404


def test_request_log_records_method_path_and_headers(site: Site) -> None:
    with DemoServer(site) as s:
        fetch(s, "/robots.txt", headers={"User-Agent": "probe/1"})
        fetch(s, "/feed/", "HEAD")
        assert [(r.method, r.path) for r in s.requests] == [
            ("GET", "/robots.txt"),
            ("HEAD", "/feed/"),
        ]
        assert s.requests[0].headers["User-Agent"] == "probe/1"
        s.clear_requests()
        assert s.requested_paths() == []


def test_faults(site: Site) -> None:
    a, b = site.articles[1], site.articles[2]
    faults = {
        "/feed/": "500",
        a.path: "503-once",
        "/sitemap.xml": "404",
        f"{b.path}?utm_source=x": "redirect",
        b.path: "truncated",
        "/robots.txt": "non-html",
        site.articles[3].path: "bad-charset",
    }
    with DemoServer(site, faults=faults) as s:
        assert fetch(s, "/feed/")[0] == fetch(s, "/feed/")[0] == 500
        assert [fetch(s, a.path)[0] for _ in range(3)] == [503, 200, 200]
        assert fetch(s, "/sitemap.xml")[0] == 404
        status, headers, _ = fetch(s, f"{b.path}?utm_source=x")
        assert (status, headers["Location"]) == (301, s.url + b.path)
        with pytest.raises(http.client.IncompleteRead):
            fetch(s, b.path)
        status, headers, body = fetch(s, "/robots.txt")
        assert headers["Content-Type"] == "application/pdf" and body.startswith(b"%PDF")
        status, headers, body = fetch(s, site.articles[3].path)
        assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
        assert body.decode("utf-8") != body.decode("iso-8859-1")  # UTF-8 bytes, non-ASCII


def test_timeout_fault_stalls_and_latency_applies(site: Site) -> None:
    with DemoServer(site, faults={"/": "timeout"}, stall_seconds=5, latency=0.01) as s:
        conn = http.client.HTTPConnection(s.host, s.port, timeout=0.3)
        try:
            conn.request("GET", "/")
            with pytest.raises(TimeoutError):
                conn.getresponse()
        finally:
            conn.close()
        assert fetch(s, "/robots.txt")[0] == 200


def test_unknown_fault_kind_is_refused() -> None:
    with pytest.raises(FaultError):
        DemoServer(faults={"/": "explode"})


def test_command_line_serves_and_prints_the_url() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper.demosite", "--port", "0", "--articles", "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        url = line.split(": ", 1)[1].split()[0]
        parts = urlsplit(url)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            conn.request("GET", "/robots.txt")
            assert conn.getresponse().status == 200
        finally:
            conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout:
            proc.stdout.close()
