// The page's fixed elements and what every part of the adjudication page shares: the
// current sentence row, the current annotation in it, and the annotations selected for a
// bulk verdict. Imports nothing, so any module may use it.

export const root = document.querySelector("[data-adjudicate]");
export const list = root.querySelector("[data-rows]");
export const shortcuts = root.querySelector("[data-shortcuts]");

export const state = {
  row: null, // the current sentence row (li[data-row])
  index: 0, // the current annotation within it
  selected: new Set(), // annotation ids chosen for a bulk verdict (x, or their boxes)
  show: "all", // the filter: all | disagreements | undecided
};

export const rows = () => [...list.querySelectorAll("[data-row]")];
export const shownRows = () => rows().filter((row) => !row.hidden);
export const annotationsOf = (row) => [...(row?.querySelectorAll("[data-annotation]") ?? [])];
export const rowById = (id) => list.querySelector(`[data-row][data-sentence="${id}"]`);
export const annotationById = (id) => list.querySelector(`[data-annotation="${id}"]`);

export function currentAnnotation() {
  const all = annotationsOf(state.row);
  return all.length ? all[Math.min(state.index, all.length - 1)] : null;
}

// The labels as annotations/labels.py describes them, from the page's json_script block.
const LABELS = JSON.parse(document.getElementById("label-data").textContent);
export const labelForKey = (key) => LABELS.find((l) => l.key === key)?.value;
export const labelOrder = LABELS.map((l) => l.value);
