// The reviewer workspace: choose a sentence or phrase, label it, edit and delete.
//
// This entry module only wires the page's events to the modules in ./workspace/, one per
// concern (each says at its top what it owns):
//   dom.js        the page's elements and the current sentence and phrase
//   labels.js     the labels, read from the page (annotations/labels.py)
//   http.js       requests to the workspace endpoints; the one error shape
//   notices.js    the one place errors show (with Try again), and the toast (with Undo)
//   sentences.js  choosing sentences; drawing what the server answers; progress
//   selection.js  phrases and the caret from the mouse
//   composer.js   labelling and "no label"
//   source-picker.js  the source combobox
//   editing.js    editing, conflicts and deleting
//   boundaries.js joining and splitting sentences
//   keyboard.js   the shortcuts
//   annotation-keys.js  the keys on the reviewer's own annotations (toggle, edit, delete)
//   phrase-keys.js      choosing a phrase word by word
//   position.js   the sentence the workspace reopens on

import { changeBoundary } from "./workspace/boundaries.js";
import { chooseLabel, toggleNoLabel } from "./workspace/composer.js";
import { body, composer, expandSheet, panel, root, shortcuts, state, toast } from "./workspace/dom.js";
import { closeEdit, deleteAnnotation, openEdit } from "./workspace/editing.js";
import { onKeydown } from "./workspace/keyboard.js";
import { readCaret, readSelection } from "./workspace/selection.js";
import { remembered } from "./workspace/position.js";
import { clearPhrase, setCurrent, updateProgress } from "./workspace/sentences.js";
import { clearError, retryLast, undoLast } from "./workspace/notices.js";

body.addEventListener("mouseup", () => setTimeout(() => { readSelection(); readCaret(); }, 0));
body.addEventListener("touchend", () => setTimeout(readSelection, 300));
body.addEventListener("click", (event) => {
  const sentence = event.target.closest("[data-annotatable]");
  if (!sentence) return;
  const selection = window.getSelection();
  if (selection && !selection.isCollapsed) return; // a phrase selection, handled on mouseup
  composer.querySelector("[data-selection-message]").textContent = "";
  if (sentence === state.current) clearPhrase();
  setCurrent(sentence);
});

composer.addEventListener("click", (event) => {
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.label) chooseLabel(button.dataset.label);
  else if (button.dataset.action === "no-label") toggleNoLabel();
});
composer.addEventListener("submit", (event) => event.preventDefault());

panel.addEventListener("click", (event) => {
  const boundary = event.target.closest("[data-boundary]");
  if (boundary) changeBoundary(boundary);
  const button = event.target.closest("[data-action]");
  const row = event.target.closest("[data-annotation]");
  if (!button || !row) return;
  if (button.dataset.action === "edit") openEdit(row);
  else if (button.dataset.action === "delete") deleteAnnotation(row);
  else if (button.dataset.action === "cancel-edit") {
    closeEdit(button.closest("[data-edit-form]"));
    row.querySelector("[data-action=edit]").focus();
  }
});

toast.addEventListener("click", (event) => {
  if (event.target.closest("[data-action=undo]")) undoLast();
});
root.querySelector("[data-error]").addEventListener("click", (event) => {
  const action = event.target.closest("[data-action]")?.dataset.action;
  if (action === "retry") retryLast();
  else if (action === "dismiss") clearError();
});
root.querySelector("[data-action=shortcuts]").addEventListener("click", () => shortcuts.showModal());
root.querySelector("[data-action=sheet]").addEventListener("click", (event) => {
  expandSheet(event.currentTarget.getAttribute("aria-expanded") !== "true");
});
document.addEventListener("keydown", onKeydown);

updateProgress();
// A link to #s<id> (the source page has them) opens the workspace on that sentence.
// Otherwise it reopens on the sentence this reviewer was last on.
const fromHash = /^#s(\d+)$/.exec(window.location.hash);
const start = fromHash ? body.querySelector(`[data-sentence="${fromHash[1]}"]`) : remembered();
if (start) setCurrent(start, { center: true });
root.dataset.ready = "true"; // browser tests wait for this before typing
