"""The previous (older) and next (newer) article an article page links to.

Three mechanisms, in order, the first that finds a neighbour wins:

1. ``rel=prev/next`` on ``<a>`` links in the article's region; ``<link rel>`` in the head
   only when it does not point to another page of the same article or listing;
2. links the page marks as neighbours: a class or id token of the link or its holder
   that is a direction word (``nav-previous``, ``post-next``, ``older-link``, ...), or an
   ``aria-label`` that is a navigation label (recorded as source ``"cms"``);
3. label text ("Previous article", "Следующая статья", "이전 글", "← Previous", ...) in the
   main content, with the link in, around or next to the label.

Links in sidebars, footers, widgets, menus, related/popular lists and comment sections are
never taken, nor links to other hosts, to the page itself, to comment pages or to listing
pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .pageindex import PageIndex, page_index, xml_tokens
from .urls import absolute_url, canonicalize_url, host_of

__all__ = ["Neighbours", "find_neighbours"]


@dataclass
class Neighbours:
    prev_url: str | None = None  # the older article
    prev_title: str | None = None
    next_url: str | None = None  # the newer article
    next_title: str | None = None
    source: str | None = None  # "rel" | "cms" | "label"


_Link = tuple[str, str | None]

# ---------------------------------------------------------------------------- patterns


def _rel_links(ix: PageIndex) -> list[HtmlElement]:
    """``//a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' prev ') or … ' previous '
    or … ' next ']``."""
    found = [
        a
        for rel, els in ix.values("rel").items()
        if not {"prev", "previous", "next"}.isdisjoint(xml_tokens(rel))
        for a in els
        if a.tag == "a" and a.get("href") is not None
    ]
    return ix.in_order(found)


def _head_links(ix: PageIndex) -> list[HtmlElement]:
    """``//link[@href][@rel='prev' or @rel='previous' or @rel='next']``."""
    return [
        el
        for el in ix.tagged("link")
        if el.get("href") is not None and el.get("rel") in ("prev", "previous", "next")
    ]


def _first_h1(ix: PageIndex) -> HtmlElement | None:
    """``(//h1[not(ancestor::a)])[1]``."""
    for h1 in ix.tagged("h1"):
        if next(h1.iterancestors("a"), None) is None:
            return h1
    return None


_LABEL_TAGS = ("a", "span", "strong", "b", "em", "i", "p", "div", "li", "h2", "h3", "h4", "h5",
               "h6", "label", "small", "dt", "td")  # fmt: skip
_BODY = etree.XPath("/html/body | /body")


def _first_text(el: HtmlElement) -> str | None:
    """XPath's ``text()`` as a string: the element's first text node."""
    if el.text is not None:
        return el.text
    for child in el:
        if child.tail is not None:
            return child.tail
    return None


def _label_candidates(tree: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Elements in the body whose own first text is short: where a "Previous article"
    label can be (one Python pass; the equivalent XPath is three times slower), each with
    the text a label is read from (a link's whole text, another element's own text)."""
    for body in _BODY(tree):
        for el in body.iter(*_LABEL_TAGS):
            if el is body:
                continue
            own = el.text
            if own:
                # a label is read from text that starts with the element's own (a link's
                # whole text, another element's own text): when that already shows a
                # word no label starts with, the element is passed over
                word = _NOT_PUNCT.search(own)
                if word is not None and (
                    own[word.start() : word.start() + 2].lower() not in _LABEL_PREFIXES
                    or not _LABEL_START.match(own)
                ):
                    continue
            if el.tag == "a":
                first = own if own is not None else _first_text(el)
                if first and 0 < len(" ".join(first.split())) < 60:
                    yield el, _text(el)
            elif own:
                # without text of its own an element has nothing a label could match
                text = " ".join(own.split())
                if 0 < len(text) < 60:
                    yield el, text


# Regions whose links are never an article's neighbours (matched on id and class).
_EXCLUDED_REGION = re.compile(
    r"sidebar|widget|related|popular|trending|recommend|most-?read|mostviewed|menu|"
    r"breadcrumb|comment|share|sharing|social|site-footer|page-footer|"
    r"global-footer|newsletter|masthead|site-header|navbar|you-may|more-stories|"
    r"more-from|tag-?cloud|categories|archive|author-bio|subscribe|"
    r"promo|advert|sponsor",
    re.I,
)
_EXCLUDED_TAGS = frozenset({"aside", "head", "script", "style", "noscript", "template", "form"})
_ARTICLE_FOOTER = re.compile(r"entry|post|article|single", re.I)
_LISTING_PATH = re.compile(r"/page/\d+/?$|/(?:category|tag|author|tags|topics?|search)/", re.I)
_LISTING_PARAMS = frozenset({"page", "paged", "pg", "start", "offset", "s"})
_COMMENT_URL = re.compile(r"/comment-page-\d+|[?&]cpage=\d+|replytocom=|#comments?\b", re.I)
# class tokens of sliders, galleries and "read next"-style recommendations
_SKIP_TOKEN = re.compile(
    r"carousel|slide|slick|swiper|gallery|lightbox|pagination|"
    r"read-?next|up-?next|whats-?next|read-?more"
)

# Navigation labels in many languages. A label is a direction word, with or without a noun
# after it ("Previous article", "Vorheriger Artikel", "前の記事", "이전 글") or before it
# ("Article précédent", "Artículo anterior", "المقال السابق", "הכתבה הקודמת").
_PREV_WORDS = (
    "previous", "prev", "older",
    "pr[ée]c[ée]dente?s?",  # fr (also "Précedent" as printed)
    "vor(?:her)?ige[rns]?", "ältere[rns]?",  # de, nl (vorige)
    "anterior(?:es)?",  # es, pt, ro
    "precedente",  # it
    "poprzedni[aey]?",  # pl
    "предыдущ(?:ая|ий|ее|ие)", "попередн(?:я|ій|є)",  # ru, uk
    "前の", "上一篇", "上一頁", "上一页", "上一則", "이전",  # ja, zh, ko
    "السابق(?:ة)?",  # ar
    "önceki",  # tr
    "föregående", "forrige", "edellinen",  # sv, da/no, fi
    "předchozí", "predchádzajúci", "előző",  # cs, sk, hu
    "προηγούμεν(?:ο|η|ος)",  # el
    "הקודמ(?:ת)?|הקודם",  # he
    "sebelumnya",  # id
    "trước",  # vi
)  # fmt: skip
_NEXT_WORDS = (
    "next", "newer",
    "suivante?s?",  # fr
    "n(?:ä|ae)chste[rns]?", "neuere[rns]?", "volgende",  # de, nl
    "siguiente", "próxim[oa]", "proxim[oa]", "seguinte",  # es, pt
    "successiv[oa]", "prossim[oa]",  # it
    "następn(?:y|a|e)",  # pl
    "следующ(?:ая|ий|ее|ие)", "наступн(?:а|ий|е)",  # ru, uk
    "次の", "下一篇", "下一頁", "下一页", "下一則", "다음",  # ja, zh, ko
    "التالي(?:ة)?",  # ar
    "sonraki",  # tr
    "nästa", "næste", "neste", "seuraava",  # sv, da, no, fi
    "následující", "nasledujúci", "következő",  # cs, sk, hu
    "επόμεν(?:ο|η|ος)",  # el
    "הבא(?:ה)?",  # he
    "berikutnya", "selanjutnya",  # id
    "următo(?:r|are)", "urmato(?:r|are)",  # ro
    "tiếp\\s+theo",  # vi
)  # fmt: skip
# Words that stand for previous/next only inside a link already known to be one
# (German "zurück"/"weiter" are also "back" and "read on")
_ONLY_MARKED_WORDS = ("zurück", "weiter", "vorwärts", "back", "forward", "retour")
_NOUNS = (
    "article", "post", "story", "entry", "news", "item", "chapter", "episode", "podcast",
    "reading", "blog post", "page", "posts", "entries", "articles", "stories",
    "artikel", "beitrag", "eintrag", "meldung", "nachricht", "bericht", "news",  # de, nl
    "billet", "actualité",  # fr
    "artículo", "articulo", "entrada", "noticia", "publicación",  # es
    "articolo", "notizia",  # it
    "artigo", "notícia", "publicação",  # pt
    "wpis", "artykuł",  # pl
    "статья", "запись", "пост", "новость", "материал", "публикация", "стаття",  # ru, uk
    "記事", "投稿", "文章", "글", "기사", "포스트", "게시물",  # ja, zh, ko
    "مقال", "المقال", "مقالة", "المقالة", "الخبر", "خبر",  # ar
    "yazı", "haber",  # tr
    "inlägg", "indlæg", "innlegg", "artikkeli", "kirjoitus",  # sv, da, no, fi
    "článek", "příspěvek", "článok", "cikk", "bejegyzés",  # cs, sk, hu
    "άρθρο", "ανάρτηση",  # el
    "כתבה", "הכתבה", "פוסט", "הפוסט", "מאמר", "המאמר",  # he
    "artikel", "tulisan", "berita",  # id
    "articolul", "postarea",  # ro
    "bài", "bài viết",  # vi
)  # fmt: skip


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(sorted(set(words), key=len, reverse=True))


_NOUN = rf"(?:{_alt(_NOUNS)})".replace(" ", r"\s+")
_PREV_WORD = rf"(?:{_alt(_PREV_WORDS)})"
_NEXT_WORD = rf"(?:{_alt(_NEXT_WORDS)})"
_MARKED_WORD = rf"(?:{_alt(_ONLY_MARKED_WORDS)})"
# The end of a word: not followed by a Latin, Cyrillic, Greek, Arabic or Hebrew letter
# (Chinese, Japanese and Korean labels run straight into the title)
_END = r"(?![a-zà-öø-ÿāăąćčďđēėęěğīįıķłńňőœřśşšťūůűųźżžа-яёєіїґα-ωάέήίόύώϊϋΐΰ\u0600-\u06ff\u0590-\u05ff])"
_PREV_NOUN = rf"{_PREV_WORD}\s*{_NOUN}|{_NOUN}\s*{_PREV_WORD}"
_NEXT_NOUN = rf"{_NEXT_WORD}\s*{_NOUN}|{_NOUN}\s*{_NEXT_WORD}"
_LEFT = "«‹←<⟵❮◀◄⇐"
_RIGHT = "»›→>⟶❯▶►⇒"
_SEP = rf"[\s{_LEFT}{_RIGHT}:：|·.\-–—()\[\]]"
_PUNCT = rf"{_SEP}*"
_NOT_PUNCT = re.compile(rf"[^\s{_LEFT}{_RIGHT}:：|·.\-–—()\[\]]")
# How any label begins (a direction word or a noun), a cheap test before the patterns.
_LABEL_START = re.compile(rf"{_PUNCT}(?:{_PREV_WORD}|{_NEXT_WORD}|{_NOUN})", re.I)


def _prefixes(words: tuple[str, ...]) -> frozenset[str]:
    """The first two characters any of ``words`` (patterns) can start with, lower case; a
    pattern whose second character is not plain text gives its first character alone."""
    out: set[str] = set()
    for w in words:
        head = w[:2].lower()
        if len(head) == 2 and (head[1].isalpha() or head[1] == " "):
            out.add(head)
        else:
            out.update(head[0] + c for c in "abcdefghijklmnopqrstuvwxyzäöüéèàáóíú ")
            out.add(head[0])
    return frozenset(out)


# CJK and Hangul labels may be one character followed by anything: their first one suffices
_LABEL_PREFIXES = _prefixes((*_PREV_WORDS, *_NEXT_WORDS, *_NOUNS))
# A link or label found by its text: a direction word with a noun, after a left arrow or
# before a right one, followed by a colon, or standing alone.
_PREV_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_PREV_NOUN}|(?<=[{_LEFT}])\s*{_PREV_WORD}|{_PREV_WORD}(?=\s*[:：]|{_PUNCT}$))"
    rf"{_END}{_PUNCT}",
    re.I,
)
_NEXT_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_NEXT_NOUN}|{_NEXT_WORD}(?=\s*[:：{_RIGHT}]|{_PUNCT}$))"
    rf"{_END}{_PUNCT}",
    re.I,
)
# A label at the start of a title, removed: a direction word with a noun anywhere, a bare
# one before a separator or alone; trailing arrows and separators.
_ANY_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_PREV_NOUN}|{_NEXT_NOUN}|(?:{_PREV_WORD}|{_NEXT_WORD}|{_MARKED_WORD})"
    rf"(?=\s*[:：|{_LEFT}{_RIGHT}]|\s*$)){_END}{_PUNCT}|[\s{_LEFT}{_RIGHT}:：|·\-–—]+$",
    re.I,
)
_WORD_PREV = re.compile(r"(?:^|[-_])(?:prev|previous|older)(?:$|[-_])")
_WORD_NEXT = re.compile(r"(?:^|[-_])(?:next|newer)(?:$|[-_])")


def _marked(ix: PageIndex) -> list[HtmlElement]:
    """``(//@class | //@id)[contains(., 'prev') or contains(., 'next') or contains(., 'older')
    or contains(., 'newer')]/..``."""
    found = [
        el
        for name in ("class", "id")
        for value, els in ix.values(name).items()
        if "prev" in value or "next" in value or "older" in value or "newer" in value
        for el in els
    ]
    return ix.in_order(found)


# ---------------------------------------------------------------------------- context


class _Page:
    """What the strategies share about one page: its URL and which regions are out."""

    def __init__(self, tree: HtmlElement, url: str, index: PageIndex) -> None:
        self.tree = tree
        self.index = index
        self.url = url
        self.host = _bare_host(url)
        self.here = canonicalize_url(url)
        parts = urlsplit(self.here)
        self.path = parts.path
        self.stem = _article_stem(parts.path)
        h1 = _first_h1(index)
        self.main_chain: set[HtmlElement] = (
            set(h1.iterancestors()) | {h1} if h1 is not None else set()
        )
        self.memo: dict[HtmlElement, bool] = {}

    def excluded(self, el: HtmlElement, *, strict: bool = True) -> bool:
        """Whether ``el`` sits in a region whose links are not neighbours. The walk stops
        at the first ancestor holding the page's heading: layout wrappers are not regions."""
        seen: list[HtmlElement] = []
        result = False
        node: HtmlElement | None = el
        while node is not None:
            if node in self.main_chain or node.tag in ("body", "html"):
                break
            if node in self.memo:
                result = self.memo[node]
                break
            seen.append(node)
            if self._region_out(node, strict):
                result = True
                break
            node = node.getparent()
        for n in seen:
            self.memo[n] = result if strict else self.memo.get(n, False)
        return result

    def _region_out(self, node: HtmlElement, strict: bool) -> bool:
        tag = node.tag
        if tag in _EXCLUDED_TAGS:
            return True
        marks = f"{node.get('id') or ''} {node.get('class') or ''}"
        if (
            tag == "footer"
            and not _ARTICLE_FOOTER.search(marks)
            and not any(a.tag in ("article", "main") for a in node.iterancestors())
        ):
            return True
        if tag == "nav":
            label = (node.get("aria-label") or "") + " " + (node.get("role") or "")
            if re.search(r"menu|primary|breadcrumb|site", label, re.I):
                return True
        return bool(marks.strip()) and bool(_EXCLUDED_REGION.search(marks)) and strict

    def accept(self, href: str | None) -> str | None:
        """The absolute URL when ``href`` can be a neighbouring article, else ``None``."""
        if not href or href.strip().startswith("#"):
            return None
        link = absolute_url(self.url, href)
        if link is None or _bare_host(link) != self.host:
            return None
        if _COMMENT_URL.search(link):
            return None
        canon = canonicalize_url(link)
        if canon == self.here:
            return None
        parts = urlsplit(canon)
        if parts.path in ("", "/") or _LISTING_PATH.search(parts.path):
            return None
        if any(k.lower() in _LISTING_PARAMS for k, _ in parse_qsl(parts.query)):
            if parts.path == self.path:
                return None
            if any(k.lower() in ("page", "paged") for k, _ in parse_qsl(parts.query)):
                return None
        if _article_stem(parts.path) == self.stem:
            return None  # another page of this same article (/slug/2/)
        return link.split("#", 1)[0]


def _bare_host(url: str) -> str:
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


def _article_stem(path: str) -> str:
    return re.sub(r"/\d{1,3}/?$", "", path.rstrip("/")) or "/"


# ---------------------------------------------------------------------------- text


def _text(el: HtmlElement) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node.tag in ("script", "style", "svg", "noscript"):
            continue
        if node is not el and node.tag in ("img",):
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def _strip_label(text: str) -> str:
    previous = None
    while text and text != previous:
        previous = text
        text = _ANY_LABEL.sub("", text, count=1).strip()
    return text.strip(f" {_LEFT}{_RIGHT}:：|·-–—")


def _title_of(a: HtmlElement) -> str | None:
    """The title a neighbour link shows: an element in it (or beside it) marked as a title,
    a heading in it, else the link's text without its label."""
    for el in _marked_titles(a):
        text = _strip_label(_text(el))
        if text:
            return text
    for el in a.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _strip_label(_text(el))
        if text:
            return text
    # the link's text without its label and screen-reader prefix
    parts: list[str] = [a.text or ""]

    def collect(node: HtmlElement) -> None:
        for child in node:
            if (
                isinstance(child.tag, str)
                and child.tag not in ("script", "style", "svg", "img")
                and not _is_label(child)
            ):
                parts.append(child.text or "")
                collect(child)
            parts.append(child.tail or "")

    collect(a)
    # a text node that is only a label ("Zurück", "Précédent<br>") goes, whatever follows
    kept = [p for p in parts if p.strip() and _strip_label(" ".join(p.split()))]
    text = _strip_label(" ".join(" ".join(kept).split()))
    if text:
        return text
    title = _strip_label(" ".join((a.get("title") or "").split()))
    return title or None


# a label shown where a title would be: "Previous Auto News", "Read Next", "Older"
_LABEL_TITLE = re.compile(
    r"^(?:(?:previous|prev|next|older|newer)(?:\s+\w+)?\s+"
    r"(?:news|post|posts|article|story|entry|item|page|reading)|previous|prev|next|older|newer|"
    r"read next|up next)$",
    re.I,
)


def _title_for(a: HtmlElement) -> str | None:
    """The link's title; when the link shows only a label, the title of another link to
    the same address close by (a card's heading link)."""
    title = _title_of(a)
    if title and not _LABEL_TITLE.match(title):
        return title
    href = a.get("href")
    node = a.getparent()
    for _ in range(3):
        if node is None or node.tag in ("body", "main", "article"):
            break
        for other in node.iter("a"):
            if other is not a and other.get("href") == href:
                found = _title_of(other)
                if found and not _LABEL_TITLE.match(found):
                    return found
        node = node.getparent()
    return None


# class tokens of a label inside a link: "nav-label", "caption", "meta-nav", text for
# screen readers only ("screen-reader-text", "sr-only", "visually-hidden")
_LABEL_TOKEN = re.compile(
    r"(?:^|[-_])(?:label|caption|meta-nav)$|screen-reader|sr-only|visually-hidden|a11y"
)


def _is_label(node: HtmlElement) -> bool:
    if any(_LABEL_TOKEN.search(t) for t in (node.get("class") or "").lower().split()):
        return True
    text = " ".join((node.text_content() or "").split())
    return bool(text) and len(text) < 40 and _strip_label(text) == ""


# class tokens of an element holding a link's title: "title", "post-title", "nav_title"
_TITLE_TOKEN = re.compile(r"(?:^|[-_])(?:title|headline)$")


def _marked_titles(a: HtmlElement) -> Iterator[HtmlElement]:
    """Elements in the link, then in its parent, whose class marks a title."""
    parent = a.getparent()
    alone = parent is not None and sum(1 for _ in parent.iter("a")) == 1
    for holder in (a, parent) if alone and parent is not None else (a,):
        for el in holder.iter():
            if el is holder or not isinstance(el.tag, str):
                continue
            if any(_TITLE_TOKEN.search(t) for t in (el.get("class") or "").lower().split()):
                yield el


# ---------------------------------------------------------------------------- strategies


def _by_rel(page: _Page) -> tuple[_Link | None, _Link | None]:
    prev: _Link | None = None
    nxt: _Link | None = None
    for a in _rel_links(page.index):
        rels = (a.get("rel") or "").lower().split()
        is_prev = "prev" in rels or "previous" in rels
        if (is_prev and prev) or (not is_prev and nxt):
            continue
        if page.excluded(a):
            continue
        link = page.accept(a.get("href"))
        if link is None:
            continue
        found = (link, _title_for(a))
        if is_prev:
            prev = found
        else:
            nxt = found
    if prev or nxt:
        return prev, nxt
    for el in _head_links(page.index):
        is_prev = (el.get("rel") or "").lower() in ("prev", "previous")
        link = page.accept(el.get("href"))
        if link is None:
            continue
        title = _strip_label(" ".join((el.get("title") or "").split())) or None
        if title and _LABEL_TITLE.match(title):
            title = None
        if is_prev and prev is None:
            prev = (link, title)
        elif not is_prev and nxt is None:
            nxt = (link, title)
    return prev, nxt


def _tokens(el: HtmlElement) -> list[str]:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()


def _by_cms(page: _Page) -> tuple[_Link | None, _Link | None]:
    tokens = {el: set(_tokens(el)) for el in _marked(page.index)}
    # prev/next/older/newer class or id tokens on the link or an element holding it
    prev: _Link | None = None
    nxt: _Link | None = None
    for el, toks in tokens.items():
        if any(_SKIP_TOKEN.search(t) for t in toks):
            continue
        is_prev = any(_WORD_PREV.search(t) for t in toks)
        is_next = any(_WORD_NEXT.search(t) for t in toks)
        if is_prev == is_next or (is_prev and prev) or (is_next and nxt):
            continue
        links = _links_of(el) if el.tag == "a" else _only_link(el)
        links = [a for a in links if not any(_SKIP_TOKEN.search(t) for t in _tokens(a))]
        found = _first(page, links, strict=True)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
    if prev and nxt:
        return prev, nxt
    # a link (or its holder) named for screen readers: aria-label="Previous post: ..."
    for value, els in page.index.values("aria-label").items():
        label = " ".join(value.split())
        is_prev = bool(_PREV_LABEL.match(label))
        is_next = not is_prev and bool(_NEXT_LABEL.match(label))
        if not (is_prev or is_next) or (is_prev and prev) or (is_next and nxt):
            continue
        found = _first(page, [a for el in els for a in _links_of(el)], strict=True)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
    return prev, nxt


def _only_link(el: HtmlElement) -> list[HtmlElement]:
    """The link a marked holder is for: it holds links to one address only, and little
    text besides (a page root or a section marked "next" by a framework is no holder)."""
    links = [a for a in el.iter("a") if a.get("href")]
    if not links or len({a.get("href") for a in links}) > 1:
        return []
    if len(" ".join(el.text_content().split())) > _HOLDER_TEXT:
        return []
    return links[:1]


_HOLDER_TEXT = 300


def _links_of(el: HtmlElement) -> list[HtmlElement]:
    if el.tag == "a":
        return [el]
    return [a for a in el.iter("a") if a.get("href")][:1]


def _first(page: _Page, links: list[HtmlElement], *, strict: bool = False) -> _Link | None:
    for a in links:
        if page.excluded(a, strict=strict):
            continue
        link = page.accept(a.get("href"))
        if link:
            return link, _title_for(a)
    return None


def _by_label(page: _Page) -> tuple[_Link | None, _Link | None]:
    prev: _Link | None = None
    nxt: _Link | None = None
    for el, text in _label_candidates(page.tree):
        is_prev = bool(_PREV_LABEL.match(text))
        is_next = not is_prev and bool(_NEXT_LABEL.match(text))
        if not (is_prev or is_next) or (is_prev and prev) or (is_next and nxt):
            continue
        found = _link_near(page, el)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
        if prev and nxt:
            break
    return prev, nxt


def _link_near(page: _Page, label: HtmlElement) -> _Link | None:
    """The link a label belongs to: the link holding it, one inside it, or the next one."""
    candidates: list[HtmlElement] = []
    node: HtmlElement | None = label
    for _ in range(4):
        if node is None:
            break
        if node.tag == "a":
            candidates.append(node)
            break
        node = node.getparent()
    if not candidates:
        candidates.extend(a for a in label.iter("a") if a.get("href"))
    if not candidates:
        for holder in (label, label.getparent()):
            if holder is None:
                continue
            for sib in list(holder.itersiblings())[:3]:
                if not isinstance(sib.tag, str):
                    continue
                if sib.tag == "a":
                    candidates.append(sib)
                else:
                    candidates.extend(sib.iter("a"))
                if candidates:
                    break
            if candidates:
                break
    for a in candidates[:1]:
        if page.excluded(a):
            return None
        link = page.accept(a.get("href"))
        if link:
            return link, _title_for(a)
    return None


_STRATEGIES: list[tuple[str, Callable[[_Page], tuple[_Link | None, _Link | None]]]] = [
    ("rel", _by_rel),
    ("cms", _by_cms),
    ("label", _by_label),
]


def find_neighbours(tree: HtmlElement, url: str, index: PageIndex | None = None) -> Neighbours:
    """The older (``prev``) and newer (``next``) article this page links to, if any."""
    page = _Page(tree, url, page_index(tree, index))
    for source, strategy in _STRATEGIES:
        prev, nxt = strategy(page)
        if prev and nxt and prev[0] == nxt[0] and not (prev[1] or nxt[1]):
            # one address both ways behind bare arrows: a slider's or a toggle's
            # buttons, no chain (a titled link both ways is a real, if cyclic, chain)
            continue
        if prev or nxt:
            return Neighbours(
                prev_url=prev[0] if prev else None,
                prev_title=prev[1] if prev else None,
                next_url=nxt[0] if nxt else None,
                next_title=nxt[1] if nxt else None,
                source=source,
            )
    return Neighbours()
