// The one place messages appear, along the bottom of the screen: the error bar (role=alert,
// until the next action) and the toast (role=status, fades). One shows at a time.

import { root } from "./dom.js";
import { isFailure } from "./http.js";

const bar = root.querySelector("[data-error]");
const toast = root.querySelector("[data-toast]");
let timer = null;

export function clearError() {
  bar.hidden = true;
}

export function showError(message) {
  toast.hidden = true;
  bar.querySelector("[data-error-text]").textContent = message;
  bar.hidden = false;
}

export function showToast(message) {
  clearError();
  clearTimeout(timer);
  toast.querySelector("[data-toast-text]").textContent = message;
  toast.hidden = false;
  timer = setTimeout(() => { toast.hidden = true; }, 4000);
}

// Runs an action that talks to the server; a refusal shows in the error bar. A 412 first
// draws what the server sent (the rows as another editor left them).
export async function attempt(action, apply) {
  clearError();
  try {
    await action();
  } catch (error) {
    if (!isFailure(error)) throw error;
    if (error.status === 412 && error.data.rows) apply(error.data);
    showError(error.message);
  }
}

bar.addEventListener("click", (event) => {
  if (event.target.closest("[data-action=dismiss]")) clearError();
});
