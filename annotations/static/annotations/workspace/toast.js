// The toast at the bottom of the screen: one message at a time, and the offer to undo the
// last delete while its toast is showing (the Undo button, or u).

import { toast } from "./dom.js";

const UNDO_SECONDS = 8;
let timer = null;
let undoAction = null;

export function showToast(message, { undo = null } = {}) {
  clearTimeout(timer);
  undoAction = undo;
  toast.querySelector("[data-toast-text]").textContent = message;
  toast.querySelector("[data-action=undo]").hidden = !undo;
  toast.hidden = false;
  timer = setTimeout(() => {
    toast.hidden = true;
    undoAction = null;
  }, (undo ? UNDO_SECONDS : 4) * 1000);
}

export function undoLast() {
  const action = undoAction;
  undoAction = null;
  return action?.();
}
