"""A page's bytes as text (``scraper.extract.decode.decode_html``): browsers' order (BOM,
HTTP charset, ``<meta>``), then UTF-8 and cp1252 where the declared charset does not fit."""

from __future__ import annotations

import pytest

from scraper.extract.decode import UTF8_CP1252, decode_html

CAFE = "Café naïve — “quoted” €5"
RUSSIAN = "Привет, мир"


def _page(text: str, charset: str | None = None) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}</head><body><p>{text}</p></body></html>"


def test_latin1_bytes_under_a_utf8_header_read_as_cp1252() -> None:
    page = _page(CAFE)
    assert decode_html(page.encode("cp1252"), "utf-8") == (page, "cp1252")
    assert decode_html(page.encode("cp1252"), "UTF8") == (page, "cp1252")


def test_latin1_bytes_under_a_utf8_meta_read_as_cp1252() -> None:
    page = _page(CAFE, "utf-8")
    assert decode_html(page.encode("cp1252"), None) == (page, "cp1252")


def test_a_mixed_page_keeps_its_utf8() -> None:
    """A UTF-8 page with one Latin-1 paragraph: the stray bytes alone are cp1252."""
    body = _page(RUSSIAN).encode() + "<p>Crème brûlée</p>".encode("cp1252")
    assert decode_html(body, "utf-8") == (_page(RUSSIAN) + "<p>Crème brûlée</p>", UTF8_CP1252)


def test_byte_order_mark_wins_over_every_label() -> None:
    page = _page(CAFE, "windows-1251")
    assert decode_html(b"\xef\xbb\xbf" + page.encode(), "iso-8859-1") == (page, "utf-8")
    utf16 = b"\xff\xfe" + page.encode("utf-16-le")
    assert decode_html(utf16, "utf-8") == (page, "utf-16-le")


def test_header_before_meta() -> None:
    page = _page(RUSSIAN, "koi8-r")
    assert decode_html(page.encode("cp1251"), "windows-1251") == (page, "cp1251")
    page = _page(RUSSIAN, "windows-1251")
    assert decode_html(page.encode("koi8-r"), "koi8-r") == (page, "koi8-r")


def test_meta_when_the_header_has_no_charset_or_an_unknown_one() -> None:
    page = _page(RUSSIAN, "windows-1251")
    assert decode_html(page.encode("cp1251"), None) == (page, "cp1251")
    assert decode_html(page.encode("cp1251"), "x-no-such-charset") == (page, "cp1251")


def test_meta_when_the_header_utf8_does_not_fit() -> None:
    page = _page(RUSSIAN, "windows-1251")
    assert decode_html(page.encode("cp1251"), "utf-8") == (page, "cp1251")


def test_valid_utf8_under_a_latin1_header_stays_latin1_as_browsers_show_it() -> None:
    """WHATWG: the HTTP charset is certain; ISO-8859-1 means windows-1252."""
    page = _page("Café naïve")
    assert decode_html(page.encode(), "iso-8859-1") == (_page("CafÃ© naÃ¯ve"), "cp1252")


def test_valid_utf8_under_a_latin1_header_and_a_utf8_meta_is_utf8() -> None:
    """The page's own UTF-8 ``<meta>``, which its bytes confirm, wins over a server's
    Latin-1 default."""
    page = _page(CAFE, "utf-8")
    assert decode_html(page.encode(), "ISO-8859-1") == (page, "utf-8")
    # ... but not where the bytes are not UTF-8: the header's Latin-1 stands.
    assert decode_html(page.encode("cp1252"), "ISO-8859-1") == (page, "cp1252")


def test_labels_mean_what_they_mean_to_browsers() -> None:
    """latin-1 and ascii are windows-1252 (“ ” € are not C1 controls); gb2312 is gb18030;
    a meta's UTF-16 is UTF-8."""
    page = _page(CAFE)
    assert decode_html(page.encode("cp1252"), "latin1") == (page, "cp1252")
    assert decode_html(page.encode("cp1252"), "us-ascii") == (page, "cp1252")
    chinese = _page("中文新闻")
    assert decode_html(chinese.encode("gb18030"), "gb2312") == (chinese, "gb18030")
    page = _page(CAFE, "utf-16")
    assert decode_html(page.encode(), None) == (page, "utf-8")


def test_no_label_utf8_then_cp1252() -> None:
    assert decode_html(_page(RUSSIAN).encode(), None) == (_page(RUSSIAN), "utf-8")
    assert decode_html(_page(CAFE).encode("cp1252"), None) == (_page(CAFE), "cp1252")
    assert decode_html(b"<p>plain</p>", None) == ("<p>plain</p>", "utf-8")


def test_bytes_windows_1252_leaves_undefined_decode_as_browsers_do() -> None:
    """0x81, 0x8D, 0x8F, 0x90, 0x9D: Python's cp1252 refuses them, WHATWG's windows-1252
    (and every browser) reads them as the C1 controls of the same value."""
    assert decode_html(b"a\x81b\x9dc", "windows-1252") == ("a\x81b\x9dc", "cp1252")
    assert decode_html(b"a\x81b\x9dc", None) == ("a\x81b\x9dc", "cp1252")


def test_another_declared_charset_that_does_not_fit() -> None:
    """A Shift_JIS label on UTF-8 bytes is UTF-8; on Shift_JIS with a broken byte it stays
    Shift_JIS with U+FFFD for that byte, as browsers show it."""
    japanese = _page("日本語のニュース")
    assert decode_html(japanese.encode(), "shift_jis") == (japanese, "utf-8")
    broken = japanese.encode("shift_jis").replace(b"</p>", b"\x81</p>")
    text, encoding = decode_html(broken, "shift_jis")
    assert encoding == "cp932" and text == japanese.replace("</p>", "\ufffd</p>")


@pytest.mark.parametrize("body", [b"", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00\xff\x80" * 100])
def test_never_raises(body: bytes) -> None:
    for declared in (None, "utf-8", "utf-16", "shift_jis", "bogus", "iso-8859-1"):
        text, encoding = decode_html(body, declared)
        assert isinstance(text, str) and encoding
