// The current sentence row and annotation (choosing them, moving with j/k and h/l), the
// filter, the bulk selection, and drawing what the server answers: rows it rendered
// replace the drawn ones in place, and the summary replaces the header's counts.

import { annotationsOf, currentAnnotation, list, root, rowById, rows, shownRows, state } from "./dom.js";
import { parse } from "./http.js";
import { showToast } from "./notices.js";

function markCurrent() {
  list.querySelectorAll(".adj-annotation.is-current").forEach((el) => el.classList.remove("is-current"));
  currentAnnotation()?.classList.add("is-current");
}

export function setCurrent(row, { focus = true, index = null } = {}) {
  if (!row) return;
  if (state.row && state.row !== row) {
    state.row.classList.remove("is-current");
    state.row.tabIndex = -1;
    state.row.removeAttribute("aria-current");
  }
  if (state.row !== row) {
    // Start on the first annotation still awaiting a verdict: that is the work left.
    const all = annotationsOf(row);
    const pending = all.findIndex((a) => a.dataset.status === "submitted");
    state.index = index ?? Math.max(0, pending);
  } else if (index !== null) state.index = index;
  state.row = row;
  row.classList.add("is-current");
  row.tabIndex = 0;
  row.setAttribute("aria-current", "true");
  markCurrent();
  if (focus) {
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "start" });
  }
  applyFilter();
}

export function move(step) {
  const shown = shownRows();
  if (!shown.length) return;
  const at = shown.indexOf(state.row);
  const next = at < 0 ? shown[step > 0 ? 0 : shown.length - 1]
    : shown[Math.min(shown.length - 1, Math.max(0, at + step))];
  setCurrent(next);
}

export function moveAnnotation(step) {
  const all = annotationsOf(state.row);
  if (!all.length) return;
  state.index = Math.min(all.length - 1, Math.max(0, state.index + step));
  markCurrent();
  currentAnnotation().scrollIntoView({ block: "nearest" });
}

// The next annotation awaiting a verdict in the current row, after a verdict on one.
export function advanceInRow() {
  const all = annotationsOf(state.row);
  const next = all.findIndex((a, i) => i > state.index && a.dataset.status === "submitted");
  if (next >= 0) state.index = next;
  markCurrent();
}

// The filter hides rows, except the current one until the editor moves on: a row that
// stops matching (just decided) must not vanish under the keyboard.
const MATCHES = {
  all: () => true,
  disagreements: (row) => row.dataset.disagree === "1",
  undecided: (row) => row.dataset.decided === "0",
};

export function applyFilter() {
  const matches = MATCHES[state.show];
  let shown = 0;
  rows().forEach((row) => {
    row.hidden = !(matches(row) || row === state.row);
    if (!row.hidden) shown += 1;
  });
  root.querySelector("[data-filter-empty]").hidden = shown > 0;
}

export function setFilter(show) {
  state.show = state.show === show ? "all" : show;
  root.querySelectorAll("[data-filter]").forEach((radio) => { radio.checked = radio.value === state.show; });
  if (state.row && !MATCHES[state.show](state.row)) {
    const next = rows().find((row) => MATCHES[state.show](row));
    state.row.classList.remove("is-current");
    state.row = null;
    applyFilter();
    if (next) setCurrent(next);
    return;
  }
  applyFilter();
}

// Bulk selection: the ids survive a redraw, so the boxes are ticked again from `state`.
export function syncSelection() {
  for (const id of [...state.selected]) {
    if (!list.querySelector(`[data-annotation="${id}"]`)) state.selected.delete(id);
  }
  list.querySelectorAll("[data-annotation]").forEach((el) => {
    el.querySelector("[data-select]").checked = state.selected.has(el.dataset.annotation);
  });
  const n = state.selected.size;
  const bulk = root.querySelector("[data-bulk]");
  bulk.querySelector("[data-selected-count]").textContent =
    n ? `${n} annotation${n === 1 ? "" : "s"} selected` : "No annotation selected";
  bulk.querySelectorAll("button").forEach((b) => { b.disabled = n === 0; });
}

export function toggleSelected(id, on = !state.selected.has(id)) {
  if (on) state.selected.add(id);
  else state.selected.delete(id);
  syncSelection();
}

export function apply(data) {
  const currentId = state.row?.dataset.sentence;
  const hadFocus = state.row?.contains(document.activeElement);
  for (const { id, html } of data.rows ?? []) {
    const fresh = parse(html).firstElementChild;
    const old = rowById(id);
    if (old && fresh) old.replaceWith(fresh);
  }
  if (data.summary !== undefined) root.querySelector("[data-summary]").replaceWith(parse(data.summary));
  if (currentId && !state.row?.isConnected) {
    const index = state.index;
    state.row = null;
    setCurrent(rowById(currentId), { focus: false, index });
    if (hadFocus) state.row?.focus({ preventScroll: true });
  }
  markCurrent();
  syncSelection();
  applyFilter();
  if (data.message) showToast(data.message);
}
