// The page's fixed elements and the two things every part of the workspace shares: the
// current sentence and the phrase selected in it. Imports nothing, so any module may use it.

export const root = document.querySelector("[data-workspace]");
export const body = root.querySelector("[data-body]");
export const composer = root.querySelector("[data-composer]");
export const panel = root.querySelector("[data-panel]");
export const toast = root.querySelector("[data-toast]");
export const shortcuts = root.querySelector("[data-shortcuts]");

export const state = {
  current: null, // the current sentence element
  phrase: null, // {start, end, quote} in absolute body offsets, inside `current`
};

export const annotatable = () => [...body.querySelectorAll("[data-annotatable]")];

export const sentenceOf = (node) =>
  (node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement)?.closest("[data-sentence]");

// Offsets are counted in code points, as Python counts them on the server.
export const codePoints = (text) => [...text].length;

// On a phone the tools are a sheet along the bottom showing the labels only; opening it
// shows the panel and the note too (editing needs them).
export function expandSheet(open = true) {
  const side = root.querySelector("[data-side]");
  side.classList.toggle("is-expanded", open);
  side.querySelector("[data-action=sheet]").setAttribute("aria-expanded", String(open));
}
