"""The extraction benchmark's pages (bench/extraction.py says how they are scored): the
committed evaluation set in tests/data/extraction, and L3S-GN1 from a local copy.
"""

import gzip
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "extraction"


@dataclass
class Page:
    id: str
    subset: str
    lang: str
    encoding: str
    declared: str | None
    html: bytes
    gold: str
    html_lang: str | None = None
    gold_meta: dict = field(default_factory=dict)


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def load_pages(folder: Path = DATA) -> list[Page]:
    pages = []
    with (folder / "manifest.jsonl").open(encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            pages.append(Page(
                id=entry["id"], subset=entry["subset"], lang=entry["lang"],
                encoding=entry["encoding"], declared=entry.get("declared"),
                html=read_bytes(folder / entry["html"]),
                gold=read_bytes(folder / entry["gold"]).decode("utf-8"),
                html_lang=entry.get("html_lang"), gold_meta=entry.get("gold_meta") or {},
            ))
    return pages


class _L3SGold(HTMLParser):
    """Text of an L3S-GN1 annotated page inside <span class="x-nc-selN"> for the wanted
    N, one paragraph per block element; x-nc-invisible elements are skipped."""

    BLOCKS = {"p", "div", "br", "li", "td", "tr", "table", "h1", "h2", "h3", "h4", "h5",
              "h6", "blockquote", "ul", "ol", "dl", "dd", "dt", "pre", "hr", "form"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
            "param", "source", "track", "wbr"}

    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted, self.stack, self.out = wanted, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.out.append("\n")
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        label = next((c for c in classes if c.startswith("x-nc-sel")), None)
        self.stack.append((tag, label, "x-nc-invisible" in classes or tag in
                           ("script", "style")))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.out.append("\n")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if any(hidden for _, _, hidden in self.stack):
            return
        label = next((lab for _, lab, _ in reversed(self.stack) if lab), None)
        if label in self.wanted:
            self.out.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.out).split("\n"))
        return "\n".join(line for line in lines if line) + "\n"


def load_l3s(folder: Path) -> list[Page]:
    """L3S-GN1 (Kohlschütter et al., WSDM 2010) from a local copy: original/*.html and
    annotated/*.html. Its licence is research use only, so it is never committed here.
    Gold: full text (x-nc-sel2) and supplemental text such as captions (x-nc-sel3); the
    headline (sel1) is left out, as the other sets' gold texts leave it out."""
    pages = []
    for original in sorted((folder / "original").glob("*.html")):
        annotated = folder / "annotated" / original.name
        if not annotated.exists():
            continue
        parser = _L3SGold({"x-nc-sel2", "x-nc-sel3"})
        parser.feed(annotated.read_bytes().decode("utf-8", "replace"))
        parser.close()
        html = original.read_bytes()
        pages.append(Page(id=f"l3s-gn1/{original.stem[:12]}", subset="l3s-gn1", lang="en",
                          encoding="as stored", declared=None, html=html,
                          gold=parser.text()))
    return pages
