// The composer: labelling the current sentence or phrase, "no label", and the error box
// with Try again. What the reviewer typed stays until a save succeeds, so a failed request
// is retried, never retyped.

import { composer, root, state } from "./dom.js";
import { problem, request, RequestFailed, urlFor } from "./http.js";
import { citesSource } from "./labels.js";
import { afterChange, clearPhrase, describeTarget, redrawSentence } from "./sentences.js";
import { SourcePicker } from "./source-picker.js";

const errorBox = composer.querySelector("[data-composer-error]");
const note = composer.querySelector("[data-note]");
let retry = null; // the last failed action, to run again
let sourceLabel = null; // the label waiting for its source in the picker

const picker = new SourcePicker(composer.querySelector("[data-source-picker]"), (source) => {
  const target = targetNow();
  return run(() => createAnnotation(sourceLabel, source, target));
});

function showError(message, again = null) {
  retry = again;
  errorBox.querySelector("[data-error-text]").textContent = message;
  errorBox.querySelector("[data-action=retry]").hidden = !again;
  errorBox.hidden = false;
}

export const retryLast = () => retry && run(retry);

async function run(action) {
  retry = null;
  errorBox.hidden = true;
  try {
    await action();
  } catch (error) {
    if (!(error instanceof RequestFailed)) throw error;
    showError(error.message, action);
  }
}

const targetNow = () => ({ sentence: state.current, phrase: state.phrase });

async function createAnnotation(label, source, target) {
  // `target` was fixed when the label was chosen, so a retry after moving on still saves
  // to the sentence (and phrase) it was meant for; the note is read now, edits included.
  const payload = { sentence: Number(target.sentence.dataset.sentence), label, note: note.value };
  if (target.phrase) {
    Object.assign(payload, { phrase_start: target.phrase.start, phrase_end: target.phrase.end });
  }
  if (source) payload.source = source.id;
  const response = await request("POST", root.dataset.api, { json: payload });
  if (response.status !== 201) throw new RequestFailed((await problem(response)).message);
  note.value = "";
  picker.reset();
  picker.hide();
  if (state.phrase === target.phrase) {
    window.getSelection()?.removeAllRanges();
    clearPhrase();
  }
  await afterChange(payload.sentence);
}

export function chooseLabel(label) {
  if (!state.current) {
    showError("Select a sentence first: click it, or move with j/k and press Enter.");
    return;
  }
  if (citesSource(label)) {
    const chosen = picker.value();
    sourceLabel = label;
    if (chosen) return run(() => createAnnotation(label, chosen, targetNow()));
    picker.show();
    picker.focus();
    return;
  }
  picker.hide();
  const target = targetNow();
  return run(() => createAnnotation(label, null, target));
}

export async function toggleNoLabel() {
  const sentence = state.current;
  if (!sentence) return;
  const marked = sentence.dataset.noLabel === "1";
  const url = urlFor(marked ? "noLabelClearUrl" : "noLabelUrl", sentence.dataset.sentence);
  await run(async () => {
    const response = await request("POST", url);
    if (!response.ok) throw new RequestFailed((await problem(response)).message);
    await redrawSentence(sentence.dataset.sentence, await response.text());
    describeTarget();
  });
}

export const focusNote = () => note.focus();
