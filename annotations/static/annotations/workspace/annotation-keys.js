// The keys that act on the reviewer's own annotations of the current sentence: a label's key
// pressed again takes that label off (a toggle, as in doccano and Label Studio), e edits and
// x (or Delete) deletes. They act on the annotation of the current target, the selected
// phrase or else the whole sentence; e and x fall back to the reviewer's first annotation on
// the sentence, or to the one whose row has focus.

import { expandSheet, panel, state } from "./dom.js";
import { chooseLabel } from "./composer.js";
import { deleteAnnotation, openEdit } from "./editing.js";
import { get, parse, urlFor } from "./http.js";
import { citesSource } from "./labels.js";
import { attempt, showError } from "./notices.js";
import { apply, cancelPanelRefresh } from "./sentences.js";

export const NOTHING_SELECTED =
  "Select a sentence first: move to it with j/k (or click it), then press the label's key.";

// The reviewer's rows of `sentence`: from the panel when it shows that sentence, else as
// the server draws them (j/k load the panel a moment after the move, and keys may come
// faster). Rows from the server are drawn into the panel if it is still that sentence's.
async function ownRows(sentence) {
  const id = sentence.dataset.sentence;
  const selector = "[data-annotation][data-own]";
  if (panel.querySelector("[data-panel-sentence]")?.dataset.panelSentence === id) {
    return [...panel.querySelectorAll(selector)];
  }
  let rows = null;
  await attempt(async () => {
    const data = await get(urlFor("sentenceUrl", id));
    rows = [...parse(data.panel).querySelectorAll(selector)];
    if (state.current === sentence) cancelPanelRefresh();
    apply(data);
  });
  return rows;
}

function onTarget(row, phrase) {
  if (!phrase) return row.dataset.phraseStart === "";
  return Number(row.dataset.phraseStart) === phrase.start
    && Number(row.dataset.phraseEnd) === phrase.end;
}

export async function labelKey(label) {
  const target = { sentence: state.current, phrase: state.phrase };
  if (!target.sentence) {
    showError(NOTHING_SELECTED);
    return;
  }
  // A cited source may be given several times (one per source): its key always adds.
  if (!citesSource(label)) {
    const rows = await ownRows(target.sentence);
    if (rows === null) return; // the look-up failed; the error bar says so
    const row = rows.find((r) => r.dataset.label === label && onTarget(r, target.phrase));
    if (row) return deleteAnnotation(row);
  }
  return chooseLabel(label, target);
}

async function ownRow(verb) {
  const { current, phrase } = state;
  if (!current) {
    showError(`Select a sentence first: move to it with j/k, then press the key to ${verb}.`);
    return null;
  }
  const focused = document.activeElement?.closest?.("[data-annotation][data-own]");
  if (focused && panel.contains(focused)) return focused;
  const rows = await ownRows(current);
  if (rows === null) return null;
  const row = rows.find((r) => onTarget(r, phrase)) ?? rows[0] ?? null;
  if (!row) showError(`You have no annotation on sentence ${current.dataset.position} to ${verb}.`);
  return row;
}

export async function editOwn() {
  const row = await ownRow("edit");
  if (!row) return;
  // openEdit works on the row in the panel (a row drawn from the server was put there).
  const drawn = panel.querySelector(`[data-annotation="${row.dataset.annotation}"]`);
  if (!drawn) return;
  expandSheet();
  openEdit(drawn);
}

export async function deleteOwn() {
  const row = await ownRow("delete");
  if (row) await deleteAnnotation(row);
}
