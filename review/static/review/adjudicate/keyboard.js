// The keyboard shortcuts (the page's "?" dialog lists them). Single keys act on the current
// sentence and annotation; Shift+A and Shift+C ask before they act.

import { labelForKey, shortcuts, state } from "./dom.js";
import {
  acceptAgreed, closeArticle, decideAsShown, focusNote, focusReason, noLabel, saveReason,
  toggleFinal, verdict,
} from "./actions.js";
import { currentAnnotation } from "./dom.js";
import { showError } from "./notices.js";
import { move, moveAnnotation, setFilter, syncSelection, toggleSelected } from "./rows.js";

const typing = (el) => el.closest("input[type=text], textarea, select, [contenteditable]");

const ACTIONS = {
  j: () => move(1),
  ArrowDown: () => move(1),
  k: () => move(-1),
  ArrowUp: () => move(-1),
  l: () => moveAnnotation(1),
  ArrowRight: () => moveAnnotation(1),
  h: () => moveAnnotation(-1),
  ArrowLeft: () => moveAnnotation(-1),
  a: () => verdict("accepted"),
  r: () => verdict("rejected"),
  e: () => focusReason(),
  n: () => focusNote(),
  x: () => {
    const annotation = currentAnnotation();
    if (annotation) toggleSelected(annotation.dataset.annotation);
  },
  0: () => noLabel(),
  d: () => setFilter("disagreements"),
  f: () => setFilter("undecided"),
  A: () => acceptAgreed(),
  C: () => closeArticle(),
  "?": () => shortcuts.showModal(),
};

function onTextKey(event) {
  const { key, target } = event;
  if (key === "Escape") {
    event.preventDefault();
    state.row?.focus({ preventScroll: true });
  } else if (key === "Enter") {
    event.preventDefault();
    if (target.matches("[data-reason]")) saveReason(target);
    else if (target.matches("[data-decision-note]")) decideAsShown(target.closest("[data-row]"));
  }
}

// Keys that act on the current sentence; without one they ask for a sentence first, rather
// than acting on whichever sentence happens to come first.
const NEEDS_ROW = new Set(["l", "ArrowRight", "h", "ArrowLeft", "a", "r", "e", "n", "x", "0"]);

export function onKeydown(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  if (document.querySelector("dialog[open]")) return; // a dialog handles its own keys
  if (typing(event.target)) return onTextKey(event);
  const { key, target } = event;
  if (key === "Escape") {
    state.selected.clear();
    syncSelection();
    return;
  }
  if (key === "Enter") {
    if (!target.matches("[data-row]")) return; // Enter on a button or link does its own thing
    event.preventDefault();
    decideAsShown();
    return;
  }
  if (key.startsWith("Arrow") && target.closest("button, a, summary, input")) return;
  const label = labelForKey(key);
  if (!label && !Object.hasOwn(ACTIONS, key)) return;
  event.preventDefault();
  if (!state.row && (label || NEEDS_ROW.has(key))) {
    showError("Choose a sentence first: press j, or click it.");
    return;
  }
  if (label) toggleFinal(label);
  else ACTIONS[key]();
}
