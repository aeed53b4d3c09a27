"""Navigation labels ("Previous article", "Vorheriger Artikel", "前の記事", "← Previous")
in many languages: the patterns that find a neighbour link by its text, and
``strip_label``, which takes the label off a link's title."""

from __future__ import annotations

import re

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
NOT_PUNCT = re.compile(rf"[^\s{_LEFT}{_RIGHT}:：|·.\-–—()\[\]]")
# How any label begins (a direction word or a noun), a cheap test before the patterns.
LABEL_START = re.compile(rf"{_PUNCT}(?:{_PREV_WORD}|{_NEXT_WORD}|{_NOUN})", re.I)


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
LABEL_PREFIXES = _prefixes((*_PREV_WORDS, *_NEXT_WORDS, *_NOUNS))
# A link or label found by its text: a direction word with a noun, after a left arrow or
# before a right one, followed by a colon, or standing alone.
PREV_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_PREV_NOUN}|(?<=[{_LEFT}])\s*{_PREV_WORD}|{_PREV_WORD}(?=\s*[:：]|{_PUNCT}$))"
    rf"{_END}{_PUNCT}",
    re.I,
)
NEXT_LABEL = re.compile(
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


def strip_label(text: str) -> str:
    previous = None
    while text and text != previous:
        previous = text
        text = _ANY_LABEL.sub("", text, count=1).strip()
    return text.strip(f" {_LEFT}{_RIGHT}:：|·-–—")
