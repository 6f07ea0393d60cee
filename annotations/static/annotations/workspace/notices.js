// The one place messages appear, along the bottom of the screen: the error bar (role=alert:
// any refusal or failed request, whatever the action; it stays until the next action, with
// Try again when repeating it could succeed) and the toast (role=status: it fades, with
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

// Whether repeating the request could succeed: no answer (offline), the server's own
// failure (5xx), a conflict with a change made meanwhile (409), or a sign-in that lapsed
// (401: sign in in another tab, then try again). A refusal of the input itself (a duplicate
// label, a phrase outside the sentence: 400) fails the same way every time, so it is not
// offered again.
export const canRetry = (error) =>
  error.status === 0 || error.status >= 500 || error.status === 409 || error.status === 401;

// Runs an action that talks to the server; a failure shows in the error bar, with Try
// again when trying again could work.
export async function attempt(action) {
  clearError();
  try {
    await action();
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    showError(error.message, { retry: canRetry(error) ? () => attempt(action) : null });
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
