// The keyboard shortcuts (the page's "?" dialog lists them): j/k and the arrows move, J goes
// to the next unreviewed sentence, Enter selects, w/b and Shift+arrows choose a phrase word
// by word, each label's key labels (again: takes it off), 0 marks "no label", e edits,
// x or Delete deletes, n writes a note, u undoes a delete, Esc backs out of whatever is open.

import { shortcuts, state } from "./dom.js";
import { deleteOwn, editOwn, labelKey } from "./annotation-keys.js";
import { focusNote, toggleNoLabel } from "./composer.js";
import { closeEdit, openForm } from "./editing.js";
import { labelForKey } from "./labels.js";
import { phraseByWord } from "./phrase-keys.js";
import { clearPhrase, move, nextUnreviewed, setCurrent } from "./sentences.js";
import { undoLast } from "./notices.js";

const typing = (el) => el.closest("input, textarea, select, [contenteditable]");

function escape(event) {
  const form = openForm();
  if (form) closeEdit(form);
  else if (state.phrase) {
    window.getSelection()?.removeAllRanges();
    clearPhrase();
  } else if (typing(event.target)) event.target.blur();
}

const ACTIONS = {
  j: () => move(1),
  k: () => move(-1),
  J: () => nextUnreviewed(),
  w: () => phraseByWord("next"),
  b: () => phraseByWord("previous"),
  0: () => toggleNoLabel(),
  e: () => editOwn(),
  x: () => deleteOwn(),
  Delete: () => deleteOwn(),
  n: () => focusNote(),
  u: () => undoLast(),
  "?": () => shortcuts.showModal(),
};

// Whether the key was a shortcut here; if not, the browser handles it as usual.
function shortcut(event) {
  const { key, target, shiftKey } = event;
  if (shiftKey && (key === "ArrowRight" || key === "ArrowLeft")) {
    if (target.closest("button, a, summary")) return false;
    phraseByWord(key === "ArrowRight" ? "extend" : "shrink");
  } else if (key === "ArrowDown" || key === "ArrowUp") {
    if (target.closest("button, a, summary")) return false;
    move(key === "ArrowDown" ? 1 : -1);
  } else if (key === "Enter") {
    if (!target.matches?.("[data-annotatable]")) return false;
    setCurrent(target);
  } else if (Object.hasOwn(ACTIONS, key)) {
    ACTIONS[key]();
  } else {
    const label = labelForKey(key);
    if (!label) return false;
    labelKey(label);
  }
  return true;
}

export function onKeydown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || shortcuts.open) return;
  if (event.key === "Escape") return escape(event);
  if (typing(event.target)) return;
  if (shortcut(event)) event.preventDefault();
}
