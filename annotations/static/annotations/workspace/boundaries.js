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

export function changeBoundary(button) {
  const id = button.dataset.sentenceId;
  if (button.dataset.boundary === "join") return change(urlFor("joinUrl", id), {});
  const at = caretIn(id);
  if (at === null) {
    showError("Click in this sentence's text where the new sentence should start, then choose Split.");
    return;
  }
  return change(urlFor("splitUrl", id), { at });
}
