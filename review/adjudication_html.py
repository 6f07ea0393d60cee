"""The adjudication page's rows as HTML, written in Python: the fast path of
templates/review/_adj_row.html (and the _final_labels.html it includes).

The templates stay the readable reference. At 500 sentences, three reviewers and 2,000
annotations the page is 3 MB of HTML, and drawing it through the template engine took
about a second (an {% include %} per row and some fifty variable lookups per annotation);
the same markup built here takes a few tens of milliseconds. test_adjudication_html.py
draws rows of every kind (decided by an editor or by the verdicts, undecided, agreed,
disagreeing, phrases, sources, notes, reasons, hostile text) both ways and requires the
same bytes, so a change to either that the other lacks fails there: change both together.

Escaping is html.escape with quotes, which is what the templates' autoescaping
(django.utils.html.escape) calls.
"""

from html import escape

from django.utils.safestring import SafeString

from annotations import labels
from annotations.models import Status

_STATUS_NAMES = {value: str(name) for value, name in Status.choices}


def _label_names():
    return {item.value: (escape(item.value), escape(str(item.name)), escape(item.initial))
            for item in labels.LABELS}


def _buttons():
    return [(item.value, _final_button(item, "false"), _final_button(item, "true"))
            for item in labels.LABELS]


def _final(final) -> str:
    """_final_labels.html (with the file's closing newline)."""
    if not final:
        return '<span class="final-label">No label</span>\n'
    return '<span class="sr-only">, </span>'.join(
        f'<span class="final-label"><span class="tag tag-{escape(item.value)}" aria-hidden="true">'
        f'{escape(item.initial)}</span> {escape(str(item.name))}</span>'
        for item in final
    ) + "\n"


def _annotation(a, who, names) -> str:
    pk, status = a.pk, escape(a.status)
    label, name, initial = names[a.label]
    source = f": {escape(a.source_name)}" if a.source_name else ""
    quote = (f'<p class="adj-quote">on <q>{escape(a.quote)}</q></p>'
             if a.phrase_start is not None else "")
    note = f'<p class="adj-note">{escape(a.note)}</p>' if a.note else ""
    reason = escape(a.status_reason) if a.status_reason else ""
    if a.status == Status.SUBMITTED:
        verdict = "Awaiting a verdict"
    else:
        by = escape(a.set_by or "") or "an editor"
        verdict = (f"<strong>{escape(_STATUS_NAMES.get(a.status, a.status))}</strong> by {by}"
                   f"{f': {reason}' if reason else ''}")
    accepted = "true" if a.status == "accepted" else "false"
    rejected = "true" if a.status == "rejected" else "false"
    return f"""
      <div class="adj-annotation label-{label} status-{status}" data-annotation="{pk}" data-etag="&quot;{pk}-{a.version}&quot;" data-status="{status}">
        <p class="adj-ann-head">
          <input type="checkbox" data-select id="select-{pk}" aria-label="Select {name} by {who}">
          <span class="tag tag-{label}" aria-hidden="true">{initial}</span>
          <strong>{name}</strong>{source}</p>
        {quote}
        {note}
        <p class="adj-verdict">{verdict}</p>
        <div class="adj-verdict-form">
          <label class="sr-only" for="reason-{pk}">Reason for {name} by {who}</label>
          <input type="text" id="reason-{pk}" data-reason maxlength="5000" placeholder="Reason (optional)" value="{reason}">
          <button type="button" class="small" data-verdict="accepted" aria-pressed="{accepted}" aria-label="Accept {name} by {who}">Accept</button>
          <button type="button" class="small" data-verdict="rejected" aria-pressed="{rejected}" aria-label="Reject {name} by {who}">Reject</button>
        </div>
      </div>
      """  # noqa: E501 (the template's lines, as they are)


def _cell(cell, names) -> str:
    who = escape(cell.reviewer.username)
    inner = "".join(_annotation(a, who, names) for a in cell.annotations) or (
        f'\n      <p class="adj-none">{"No label" if cell.no_label else "Not reviewed"}</p>\n      '
    )
    return f"""
    <section class="adj-cell" aria-label="{who}">
      <h3 class="adj-who">{who}</h3>
      {inner}
    </section>
    """


def _decision(row) -> str:
    decision = row.decision
    if decision is not None:
        if decision.basis == "editor":
            by = escape(decision.decided_by.username if decision.decided_by else "")
            basis = f"set by {by or 'an editor'}"
        else:
            basis = "from the verdicts"
        final = (f'{_final(row.final_labels)}\n      <span class="adj-basis">· {basis}</span>'
                 "\n      ")
    elif row.derived is not None:
        final = ('<span class="adj-undecided">Not decided yet; the reviewers agree on</span> '
                 f"{_final(row.final_labels)}\n      ")
    else:
        final = '<span class="adj-undecided">Not decided yet</span>'
    return final


def _final_button(item, pressed) -> str:
    value, name, key = escape(item.value), escape(str(item.name)), escape(item.key)
    return (
        f'<button type="button" class="small" data-final-label="{value}" title="{name} (key '
        f'{key})" aria-pressed="{pressed}"><span class="tag tag-{value}" aria-hidden="true">'
        f'{escape(item.initial)}</span><span class="sr-only">{name}</span>'
        f'<kbd aria-hidden="true">{key}</kbd></button>'
    )


def _final_buttons(row, buttons) -> str:
    """Each label's button, pressed when the decision has it: drawn once per page."""
    values = row.final_values if row.decision is not None else ()
    return "".join(pressed if value in values else plain for value, plain, pressed in buttons)


def row(row, names=None, buttons=None) -> str:
    """One sentence's row, as _adj_row.html draws it (with the file's closing newline)."""
    names = names or _label_names()
    buttons = buttons or _buttons()
    s, number, decision = row.sentence, row.number, row.decision
    classes = (" is-disagreement" if row.disagree else "") + (" is-decided" if decision else "")
    flag = ('<p class="adj-flag">Reviewers disagree</p>' if row.disagree
            else '<p class="adj-agreed">All reviewers agree</p>' if row.ready_to_accept else "")
    note = escape(decision.note) if decision is not None and decision.note else ""
    decision_note = f'<p class="adj-note">{note}</p>' if note else ""
    none_pressed = "true" if decision and not row.final_values else "false"
    return f"""<li class="adj-row{classes}" id="s{s.pk}" data-row data-sentence="{s.pk}" data-number="{number}" data-disagree="{"1" if row.disagree else "0"}" data-decided="{"1" if decision else "0"}" data-final="{",".join(escape(v) for v in row.final_values)}" data-decision-etag="{escape(row.decision_etag)}" tabindex="-1" aria-labelledby="s{s.pk}-text">
  <div class="adj-text">
    <p id="s{s.pk}-text"><span class="adj-pos">Sentence {number}</span> {escape(s.text)}</p>
    {flag}
  </div>
  <div class="adj-cells">
    {"".join(_cell(cell, names) for cell in row.cells)}
  </div>
  <div class="adj-decision">
    <h3 class="adj-who">Final labels</h3>
    <p class="adj-final">{_decision(row)}</p>
    {decision_note}
    <div class="final-buttons" role="group" aria-label="Final labels of sentence {number}">
      {_final_buttons(row, buttons)}
      <button type="button" class="small" data-final-none aria-pressed="{none_pressed}">No label<kbd aria-hidden="true">0</kbd></button>
    </div>
    <label class="sr-only" for="note-{s.pk}">Note on the decision for sentence {number}</label>
    <input type="text" id="note-{s.pk}" data-decision-note maxlength="5000" placeholder="Note on the decision (optional)" value="{note}">
  </div>
</li>
"""  # noqa: E501 (the template's lines, as they are)


def rows(rows) -> SafeString:
    """Every row, as the page's loop over _adj_row.html draws them."""
    names, buttons = _label_names(), _buttons()
    return SafeString("".join(row(r, names, buttons) for r in rows))
