"""Bytes to text as a browser would read them: web pages in any encoding, plain text in UTF-8.

A web page says what it is in several places, not all of them right. The order here is
the WHATWG Encoding Standard's (a byte-order mark, then the HTTP charset, then the page's
own <meta>), with three changes learnt from real pages (docs/extraction-eval.md):

- Bytes that are valid UTF-8 and not plain ASCII are read as UTF-8 whatever the page says.
  Servers that add "charset=ISO-8859-1" by default and CMS templates that keep an old
  <meta> are common (the evaluation set's Tencent page declares GB2312 over UTF-8 bytes),
  while legacy-encoded text that happens to be valid UTF-8 is vanishingly rare.
- A declared encoding that does not decode the bytes falls through to detection, instead
  of filling the article with U+FFFD.
- A page with no declaration is detected (charset-normalizer) rather than assumed to be
  Windows-1252: trafilatura's own guess read a Windows-1251 Russian page as mojibake.

Labels map to what browsers actually decode, the WHATWG supersets: "ISO-8859-1" and
"ASCII" mean Windows-1252 (curly quotes at 0x91-0x94; read as Latin-1 they would become C1
control characters that the text rule refuses), "GB2312" means GBK/GB18030, "Shift_JIS"
means Windows-31J, "EUC-KR" means Windows-949.

Plain text is different: a .txt file carries no declaration, and guessing would silently
turn a wrong guess into a corrupted article, so it must be UTF-8 unless the person
importing names the encoding (`import_articles --encoding`).
"""

import codecs
import re
from dataclasses import dataclass

# The WHATWG labels whose decoder is a superset of what Python's codec of that name does.
_SUPERSETS = {
    "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
    "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "iso_8859-1": "cp1252",
    "iso-8859-9": "cp1254", "iso8859-9": "cp1254", "latin5": "cp1254",
    "iso-8859-11": "cp874", "tis-620": "cp874",
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030",
    "csgb2312": "gb18030", "gb_2312-80": "gb18030",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "windows-31j": "cp932", "csshiftjis": "cp932",
    "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "korean": "cp949", "windows-949": "cp949",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs",
    # A page cannot be UTF-16 and still declare it in ASCII <meta>; browsers read UTF-8.
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be"))
# Far enough into the page to pass the scripts and styles some sites put before <meta>.
_PRESCAN_BYTES = 16 * 1024
_META_CHARSET = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""")


class EncodingError(ValueError):
    """The bytes cannot be read as the text they claim to be."""

    def __init__(self, message, *, code):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python's codec name, e.g. "cp1252"
    how: str  # "bom", "utf-8", "http", "meta", "detected", "given", "fallback"


def codec_for(label: str | None) -> str | None:
    """Python's codec for an encoding label as a browser reads it, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _SUPERSETS:
        return _SUPERSETS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # codecs.lookup("latin_1") and friends: the same superset rule under Python's spelling.
    return _SUPERSETS.get(name.replace("_", "-"), name)


def declared_charset(data: bytes) -> str | None:
    """The charset the page's own markup declares (<meta> or an XML declaration)."""
    head = data[:_PRESCAN_BYTES]
    match = _META_CHARSET.search(head) or _XML_DECLARATION.search(head)
    return match.group(1).decode("ascii") if match else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, *, http_charset: str | None = None) -> Decoded:
    """A web page's text, whatever its encoding; EncodingError only if nothing reads it."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], codec)
            if text is not None:
                return Decoded(text, codec, "bom")
    if not data.isascii():
        text = _strict(data, "utf-8")
        if text is not None:
            return Decoded(text, "utf-8", "utf-8")
    else:
        return Decoded(data.decode("ascii"), "ascii", "utf-8")
    for how, label in (("http", http_charset), ("meta", declared_charset(data))):
        codec = codec_for(label)
        if codec and codec != "utf-8":
            text = _strict(data, codec)
            if text is not None:
                return Decoded(text, codec, how)
    detected = _detect(data)
    if detected is not None:
        return detected
    # Every byte is a character in Windows-1252 but five; browsers use it as the last resort.
    return Decoded(data.decode("cp1252", errors="replace"), "cp1252", "fallback")


def _detect(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    codec = codec_for(best.encoding) or best.encoding
    text = _strict(data, codec)
    return None if text is None else Decoded(text, codec, "detected")


def decode_text(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Plain text: UTF-8 (a byte-order mark allowed), or the encoding the importer named."""
    if encoding:
        codec = codec_for(encoding)
        if codec is None:
            raise EncodingError(f"names an unknown encoding {encoding!r}", code="bad_encoding")
        try:
            return Decoded(data.decode(codec), codec, "given")
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"is not valid {encoding} (byte {exc.start})", code="not_in_encoding"
            ) from None
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "utf-8")
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"is not valid UTF-8 (byte {exc.start}); name its encoding to import it "
            "(import_articles --encoding, e.g. cp1252)",
            code="not_utf8",
        ) from None
