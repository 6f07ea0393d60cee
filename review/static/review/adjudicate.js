// The adjudication page: every reviewer's answers side by side, verdicts and each
// sentence's final labels, by keyboard or pointer, without reloading the page.
//
// This entry module only wires the page's events to the modules in ./adjudicate/:
//   dom.js       the page's elements, the current row and annotation, the selection
//   http.js      requests to the adjudication endpoints; the one error shape
//   notices.js   the error bar and the toast
//   rows.js      moving, the filter, the selection, drawing what the server answers
//   actions.js   verdicts, final labels, reasons and notes, bulk, accept-agreed, close
//   keyboard.js  the shortcuts

import {
  acceptAgreed, bulkVerdict, closeArticle, noLabel, toggleFinal, verdictOn,
} from "./adjudicate/actions.js";
import { list, root, shortcuts, state } from "./adjudicate/dom.js";
import { onKeydown } from "./adjudicate/keyboard.js";
import { applyFilter, setCurrent, setFilter, syncSelection, toggleSelected } from "./adjudicate/rows.js";

list.addEventListener("click", (event) => {
  const row = event.target.closest("[data-row]");
  if (!row) return;
  const annotation = event.target.closest("[data-annotation]");
  const index = annotation ? [...row.querySelectorAll("[data-annotation]")].indexOf(annotation) : null;
  const onControl = event.target.closest("button, input, a, label");
  setCurrent(row, { focus: !onControl, index });
  const button = event.target.closest("button");
  if (!button) return;
  if (button.dataset.verdict) verdictOn(annotation, button.dataset.verdict);
  else if (button.dataset.finalLabel) toggleFinal(button.dataset.finalLabel);
  else if (button.hasAttribute("data-final-none")) noLabel();
});

list.addEventListener("change", (event) => {
  const box = event.target.closest("[data-select]");
  if (box) toggleSelected(box.closest("[data-annotation]").dataset.annotation, box.checked);
});

root.addEventListener("change", (event) => {
  const radio = event.target.closest("[data-filter]");
  if (radio) {
    state.show = "all";
    setFilter(radio.value);
  }
});

root.addEventListener("click", (event) => {
  const action = event.target.closest("[data-action]")?.dataset.action;
  if (action === "accept-agreed") acceptAgreed();
  else if (action === "bulk-accept") bulkVerdict("accepted");
  else if (action === "bulk-reject") bulkVerdict("rejected");
  else if (action === "bulk-clear") {
    state.selected.clear();
    syncSelection();
  } else if (action === "shortcuts") shortcuts.showModal();
  else if (action === "close") {
    event.preventDefault();
    closeArticle();
  }
});

document.addEventListener("keydown", onKeydown);

applyFilter();
syncSelection();
// A link to #s<id> opens the page on that sentence.
const fromHash = /^#s(\d+)$/.exec(window.location.hash);
if (fromHash) setCurrent(list.querySelector(`[data-row][data-sentence="${fromHash[1]}"]`));
root.dataset.ready = "true"; // browser tests wait for this before typing
