// The keyboard shortcuts (the page's "?" dialog lists them): j/k and the arrows move, Enter
// selects, each label's key labels, 0 marks "no label", n writes a note, u undoes a delete,
// Esc backs out of whatever is open.

import { annotatable, shortcuts, state } from "./dom.js";
import { chooseLabel, focusNote, toggleNoLabel } from "./composer.js";
import { closeEdit, openForm } from "./editing.js";
import { labelForKey } from "./labels.js";
import { clearPhrase, move, setCurrent } from "./sentences.js";
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

function labelByKey(key) {
  const label = labelForKey(key);
  if (!label) return false;
  if (!state.current) setCurrent(annotatable()[0], { focus: false });
  chooseLabel(label);
  return true;
}

const ACTIONS = {
  j: () => move(1),
  k: () => move(-1),
  0: () => toggleNoLabel(),
  n: () => focusNote(),
  u: () => undoLast(),
  "?": () => shortcuts.showModal(),
};

// Whether the key was a shortcut here; if not, the browser handles it as usual.
function shortcut(event) {
  const { key, target } = event;
  if (key === "ArrowDown" || key === "ArrowUp") {
    if (target.closest("button, a, summary")) return false;
    move(key === "ArrowDown" ? 1 : -1);
  } else if (key === "Enter") {
    if (!target.matches?.("[data-annotatable]")) return false;
    setCurrent(target);
  } else if (Object.hasOwn(ACTIONS, key)) {
    ACTIONS[key]();
  } else {
    return labelByKey(key);
  }
  return true;
}

export function onKeydown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || shortcuts.open) return;
  if (event.key === "Escape") return escape(event);
  if (typing(event.target)) return;
  if (shortcut(event)) event.preventDefault();
}
