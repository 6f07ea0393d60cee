// Reading what the reviewer selected with the mouse: a phrase (a range inside one sentence)
// or a caret (where a split should go), both as absolute offsets into the article body.

import { body, codePoints, composer, sentenceOf, state } from "./dom.js";
import { describeTarget, setCurrent } from "./sentences.js";

let caret = null; // {sentence, at}: where the reviewer last clicked inside a sentence's text

export const caretIn = (sentenceId) => (caret?.sentence === sentenceId ? caret.at : null);

function textBefore(sentence, node, offset) {
  // The sentence's own text up to (node, offset), without the label initials drawn in it.
  const range = document.createRange();
  range.setStart(sentence, 0);
  range.setEnd(node, offset);
  const copy = range.cloneContents();
  copy.querySelectorAll("[data-nontext]").forEach((el) => el.remove());
  return copy.textContent;
}

// A sentence's own text, without the label initials drawn in it.
export const sentenceText = (sentence) => textBefore(sentence, sentence, sentence.childNodes.length);

function refusal(first, last) {
  if (!first || first !== last) {
    return "A phrase must stay inside one sentence: that selection spans two sentences. " +
      "Select words within a single sentence.";
  }
  if (!first.hasAttribute("data-annotatable")) return "Boilerplate is not annotated.";
  return "";
}

export function readSelection() {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || !selection.rangeCount) return;
  const range = selection.getRangeAt(0);
  if (!body.contains(range.commonAncestorContainer)) return;
  const first = sentenceOf(range.startContainer);
  const message = refusal(first, sentenceOf(range.endContainer));
  composer.querySelector("[data-selection-message]").textContent = message;
  if (message) return;
  const whole = sentenceText(first);
  const start = textBefore(first, range.startContainer, range.startOffset);
  const end = textBefore(first, range.endContainer, range.endOffset);
  // Trim spaces the mouse picked up at either edge.
  let [a, b] = [codePoints(start), codePoints(end)];
  const chars = [...whole];
  while (a < b && /\s/.test(chars[a])) a += 1;
  while (b > a && /\s/.test(chars[b - 1])) b -= 1;
  if (a >= b) return;
  setCurrent(first, { focus: false });
  const base = Number(first.dataset.start);
  state.phrase = { start: base + a, end: base + b, quote: chars.slice(a, b).join("") };
  describeTarget();
}

export function readCaret() {
  const selection = window.getSelection();
  if (!selection || !selection.isCollapsed || !selection.rangeCount) return;
  const range = selection.getRangeAt(0);
  const sentence = sentenceOf(range.startContainer);
  if (!sentence || !body.contains(sentence)) return;
  const before = codePoints(textBefore(sentence, range.startContainer, range.startOffset));
  caret = { sentence: sentence.dataset.sentence, at: Number(sentence.dataset.start) + before };
}
