// Correcting sentence boundaries from the panel: join a sentence with the next one, or
// split it where the reviewer last clicked in its text.

import { panel } from "./dom.js";
import { problem, request, RequestFailed, urlFor } from "./http.js";
import { caretIn } from "./selection.js";

export async function changeBoundary(button) {
  const id = button.dataset.sentenceId;
  const message = panel.querySelector("[data-boundary-message]");
  const say = (text) => Object.assign(message, { textContent: text, hidden: !text });
  let url = urlFor("joinUrl", id);
  let form = {};
  if (button.dataset.boundary === "split") {
    const at = caretIn(id);
    if (at === null) {
      say("Click in this sentence's text where the new sentence should start, then choose Split.");
      return;
    }
    url = urlFor("splitUrl", id);
    form = { at };
  }
  try {
    const response = await request("POST", url, { form });
    if (!response.ok) throw new RequestFailed((await problem(response)).message);
    // Positions change after a join or split, so the whole article is drawn again.
    window.location.hash = `s${id}`;
    window.location.reload();
  } catch (error) {
    say(error.message);
  }
}
