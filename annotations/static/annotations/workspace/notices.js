// The one place messages appear, along the bottom of the screen: the error bar (role=alert:
// any refusal or failed request, whatever the action; it stays until the next action, with
// Try again when the action can be repeated) and the toast (role=status: it fades, with
// Undo while a delete can be taken back). Only one of the two shows at a time.

import { root, toast } from "./dom.js";
import { RequestFailed } from "./http.js";

const bar = root.querySelector("[data-error]");
const UNDO_SECONDS = 8;
let timer = null;
let undoAction = null;
let retryAction = null;

export function showError(message, { retry = null } = {}) {
  hideToast();
  retryAction = retry;
  bar.querySelector("[data-error-text]").textContent = message;
  bar.querySelector("[data-action=retry]").hidden = !retry;
  bar.hidden = false;
}

export function clearError() {
  retryAction = null;
  bar.hidden = true;
}

export const retryLast = () => retryAction?.();

// Runs an action that talks to the server; a failure shows in the error bar, with Try again.
export async function attempt(action) {
  clearError();
  try {
    await action();
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    showError(error.message, { retry: () => attempt(action) });
  }
}

function hideToast() {
  clearTimeout(timer);
  toast.hidden = true;
  undoAction = null;
}

export function showToast(message, { undo = null } = {}) {
  clearError();
  hideToast();
  undoAction = undo;
  toast.querySelector("[data-toast-text]").textContent = message;
  toast.querySelector("[data-action=undo]").hidden = !undo;
  toast.hidden = false;
  timer = setTimeout(hideToast, (undo ? UNDO_SECONDS : 4) * 1000);
}

export function undoLast() {
  const action = undoAction;
  if (!action) return;
  hideToast();
  return attempt(action);
}
