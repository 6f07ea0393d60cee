// Where the reviewer was: the current sentence is remembered per reviewer and article, and
// the workspace reopens on it. Kept in this browser's localStorage: it needs no table, no
// migration and no request per move, and a position is a convenience, not data anyone else
// reads (on another device the article opens at the top, as before). A sentence joined away
// since is simply not found, and the article opens at the top.

import { body, root } from "./dom.js";

const KEY = `provenance:position:${root.dataset.reviewer}:${root.dataset.article}`;

export function remember(sentence) {
  try {
    localStorage.setItem(KEY, sentence.dataset.sentence);
  } catch {
    // Storage off or full: the workspace works the same, it just won't reopen here.
  }
}

export function remembered() {
  let id = null;
  try {
    id = localStorage.getItem(KEY);
  } catch {
    return null;
  }
  if (!id || !/^\d+$/.test(id)) return null;
  return body.querySelector(`[data-sentence="${id}"][data-annotatable]`);
}
