// Correcting sentence boundaries from the panel: join a sentence with the next one, or
// split it where the reviewer last clicked in its text. The server answers the paragraphs
// around the change, drawn in place: no page reload.

import { post, urlFor } from "./http.js";
import { attempt, showError } from "./notices.js";
import { caretIn } from "./selection.js";
import { apply } from "./sentences.js";

let busy = false; // a double click must not join three sentences

async function change(url, form) {
  if (busy) return;
  busy = true;
  try {
    await attempt(async () => apply(await post(url, form)));
  } finally {
    busy = false;
  }
}

// The sentence's offsets as this page shows them go with each change: a join sent again
// from another tab (or resent) finds the sentence changed and is refused, instead of
// joining a third sentence in.
function shown(id) {
  const span = document.querySelector(`.sentence[data-sentence="${id}"]`);
  return span ? { start: span.dataset.start, end: span.dataset.end } : {};
}

export function changeBoundary(button) {
  const id = button.dataset.sentenceId;
  if (button.dataset.boundary === "join") return change(urlFor("joinUrl", id), shown(id));
  const at = caretIn(id);
  if (at === null) {
    showError("Click in this sentence's text where the new sentence should start, then choose Split.");
    return;
  }
  return change(urlFor("splitUrl", id), { at, ...shown(id) });
}
