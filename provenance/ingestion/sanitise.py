"""Turn untrusted HTML into plain text. The only module that imports bleach.

bleach first reduces the markup to a short allow-list with no attributes (so event
handlers, javascript: URLs and comments are gone) and re-serialises it as well-formed
HTML. bleach keeps the *text* inside <script> and <style> when it strips those tags, so
they stay allowed through bleach and the text extractor below drops them with their
content.
"""

import re
from html.parser import HTMLParser

import bleach

# Elements after which a reader sees a new paragraph or line.
BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre",
    "table", "tr", "figure", "figcaption", "address", "hr",
}
INLINE_TAGS = {"a", "b", "strong", "i", "em", "u", "span", "small", "sub", "sup", "q",
               "cite", "abbr", "time", "mark", "code", "td", "th", "tbody", "thead"}
# <title> is metadata (html_title reads it), not part of the body a reviewer reads.
DROPPED_WITH_CONTENT = {"script", "style", "noscript", "template", "title"}


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []  # text, then the separator that follows it
        self.current = []
        self.skip_depth = 0

    def _flush(self, separator="\n\n"):
        text = re.sub(r"[ \t\r\n\f]+", " ", "".join(self.current)).strip(" ")
        if text:
            self.parts.append([text, separator])
        elif self.parts and separator == "\n\n":
            self.parts[-1][1] = separator
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in DROPPED_WITH_CONTENT:
            self.skip_depth += 1
        elif tag == "br":
            self._flush("\n")
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in DROPPED_WITH_CONTENT:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        if not self.skip_depth:
            self.current.append(data)

    def text(self):
        self._flush()
        return "".join(text + separator for text, separator in self.parts).rstrip("\n")


def html_to_text(html: str) -> str:
    """Plain text of `html`: one paragraph per block element, entities unescaped."""
    cleaned = bleach.clean(
        html,
        tags=BLOCK_TAGS | INLINE_TAGS | DROPPED_WITH_CONTENT | {"br"},
        attributes={},
        strip=True,
        strip_comments=True,
    )
    extractor = _TextExtractor()
    extractor.feed(cleaned)
    extractor.close()
    return extractor.text()


def html_title(html: str) -> str:
    """The document's <title>, or its first <h1>, as plain text; "" when it has neither."""
    for tag in ("title", "h1"):
        match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}\s*>", html, re.IGNORECASE | re.DOTALL)
        if match:
            text = html_to_text(match.group(1)).strip()
            if text:
                return " ".join(text.split())
    return ""
