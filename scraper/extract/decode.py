"""A page's bytes as text: the one decoding every path uses (crawl, ``reparse``,
``newsarchive extract``, benches). The raw bytes are stored as they came; only the text
handed to the parser is decided here."""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding, to_unicode

__all__ = ["UTF8_CP1252", "decode_html"]

UTF8_CP1252 = "utf-8+cp1252"
"""The encoding :func:`decode_html` names for a page that is UTF-8 with some bytes in
cp1252 (a UTF-8 template around text pasted from a Latin-1 source)."""


def _c1_as_latin1(exc: UnicodeError) -> tuple[str, int]:
    # WHATWG's windows-1252 maps the five bytes cp1252 leaves undefined (0x81, 0x8D, 0x8F,
    # 0x90, 0x9D) to the C1 controls of the same value, so it decodes every byte string.
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


def _invalid_utf8_as_cp1252(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    return exc.object[exc.start : exc.end].decode("cp1252", _C1), exc.end


_C1 = "newsarchive-windows-1252"
_AS_CP1252 = "newsarchive-utf8-cp1252"
codecs.register_error(_C1, _c1_as_latin1)
codecs.register_error(_AS_CP1252, _invalid_utf8_as_cp1252)


def _label(name: str | None) -> str | None:
    """A charset label as the Python codec browsers would use for it (latin-1 and ascii
    are windows-1252, gb2312 is gb18030, …), or ``None`` for an unknown label."""
    return resolve_encoding(name) if name else None


def _strict(body: bytes, encoding: str) -> str:
    """``body`` decoded by ``encoding``, raising on a byte it does not allow (never for
    windows-1252, which, as in browsers, decodes every byte)."""
    if encoding == "cp1252":
        return body.decode("cp1252", _C1)
    return body.decode(encoding)


def _utf8_else_cp1252(body: bytes) -> tuple[str, str]:
    """Bytes that claim UTF-8 and are not, or claim nothing: UTF-8 where it is valid, each
    other byte as cp1252. A page with no valid multi-byte UTF-8 in it is cp1252 throughout;
    a mixed one keeps its UTF-8 (one stray byte does not turn the page to mojibake)."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", _AS_CP1252)
    latin = body.decode("cp1252", _C1)
    return (latin, "cp1252") if text == latin else (text, UTF8_CP1252)


def _meta(body: bytes) -> str | None:
    label = html_body_declared_encoding(body)
    # WHATWG: a <meta> cannot declare UTF-16 (the bytes that carry it are ASCII); it means
    # UTF-8. x-user-defined means windows-1252.
    if label and label.startswith(("utf-16", "utf_16")):
        return "utf-8"
    if label == "x-user-defined":
        return "cp1252"
    return _label(label)


def decode_html(body: bytes, declared: str | None) -> tuple[str, str]:
    """The text of an HTML page and the encoding it was read by.

    ``declared`` is the charset of the HTTP ``Content-Type`` header (``None`` when there
    is none, or for a file). Decoding never fails. In order, as WHATWG's encoding sniffing
    (https://html.spec.whatwg.org/#determining-the-character-encoding) does it:

    1. A byte order mark wins over every label, as in browsers; it is dropped.
    2. The declared charsets, the HTTP header first, then the page's ``<meta>`` (or XML
       declaration): the first the bytes decode in strictly. Labels mean what they mean
       to browsers (``w3lib.encoding.resolve_encoding``): ISO-8859-1, Latin-1 and ASCII
       are windows-1252, which decodes any bytes. So a valid UTF-8 page under a Latin-1
       header stays windows-1252 (``CafÃ©``), as every browser shows it, because the
       header is the page's word and cp1252 text can be valid UTF-8 too.
       One departure, where the page itself says otherwise: a ``<meta>`` UTF-8 that the
       bytes are valid in is tried before a header's other charset (a server default of
       ISO-8859-1 in front of a UTF-8 CMS, common; browsers take the header and show
       mojibake). Valid multi-byte UTF-8 almost never arises by chance.
    3. Nothing declared fits (a label the bytes break, or no label): UTF-8 if the bytes
       are valid UTF-8, else (under a UTF-8 label or none) UTF-8 with each invalid byte
       read as cp1252 (:func:`_utf8_else_cp1252`), so Latin-1 bytes labelled UTF-8 read
       ``Café`` where browsers show ``Caf�``: the archive keeps the author's text. Under
       another label (a Shift_JIS page with one broken byte) the declared charset with
       U+FFFD for what it cannot read, as browsers do.

    No statistical detector: none is a dependency, and these rules cover the failures
    seen (mislabelled UTF-8 and Latin-1 both ways).
    """
    bom_encoding, bom = read_bom(body)
    if bom_encoding and bom:
        return to_unicode(body[len(bom) :], bom_encoding), bom_encoding
    header = _label(declared)
    if header == "utf-8":  # the common case: no <meta> scan
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    meta = _meta(body)
    first = header or meta
    # A <meta> UTF-8 goes before the header's other charset (step 2's departure).
    order = (meta, header) if meta == "utf-8" else (header, meta)
    for encoding in dict.fromkeys(e for e in order if e and not (e == header == "utf-8")):
        try:
            return _strict(body, encoding), encoding
        except UnicodeDecodeError:
            continue
    if first is None or first == "utf-8":
        return _utf8_else_cp1252(body)
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return to_unicode(body, first), first
