// The composer: labelling the current sentence or phrase, and "no label". What the reviewer
// typed stays until a save succeeds, so a failed request is retried, never retyped.

import { composer, state } from "./dom.js";
import { post, urlFor } from "./http.js";
import { citesSource } from "./labels.js";
import { attempt, showError } from "./notices.js";
import { apply, clearPhrase } from "./sentences.js";
import { SourcePicker } from "./source-picker.js";

const note = composer.querySelector("[data-note]");
let sourceLabel = null; // the label waiting for its source in the picker

const targetNow = () => ({ sentence: state.current, phrase: state.phrase });

const picker = new SourcePicker(composer.querySelector("[data-source-picker]"), (source) => {
  const target = targetNow();
  return attempt(() => createAnnotation(sourceLabel, source, target));
});

async function createAnnotation(label, source, target) {
  // `target` was fixed when the label was chosen, so a retry after moving on still saves
  // to the sentence (and phrase) it was meant for; the note is read now, edits included.
  const form = { label, note: note.value, source: source?.id ?? "" };
  const { phrase } = target;
  if (phrase) Object.assign(form, { phrase_start: phrase.start, phrase_end: phrase.end, quote: phrase.quote });
  const data = await post(urlFor("createUrl", target.sentence.dataset.sentence), form);
  note.value = "";
  picker.reset();
  picker.hide();
  if (state.phrase === phrase) {
    window.getSelection()?.removeAllRanges();
    clearPhrase();
  }
  apply(data);
}

// `target` ({sentence, phrase}) is the one current when the key was pressed: a fast
// reviewer may have moved on while the page looked something up.
export function chooseLabel(label, target = targetNow()) {
  if (!target.sentence) {
    showError("Select a sentence first: click it, or move with j/k and press Enter.");
    return;
  }
  if (citesSource(label)) {
    const chosen = picker.value();
    sourceLabel = label;
    if (chosen) return attempt(() => createAnnotation(label, chosen, target));
    picker.show();
    picker.focus();
    return;
  }
  picker.hide();
  return attempt(() => createAnnotation(label, null, target));
}

export function toggleNoLabel() {
  const sentence = state.current;
  if (!sentence) return;
  const marked = sentence.dataset.noLabel === "1";
  const url = urlFor(marked ? "noLabelClearUrl" : "noLabelUrl", sentence.dataset.sentence);
  return attempt(async () => apply(await post(url)));
}

export const focusNote = () => note.focus();
