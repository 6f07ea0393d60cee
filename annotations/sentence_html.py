"""The workspace's sentences as HTML, written in Python: the fast path of
templates/annotations/_sentence.html and _blocks.html.

Those two templates stay the readable reference. Drawing a 500-sentence article through
them cost 200-450 ms of template rendering alone (an {% include %} and some forty nodes per
sentence, each resolving variables through the template engine's lookup chain), which is
most of the page's time and puts a long article well past the 100 ms target. The same
markup built here with str.join takes a few milliseconds. test_sentence_html.py renders
articles with every kind of sentence (headings, boilerplate, overlapping phrases, several
reviewers, markers, hostile text) both ways and requires the same bytes, so a change to
either that the other lacks fails there: change both together.

Escaping is Django's own (django.utils.html.escape: html.escape with quotes), so the
output is what the templates' autoescaping gives.
"""

from functools import lru_cache
from html import escape

from django.utils.safestring import SafeString


@lru_cache(maxsize=64)
def _label_parts(item):
    """The label's markup that never varies, escaped once (labels are a handful)."""
    value, name, initial = escape(item.value), escape(str(item.name)), escape(item.initial)
    return {
        "hl": f" hl hl-{value}",
        "seg": f" hl-{value}",
        "tag_open": f'<span class="tag tag-{value}" data-nontext title="{name} (whole sentence',
        "tag_open_rejected": (f'<span class="tag tag-{value} is-rejected" data-nontext '
                              f'title="{name} (whole sentence'),
        "initial": initial,
        "name": name,
        "end": (f'<sup class="tag tag-{value}" data-nontext title="{name}">'
                f'<span aria-hidden="true">{initial}</span>'
                f'<span class="sr-only"> ({name})</span></sup>'),
    }


_NO_LABEL = ('<span class="tag tag-none" data-nontext title="You marked this sentence: no label">'
             '<span aria-hidden="true">✓</span><span class="sr-only"> (no label)</span></span>')


def sentence(sv) -> str:
    """One sentence, as _sentence.html draws it (with the file's closing newline)."""
    s = sv.sentence
    out = ['<span class="sentence']
    rejected = sv.whole_rejected
    whole = [(_label_parts(item), count, item.value in rejected) for item, count in sv.whole]
    out += [parts["hl"] for parts, _, _ in whole]
    if s.is_boilerplate:
        out.append(" is-boilerplate")
    if sv.whole_rejected_only:
        out.append(" is-rejected")
    if sv.mine_reviewed:
        out.append(" is-reviewed")
    out.append(
        f'" id="s{s.pk}" data-sentence="{s.pk}" data-start="{s.start}" data-end="{s.end}" '
        f'data-position="{s.position + 1}" data-reviewed="{"1" if sv.mine_reviewed else "0"}" '
        f'data-no-label="{"1" if sv.no_label else "0"}"'
    )
    out.append('>' if s.is_boilerplate else ' data-annotatable tabindex="-1">')
    for parts, count, struck in whole:
        many = count > 1
        out.append(
            f'{parts["tag_open"] if not struck else parts["tag_open_rejected"]}'
            f'{f", {count} reviewers" if many else ""}{", rejected" if struck else ""})">'
            f'<span aria-hidden="true">{parts["initial"]}{count if many else ""}</span>'
            f'<span class="sr-only">{parts["name"]}: </span></span>'
        )
    for seg in sv.segments:
        text = escape(seg.text)
        if seg.labels:
            classes = "".join(_label_parts(item)["seg"] for item in seg.labels)
            if seg.rejected:
                out.append(f'<mark class="hl{classes} is-rejected" '
                           f'title="Rejected by an editor">{text}</mark>')
            else:
                out.append(f'<mark class="hl{classes}">{text}</mark>')
        else:
            out.append(text)
        out += [_label_parts(item)["end"] for item in seg.ends]
    if sv.no_label:
        out.append(_NO_LABEL)
    for m in sv.markers:
        title = escape(m.title)
        out.append(
            f' <a class="sentence-marker{" is-warning" if m.warning else ""}" '
            f'href="{escape(m.href)}" data-nontext title="{title}"><span aria-hidden="true">'
            f'{"⚠ " if m.warning else ""}{escape(m.label)}</span>'
            f'<span class="sr-only">{title}</span></a>'
        )
    out.append("</span>\n")
    return "".join(out)


def blocks(blocks) -> SafeString:
    """Headings, paragraphs and boilerplate runs, as _blocks.html draws them."""
    out = []
    for block in blocks:
        out.append("\n  ")
        if block.kind == "heading":
            inner = "".join(sentence(sv) for sv in block.items)
            out.append(f'\n  <h3 class="text-heading" data-block>{inner}</h3>\n  ')
        elif block.kind == "paragraph":
            inner = " ".join(sentence(sv) for sv in block.items)
            out.append(f'\n  <p class="para" data-block>{inner}</p>\n  ')
        else:
            n = len(block.items)
            rows = "".join(
                f'<p class="para boilerplate">{sentence(sv)} <span class="reason">'
                f'({escape(sv.sentence.boilerplate_reason or "boilerplate")})</span></p>'
                for sv in block.items
            )
            out.append(
                '\n  <details class="boilerplate-block" data-block>\n'
                f'    <summary>Boilerplate, not annotated: {n} line{"" if n == 1 else "s"}'
                f'</summary>\n    {rows}\n  </details>\n  '
            )
        out.append("\n")
    out.append("\n")
    return SafeString("".join(out))
