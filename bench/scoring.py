"""Scoring extraction against the fixtures' answers, shared by bench/extraction.py and the
quality gate (tests/test_quality_gate.py).

Body text is scored with ScrapingHub's article-extraction-benchmark method: tokens are
``\\w+`` matches, each text a multiset of overlapping 4-token shingles; per page tp/fp/fn
are normalised to sum to 1; precision and recall are averaged over the pages where they are
defined; F1 is the harmonic mean of the two averages.

Metadata is scored against Mozilla Readability's ``expected-metadata.json`` (title,
byline, publishedTime), which is Readability.js's own output, not human annotation.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPO_FIXTURES = REPO / "tests" / "fixtures"
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def default_fixtures() -> Path:
    """The repository's copies, else ``../shared/fixtures``."""
    if (REPO_FIXTURES / "aeb-dev" / "ground-truth.json").exists():
        return REPO_FIXTURES
    return SHARED_FIXTURES


# ---------------------------------------------------------------------------- body


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    out: Counter[tuple[str, ...]] = Counter()
    for i in range(max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i : i + n])
        if shingle:
            out[shingle] += 1
    return out


def shingle_match(true: str, pred: str) -> tuple[float, float, float]:
    """(tp, fp, fn) over 4-token shingles, normalised to sum to 1 (all 0 when both empty)."""
    t, p = _shingles(true), _shingles(pred)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return tp, fp, fn


@dataclass
class BodyScore:
    f1: float
    precision: float
    recall: float
    pages: int


def body_score(pairs: Iterable[tuple[str, str]]) -> BodyScore:
    """The benchmark's F1 over (truth, prediction) pairs, one per page."""
    precisions: list[float] = []
    recalls: list[float] = []
    pages = 0
    for true, pred in pairs:
        pages += 1
        tp, fp, fn = shingle_match(true, pred)
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return BodyScore(f1=f1, precision=p, recall=r, pages=pages)


def page_f1(true: str, pred: str) -> float:
    tp, fp, fn = shingle_match(true, pred)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class AebPage:
    page_id: str
    url: str
    html: str
    body: str


def aeb_pages(fixtures: Path) -> list[AebPage]:
    folder = fixtures / "aeb-dev"
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id in sorted(truth):
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(
            AebPage(
                page_id=page_id,
                url=truth[page_id].get("url") or f"https://example.invalid/{page_id}",
                html=raw.decode("utf-8", "replace"),
                body=truth[page_id].get("articleBody") or "",
            )
        )
    return pages


# ---------------------------------------------------------------------------- metadata


@dataclass
class ReadabilityPage:
    name: str
    html: str
    title: str | None
    byline: str | None
    published: str | None


def readability_pages(fixtures: Path) -> list[ReadabilityPage]:
    folder = fixtures / "readability"
    pages = []
    for meta_file in sorted(folder.glob("*/expected-metadata.json")):
        meta = json.loads(meta_file.read_text("utf-8"))
        raw = gzip.decompress((meta_file.parent / "source.html.gz").read_bytes())
        pages.append(
            ReadabilityPage(
                name=meta_file.parent.name,
                html=raw.decode("utf-8", "replace"),
                title=meta.get("title") or None,
                byline=meta.get("byline") or None,
                published=meta.get("publishedTime") or None,
            )
        )
    return pages


def _norm(text: str | None) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split())


_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»:]|::)\s+")


def headline_exact(expected: str | None, got: str | None) -> bool:
    """Same text once whitespace and typographic quotes are normalised."""
    return bool(expected) and _norm(expected) == _norm(got)


def headline_match(expected: str | None, got: str | None) -> bool:
    """Exact, or equal to one side of a site-name separator in the expected title
    (Readability.js keeps "Headline | Site" when the headline alone is short)."""
    if headline_exact(expected, got):
        return True
    if not expected or not got:
        return False
    parts = _SEPARATORS.split(_norm(expected))
    return len(parts) > 1 and _norm(got) in (
        _norm(" - ".join(parts[:-1])),
        _norm(" - ".join(parts[1:])),
        *parts,
    )


_NAME_TOKEN = re.compile(r"\w+")
_NOT_NAME = frozenset({"by", "and", "with", "avec", "et", "und", "y", "von", "par"})


def author_match(byline: str | None, authors: list[str] | None) -> bool:
    """Every name word of the expected byline and ours agree (case-insensitive, "By" and
    "and" ignored, order free)."""
    if not byline:
        return False

    def words(text: str) -> set[str]:
        return {w for w in _NAME_TOKEN.findall(_norm(text).lower()) if w not in _NOT_NAME}

    got = words(" ".join(authors or []))
    return bool(got) and got == words(byline)


def date_match(expected: str | None, got: str | None) -> bool:
    """Same calendar day as written (the first 10 characters of ISO 8601)."""
    if not expected or not got:
        return False
    m = re.match(r"\d{4}-\d{2}-\d{2}", expected.strip())
    return bool(m) and got.strip()[:10] == m.group(0)


# ---------------------------------------------------------------------------- modern-dev, trafilatura-dev


@dataclass
class ModernPage:
    page_id: str
    url: str
    html: str
    body: str  # main_content
    page_type: str  # article, forum, service, documentation, listing, product, collection
    title: str | None
    author: str | None
    published: str | None  # YYYY-MM-DD
    with_snippets: list[str]
    without_snippets: list[str]


def modern_pages(fixtures: Path) -> list[ModernPage]:
    """The Modern Content Extraction Benchmark's development half (``modern-dev/``)."""
    folder = fixtures / "modern-dev"
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    pages = []
    for page_id in sorted(truth):
        t = truth[page_id]
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        url = t.get("url") or f"https://example.invalid/{page_id}"
        if not url.startswith(("http://", "https://")):  # one relative URL in the set
            url = "https://example.invalid" + ("" if url.startswith("/") else "/") + url
        pages.append(
            ModernPage(
                page_id=page_id,
                url=url,
                html=raw.decode("utf-8", "replace"),
                body=t.get("main_content") or "",
                page_type=t.get("page_type") or "",
                title=t.get("title") or None,
                author=t.get("author") or None,
                published=t.get("publish_date") or None,
                with_snippets=_snippets(t.get("with")),
                without_snippets=_snippets(t.get("without")),
            )
        )
    return pages


@dataclass
class TrafilaturaPage:
    key: str  # the page's URL (or ``hard::FILE``)
    url: str
    html: str
    with_snippets: list[str]
    without_snippets: list[str]
    comments: list[str] | None  # None: not annotated; []: the page has no comments
    title: str | None
    author: str | None
    published: str | None


def trafilatura_pages(fixtures: Path) -> list[TrafilaturaPage]:
    """trafilatura's evaluation pages, development half (``trafilatura-dev/``), in the
    set's order. Bytes are decoded as a crawl decodes them (``decode.decode_html``)."""
    from scraper.extract.decode import decode_html

    folder = fixtures / "trafilatura-dev"
    data = json.loads((folder / "evaldata.json").read_text("utf-8"))
    pages = []
    for key, t in data.items():
        raw = gzip.decompress((folder / "html" / f"{t['file']}.gz").read_bytes())
        url = key if key.startswith(("http://", "https://")) else "https://example.invalid/"
        comments = t.get("comments")
        pages.append(
            TrafilaturaPage(
                key=key,
                url=url,
                html=decode_html(raw, None)[0],
                with_snippets=_snippets(t.get("with")),
                without_snippets=_snippets(t.get("without")),
                # only blank snippets: the page has comments nobody transcribed
                comments=None
                if comments is None or (comments and not _snippets(comments))
                else _snippets(comments),
                title=t.get("title") or None,
                author=t.get("author") or None,
                published=t.get("date") or None,
            )
        )
    return pages


def _snippets(values: list[str] | None) -> list[str]:
    """Blank and duplicate snippets dropped, order kept."""
    out: list[str] = []
    for v in values or []:
        if v and v.strip() and v not in out:
            out.append(v)
    return out


def _fold(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def snippet_found(snippet: str, text: str | None) -> bool:
    """The fixtures' snippet rule: a substring once runs of whitespace are one space,
    ignoring case."""
    return _fold(snippet) in _fold(text)


@dataclass
class SnippetScore:
    found: int  # with-snippets found
    wanted: int  # with-snippets in all
    leaked: int  # without-snippets found
    unwanted: int  # without-snippets in all

    @property
    def found_rate(self) -> float:
        return self.found / self.wanted if self.wanted else 0.0

    @property
    def leaked_rate(self) -> float:
        return self.leaked / self.unwanted if self.unwanted else 0.0


def snippet_score(pages: Iterable[tuple[list[str], list[str], str | None]]) -> SnippetScore:
    """Over (with, without, extracted text) per page."""
    s = SnippetScore(0, 0, 0, 0)
    for with_, without, text in pages:
        folded = _fold(text)
        s.wanted += len(with_)
        s.found += sum(_fold(w) in folded for w in with_)
        s.unwanted += len(without)
        s.leaked += sum(_fold(w) in folded for w in without)
    return s


# ---------------------------------------------------------------------------- every corpus at once

# The corpora bench/extraction.py and the quality gate report, in order: a name, the
# fixture corpus it reads, and which of its pages it keeps (modern-dev twice: its articles,
# then all its pages).
VIEWS: tuple[tuple[str, str, str | None], ...] = (
    ("aeb-dev", "aeb-dev", None),
    ("modern-dev articles", "modern-dev", "article"),
    ("modern-dev all", "modern-dev", None),
    ("trafilatura-dev", "trafilatura-dev", None),
    ("readability", "readability", None),
)


@dataclass
class Case:
    """One labelled page of any corpus, with whatever truth that corpus has."""

    corpus: str
    key: str
    url: str
    html: str
    page_type: str = "article"
    body: str | None = None  # reference main text (aeb-dev, modern-dev)
    with_snippets: list[str] = field(default_factory=list)
    without_snippets: list[str] = field(default_factory=list)
    title: str | None = None
    author: str | None = None
    published: str | None = None
    comments: list[str] | None = None  # comment snippets (trafilatura-dev); []: no comments

    @property
    def has_content(self) -> bool:
        """The truth says the page has main text (an empty extraction is then a miss)."""
        if self.body is not None or self.with_snippets:
            return bool((self.body or "").strip()) or bool(self.with_snippets)
        return self.corpus == "readability"


@dataclass
class Output:
    """What one extractor gave for one page."""

    text: str
    headline: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None


def corpus_cases(fixtures: Path, corpus: str) -> list[Case]:
    """Every labelled page of one fixture corpus, as ``Case``s."""
    if corpus == "aeb-dev":
        return [Case(corpus, p.page_id, p.url, p.html, body=p.body) for p in aeb_pages(fixtures)]
    if corpus == "modern-dev":
        return [
            Case(
                corpus, p.page_id, p.url, p.html, p.page_type, p.body,
                p.with_snippets, p.without_snippets, p.title, p.author, p.published,
            )
            for p in modern_pages(fixtures)
        ]  # fmt: skip
    if corpus == "trafilatura-dev":
        return [
            Case(
                corpus, p.key, p.url, p.html, "page", None, p.with_snippets,
                p.without_snippets, p.title, p.author, p.published, p.comments,
            )
            for p in trafilatura_pages(fixtures)
        ]  # fmt: skip
    if corpus == "readability":
        return [
            Case(
                corpus, p.name, f"https://example.invalid/{p.name}/", p.html,
                title=p.title, author=p.byline, published=p.published,
            )
            for p in readability_pages(fixtures)
        ]  # fmt: skip
    raise ValueError(f"unknown corpus {corpus!r}")


def view_cases(cases: list[Case], page_type: str | None) -> list[int]:
    """Indexes of the cases one view keeps."""
    return [i for i, c in enumerate(cases) if page_type is None or c.page_type == page_type]


def figures(cases: list[Case], outputs: list[Output]) -> dict[str, float | int | None]:
    """A view's figures for one extractor: body F1/P/R (where the corpus has a reference
    text), with-snippets found and without-snippets leaked (where it has snippets), empty
    bodies where the truth has content, and headline/author/published-date accuracy over
    the pages that state one (None where no page does)."""
    out: dict[str, float | int | None] = {"pages": len(cases)}
    bodies = [(c.body, o.text) for c, o in zip(cases, outputs, strict=True) if c.body is not None]
    if bodies:
        s = body_score((b or "", t) for b, t in bodies)
        out.update(body_f1=s.f1, body_precision=s.precision, body_recall=s.recall)
    else:
        out.update(body_f1=None, body_precision=None, body_recall=None)
    snip = snippet_score(
        (c.with_snippets, c.without_snippets, o.text) for c, o in zip(cases, outputs, strict=True)
    )
    out["with_found"] = snip.found_rate if snip.wanted else None
    out["without_leaked"] = snip.leaked_rate if snip.unwanted else None
    out["empty"] = sum(
        c.has_content and not o.text.strip() for c, o in zip(cases, outputs, strict=True)
    )
    for name, expected, ok in (
        ("headline", "title", lambda c, o: headline_match(c.title, o.headline)),
        ("author", "author", lambda c, o: author_match(c.author, o.authors)),
        ("date", "published", lambda c, o: date_match(c.published, o.published)),
    ):
        pairs = [(c, o) for c, o in zip(cases, outputs, strict=True) if getattr(c, expected)]
        out[name] = sum(ok(c, o) for c, o in pairs) / len(pairs) if pairs else None
    return out


@dataclass
class CommentScore:
    """trafilatura-dev's comment rule: a comment snippet should be in the extracted
    comments and not in the body; a page annotated with no comments should get none."""

    snippets: int  # comment snippets (blank ones and pages with only blank ones left out)
    present: int  # of them, in the page's text outside scripts and styles
    found: int  # in the extracted comments
    leaked: int  # in the body
    quiet_pages: int  # pages annotated "no comments"
    noisy: int  # of them, pages with comment text extracted


def page_text(html: str) -> str:
    """The text of a page outside scripts and styles (what a comment snippet can be
    found in at all)."""
    from scraper.extract.dom import parse_html

    tree = parse_html(html)
    for el in tree.xpath("//script | //style"):
        el.drop_tree()
    return tree.text_content()


def comment_score(
    cases: Iterable[Case], comments: Iterable[str], bodies: Iterable[str]
) -> CommentScore:
    """Comment figures over the pages annotated for comments (``Case.comments`` not None),
    given each page's extracted comment text and body text."""
    score = CommentScore(0, 0, 0, 0, 0, 0)
    for case, text, body in zip(cases, comments, bodies, strict=True):
        if case.comments is None:
            continue
        if not case.comments:
            score.quiet_pages += 1
            score.noisy += bool(text.strip())
            continue
        full = page_text(case.html)
        for snippet in case.comments:
            score.snippets += 1
            score.present += snippet_found(snippet, full)
            score.found += snippet_found(snippet, text)
            score.leaked += snippet_found(snippet, body)
    return score
